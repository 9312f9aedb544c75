namespace Netfilter.Net.NfTables.Expressions;

/// <summary>cmp operators (uapi nf_tables.h, enum nft_cmp_ops).</summary>
public enum CmpOperator : uint
{
    /// <summary>NFT_CMP_EQ: eq.</summary>
    Equal = 0,
    /// <summary>NFT_CMP_NEQ: neq.</summary>
    NotEqual = 1,
    /// <summary>NFT_CMP_LT: lt.</summary>
    LessThan = 2,
    /// <summary>NFT_CMP_LTE: lte.</summary>
    LessThanOrEqual = 3,
    /// <summary>NFT_CMP_GT: gt.</summary>
    GreaterThan = 4,
    /// <summary>NFT_CMP_GTE: gte.</summary>
    GreaterThanOrEqual = 5,
}
