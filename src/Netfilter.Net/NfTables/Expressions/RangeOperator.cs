namespace Netfilter.Net.NfTables.Expressions;

/// <summary>range operators (uapi nf_tables.h, enum nft_range_ops).</summary>
public enum RangeOperator : uint
{
    /// <summary>NFT_RANGE_EQ: inside the range (eq).</summary>
    Equal = 0,
    /// <summary>NFT_RANGE_NEQ: outside the range (neq).</summary>
    NotEqual = 1,
}
