namespace Netfilter.Net.Conntrack;

/// <summary>
/// Packets and bytes seen in one direction of a connection (CTA_COUNTERS_ORIG / CTA_COUNTERS_REPLY).
/// The kernel reports them only when accounting is on (sysctl net.netfilter.nf_conntrack_acct = 1,
/// per network namespace, or an nft <c>ct</c> counter).
/// </summary>
/// <param name="Packets">Packets seen.</param>
/// <param name="Bytes">Bytes seen, IP header included.</param>
public readonly record struct ConntrackCounters(ulong Packets, ulong Bytes);
