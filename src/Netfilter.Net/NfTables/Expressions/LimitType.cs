namespace Netfilter.Net.NfTables.Expressions;

/// <summary>What a limit counts (uapi nf_tables.h, enum nft_limit_type).</summary>
public enum LimitType : uint
{
    /// <summary>NFT_LIMIT_PKTS: packets.</summary>
    Packets = 0,
    /// <summary>NFT_LIMIT_PKT_BYTES: bytes.</summary>
    Bytes = 1,
}
