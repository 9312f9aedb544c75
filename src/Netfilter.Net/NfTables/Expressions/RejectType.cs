namespace Netfilter.Net.NfTables.Expressions;

/// <summary>How reject answers (uapi nf_tables.h, enum nft_reject_types).</summary>
public enum RejectType : uint
{
    /// <summary>NFT_REJECT_ICMP_UNREACH: an ICMP (ip) or ICMPv6 (ip6) destination-unreachable with the family's own code.</summary>
    IcmpUnreachable = 0,
    /// <summary>NFT_REJECT_TCP_RST: a TCP reset.</summary>
    TcpReset = 1,
    /// <summary>
    /// NFT_REJECT_ICMPX_UNREACH: family-independent unreachable (inet, bridge, netdev); the code is
    /// NFT_REJECT_ICMPX_*: 0 no-route, 1 port-unreachable, 2 host-unreachable, 3 admin-prohibited.
    /// </summary>
    IcmpxUnreachable = 2,
}
