using System;

namespace Netfilter.Net.Hosting;

/// <summary>Settings of the hosting layer as a whole (<c>AddNetfilter(options =&gt; ...)</c>); each table has its own <see cref="HostedNatTableOptions"/>.</summary>
public sealed class NetfilterHostingOptions
{
    /// <summary>
    /// The longest a conntrack sample (<see cref="NetfilterMetrics.ConntrackEntries"/>) is reused
    /// before the next observation reads the kernel again. Default 10 s. Reading is one
    /// small netlink request (IPCTNL_MSG_CT_GET_STATS, as <c>conntrack -C</c>), made only while someone listens.
    /// </summary>
    public TimeSpan ConntrackSampleInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Watch the conntrack events of each hosted table's namespace (<c>IConntrackClient.WatchAsync</c>)
    /// and count them (<see cref="NetfilterMetrics.ConntrackEvents"/>) and their losses
    /// (<see cref="NetfilterMetrics.ConntrackEventsLost"/>). Default false: a watch receives every
    /// connection's events, which costs CPU on a busy host.
    /// </summary>
    public bool WatchConntrackEvents { get; set; }
}
