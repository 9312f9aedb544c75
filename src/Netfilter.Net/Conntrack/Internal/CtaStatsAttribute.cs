namespace Netfilter.Net.Conntrack.Internal;

/// <summary>enum ctattr_stats_cpu: per-CPU counters of IPCTNL_MSG_CT_GET_STATS_CPU (all be32).</summary>
internal static class CtaStatsCpuAttribute
{
    /// <summary>CTA_STATS_SEARCHED (no longer used).</summary>
    public const ushort Searched = 1;
    /// <summary>CTA_STATS_FOUND.</summary>
    public const ushort Found = 2;
    /// <summary>CTA_STATS_NEW (no longer used).</summary>
    public const ushort New = 3;
    /// <summary>CTA_STATS_INVALID.</summary>
    public const ushort Invalid = 4;
    /// <summary>CTA_STATS_IGNORE (no longer used).</summary>
    public const ushort Ignore = 5;
    /// <summary>CTA_STATS_DELETE (no longer used).</summary>
    public const ushort Delete = 6;
    /// <summary>CTA_STATS_DELETE_LIST (no longer used).</summary>
    public const ushort DeleteList = 7;
    /// <summary>CTA_STATS_INSERT.</summary>
    public const ushort Insert = 8;
    /// <summary>CTA_STATS_INSERT_FAILED.</summary>
    public const ushort InsertFailed = 9;
    /// <summary>CTA_STATS_DROP.</summary>
    public const ushort Drop = 10;
    /// <summary>CTA_STATS_EARLY_DROP.</summary>
    public const ushort EarlyDrop = 11;
    /// <summary>CTA_STATS_ERROR.</summary>
    public const ushort Error = 12;
    /// <summary>CTA_STATS_SEARCH_RESTART.</summary>
    public const ushort SearchRestart = 13;
    /// <summary>CTA_STATS_CLASH_RESOLVE.</summary>
    public const ushort ClashResolve = 14;
    /// <summary>CTA_STATS_CHAIN_TOOLONG.</summary>
    public const ushort ChainTooLong = 15;
}

/// <summary>enum ctattr_stats_global: IPCTNL_MSG_CT_GET_STATS (be32).</summary>
internal static class CtaStatsGlobalAttribute
{
    /// <summary>CTA_STATS_GLOBAL_ENTRIES.</summary>
    public const ushort Entries = 1;
    /// <summary>CTA_STATS_GLOBAL_MAX_ENTRIES.</summary>
    public const ushort MaxEntries = 2;
}
