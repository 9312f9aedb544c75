namespace Netfilter.Net.Conntrack;

/// <summary>
/// SYN proxy state of a TCP connection (CTA_SYNPROXY); the kernel reports it for TCP entries,
/// all zero unless nft/iptables <c>synproxy</c> handled the handshake.
/// </summary>
/// <param name="InitialSequence">CTA_SYNPROXY_ISN.</param>
/// <param name="InitialTimestamp">CTA_SYNPROXY_ITS.</param>
/// <param name="TimestampOffset">CTA_SYNPROXY_TSOFF.</param>
public readonly record struct ConntrackSynproxy(uint InitialSequence, uint InitialTimestamp, uint TimestampOffset);
