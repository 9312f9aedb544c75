namespace Netfilter.Net.NfTables.Expressions;

/// <summary>What xfrm loads from the packet's IPsec state (uapi nf_tables.h, enum nft_xfrm_keys).</summary>
public enum XfrmKey : uint
{
    /// <summary>NFT_XFRM_KEY_UNSPEC.</summary>
    Unspecified = 0,
    /// <summary>NFT_XFRM_KEY_DADDR_IP4: the tunnel's IPv4 destination (nft "ipsec in ip daddr").</summary>
    DestinationAddress4 = 1,
    /// <summary>NFT_XFRM_KEY_DADDR_IP6: the tunnel's IPv6 destination.</summary>
    DestinationAddress6 = 2,
    /// <summary>NFT_XFRM_KEY_SADDR_IP4: the tunnel's IPv4 source.</summary>
    SourceAddress4 = 3,
    /// <summary>NFT_XFRM_KEY_SADDR_IP6: the tunnel's IPv6 source.</summary>
    SourceAddress6 = 4,
    /// <summary>NFT_XFRM_KEY_REQID: the policy's reqid, host byte order.</summary>
    RequestId = 5,
    /// <summary>NFT_XFRM_KEY_SPI: the security parameter index, network byte order.</summary>
    Spi = 6,
}
