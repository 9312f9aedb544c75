using System.Collections.Generic;

namespace Netfilter.Net.Sysctl;

/// <summary>How full the conntrack table is: when <see cref="Count"/> reaches <see cref="Max"/>, new connections are dropped ("nf_conntrack: table full").</summary>
/// <param name="Count"><c>net.netfilter.nf_conntrack_count</c>: connections tracked now in the namespace.</param>
/// <param name="Max"><c>net.netfilter.nf_conntrack_max</c>: the limit (shared by all namespaces; set in the initial one).</param>
public sealed record ConntrackUsage(long Count, long Max)
{
    /// <summary>Reads both values in <paramref name="networkNamespace"/> (the caller's when null).</summary>
    /// <exception cref="SysctlException">The keys do not exist: nf_conntrack is not loaded.</exception>
    public static ConntrackUsage Read(NetworkNamespace? networkNamespace = null) => Read(new SysctlClient(networkNamespace));

    internal static ConntrackUsage Read(SysctlClient sysctl)
    {
        IReadOnlyList<string?> values = sysctl.ReadMany(new[] { SysctlKey.ConntrackCount, SysctlKey.ConntrackMax });
        string count = values[0] ?? throw SysctlException.Create(Errno.ENOENT, SysctlKey.ConntrackCount, null, sysctl.Namespace.Description, null);
        string max = values[1] ?? throw SysctlException.Create(Errno.ENOENT, SysctlKey.ConntrackMax, null, sysctl.Namespace.Description, null);
        return new ConntrackUsage(SysctlClient.ParseInt64(SysctlKey.ConntrackCount, count), SysctlClient.ParseInt64(SysctlKey.ConntrackMax, max));
    }
}
