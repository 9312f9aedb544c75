namespace Netfilter.Net.Conntrack;

/// <summary>
/// One CPU's conntrack counters (IPCTNL_MSG_CT_GET_STATS_CPU), as <c>conntrack -S</c> prints them.
/// Counters the kernel no longer maintains (searched, new, delete, ...) are not listed.
/// </summary>
public sealed record ConntrackCpuStatistics
{
    /// <summary>The CPU number (nfgenmsg res_id).</summary>
    public int Cpu { get; init; }

    /// <summary>CTA_STATS_FOUND: lookups that found an entry.</summary>
    public uint Found { get; init; }

    /// <summary>CTA_STATS_INVALID: packets that could not be tracked.</summary>
    public uint Invalid { get; init; }

    /// <summary>CTA_STATS_INSERT: entries inserted.</summary>
    public uint Insert { get; init; }

    /// <summary>CTA_STATS_INSERT_FAILED: inserts that failed (e.g. a clash).</summary>
    public uint InsertFailed { get; init; }

    /// <summary>CTA_STATS_DROP: packets dropped because no entry could be made.</summary>
    public uint Drop { get; init; }

    /// <summary>CTA_STATS_EARLY_DROP: entries evicted early because the table was full.</summary>
    public uint EarlyDrop { get; init; }

    /// <summary>CTA_STATS_ERROR: ICMP errors that could not be matched.</summary>
    public uint Error { get; init; }

    /// <summary>CTA_STATS_SEARCH_RESTART: lookups restarted after a hash resize.</summary>
    public uint SearchRestart { get; init; }

    /// <summary>CTA_STATS_CLASH_RESOLVE: insert clashes that were resolved.</summary>
    public uint ClashResolve { get; init; }

    /// <summary>CTA_STATS_CHAIN_TOOLONG: hash chains found too long.</summary>
    public uint ChainTooLong { get; init; }
}
