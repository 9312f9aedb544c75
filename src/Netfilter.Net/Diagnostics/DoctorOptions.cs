namespace Netfilter.Net.Diagnostics;

/// <summary>What the <see cref="Doctor"/> examines.</summary>
public sealed class DoctorOptions
{
    /// <summary>The network namespace to examine; the caller's when null.</summary>
    public NetworkNamespace? Namespace { get; init; }

    /// <summary>The NAT table (family inet) whose forwards and redirects are examined. Default "nfnet", the CLI's table.</summary>
    public string Table { get; init; } = "nfnet";

    /// <summary>When set, only forwards, redirects and tproxy rules whose public ports include this port are examined.</summary>
    public int? Port { get; init; }
}
