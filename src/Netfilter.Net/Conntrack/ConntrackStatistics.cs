namespace Netfilter.Net.Conntrack;

/// <summary>
/// The table's size and limit (IPCTNL_MSG_CT_GET_STATS): what /proc/sys/net/netfilter/nf_conntrack_count
/// and nf_conntrack_max show, for the namespace the client works in.
/// </summary>
/// <param name="Entries">Entries in the table (CTA_STATS_GLOBAL_ENTRIES).</param>
/// <param name="MaxEntries">The limit, nf_conntrack_max (CTA_STATS_GLOBAL_MAX_ENTRIES).</param>
public readonly record struct ConntrackStatistics(uint Entries, uint MaxEntries);
