namespace Netfilter.Net.NfTables.Expressions;

/// <summary>Where a payload offset counts from (uapi nf_tables.h, enum nft_payload_bases).</summary>
public enum PayloadBase : uint
{
    /// <summary>NFT_PAYLOAD_LL_HEADER: link layer.</summary>
    LinkLayer = 0,
    /// <summary>NFT_PAYLOAD_NETWORK_HEADER: the IP header.</summary>
    Network = 1,
    /// <summary>NFT_PAYLOAD_TRANSPORT_HEADER: TCP/UDP/... header.</summary>
    Transport = 2,
    /// <summary>NFT_PAYLOAD_INNER_HEADER (kernel 5.8).</summary>
    Inner = 3,
    /// <summary>NFT_PAYLOAD_TUN_HEADER (kernel 6.2).</summary>
    Tunnel = 4,
}
