namespace Netfilter.Net.NfTables.Expressions;

/// <summary>The hash function (uapi nf_tables.h, enum nft_hash_types).</summary>
public enum HashType : uint
{
    /// <summary>NFT_HASH_JENKINS: jhash over a register's bytes with a seed (nft "jhash").</summary>
    Jenkins = 0,
    /// <summary>NFT_HASH_SYM: the symmetric flow hash of the packet, same in both directions (nft "symhash").</summary>
    Symmetric = 1,
}
