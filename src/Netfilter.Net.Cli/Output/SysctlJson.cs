namespace Netfilter.Net.Cli.Output;

/// <summary><c>nfnet sysctl get KEY --json</c>.</summary>
internal sealed class SysctlJson
{
    public string? Namespace { get; init; }

    /// <summary>The key in dotted form, as given (net.ipv4.ip_forward).</summary>
    public required string Key { get; init; }

    /// <summary>The value as the kernel prints it, without the trailing newline (tabs separate multi-value keys).</summary>
    public required string Value { get; init; }
}
