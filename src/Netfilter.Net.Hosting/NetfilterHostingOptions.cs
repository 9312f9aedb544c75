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

    /// <summary>
    /// Report each hosted rule's counters (<see cref="NetfilterMetrics.NatRulePackets"/>,
    /// <see cref="NetfilterMetrics.NatRuleBytes"/>), read with <c>INatTable.ListStatisticsAsync</c>
    /// after every successful apply and, while someone listens, again when the last read is this old.
    /// Null (default): off. Must be positive when set; 30 s to a few minutes suits most scrapers.
    /// </summary>
    /// <remarks>
    /// Off by default for two reasons. Each rule becomes its own time series, twice (packets and
    /// bytes), so a table of 10,000 forwards sends 20,000 series to the metrics backend, which many
    /// backends bill or limit. And each read dumps the whole table, every map element with its
    /// counter, which for a large table is far more work than the conntrack sample. Turn it on when
    /// the tables are small enough for both, or the per-rule figures are what the dashboard is for.
    /// </remarks>
    public TimeSpan? RuleStatisticsInterval { get; set; }
}
