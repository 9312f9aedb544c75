namespace Netfilter.Net.NfTables.Expressions;

/// <summary>How numgen picks its number (uapi nf_tables.h, enum nft_ng_types).</summary>
public enum NumgenType : uint
{
    /// <summary>NFT_NG_INCREMENTAL: 0, 1, ..., modulus - 1, 0, ... (nft "numgen inc").</summary>
    Incremental = 0,
    /// <summary>NFT_NG_RANDOM: a random number below the modulus (nft "numgen random").</summary>
    Random = 1,
}
