namespace Netfilter.Net.Cli.Output;

/// <summary><c>nfnet forwarding status --json</c>: whether the namespace forwards each family.</summary>
internal sealed class ForwardingJson
{
    public string? Namespace { get; init; }

    /// <summary>net.ipv4.ip_forward; null with --ipv6.</summary>
    public bool? Ipv4 { get; init; }

    /// <summary>net.ipv6.conf.all.forwarding.</summary>
    public bool? Ipv6 { get; init; }
}
