namespace Netfilter.Net.NfTables.Expressions;

/// <summary>What rt loads from the packet's route (uapi nf_tables.h, enum nft_rt_keys).</summary>
public enum RtKey : uint
{
    /// <summary>NFT_RT_CLASSID: the routing realm (nft "rt classid"), host byte order.</summary>
    ClassId = 0,
    /// <summary>NFT_RT_NEXTHOP4: the IPv4 next hop (nft "rt ip nexthop").</summary>
    NextHop4 = 1,
    /// <summary>NFT_RT_NEXTHOP6: the IPv6 next hop (nft "rt ip6 nexthop").</summary>
    NextHop6 = 2,
    /// <summary>NFT_RT_TCPMSS: the TCP MSS the route's MTU allows (nft "rt mtu"), 2 bytes, host byte order.</summary>
    TcpMss = 3,
    /// <summary>NFT_RT_XFRM: 1 when the route uses IPsec (nft "rt ipsec exists").</summary>
    Xfrm = 4,
}
