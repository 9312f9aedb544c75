namespace Netfilter.Net.NfTables.Internal.Attributes;

/// <summary>NFTA_LIST_* (uapi nf_tables.h, enum nft_list_attributes).</summary>
internal static class ListAttribute
{
    /// <summary>NFTA_LIST_ELEM.</summary>
    public const ushort Element = 1;
}

/// <summary>NFTA_EXPR_* (enum nft_expr_attributes).</summary>
internal static class ExprAttribute
{
    /// <summary>NFTA_EXPR_NAME (NLA_STRING): the kernel expression type, e.g. "payload".</summary>
    public const ushort Name = 1;
    /// <summary>NFTA_EXPR_DATA (NLA_NESTED): the expression's own attributes.</summary>
    public const ushort Data = 2;
}

/// <summary>NFTA_DATA_* (enum nft_data_attributes).</summary>
internal static class DataAttribute
{
    /// <summary>NFTA_DATA_VALUE (NLA_BINARY).</summary>
    public const ushort Value = 1;
    /// <summary>NFTA_DATA_VERDICT (NLA_NESTED).</summary>
    public const ushort Verdict = 2;
}

/// <summary>NFTA_VERDICT_* (enum nft_verdict_attributes).</summary>
internal static class VerdictAttribute
{
    /// <summary>NFTA_VERDICT_CODE (NLA_U32, big-endian, signed).</summary>
    public const ushort Code = 1;
    /// <summary>NFTA_VERDICT_CHAIN (NLA_STRING).</summary>
    public const ushort Chain = 2;
    /// <summary>NFTA_VERDICT_CHAIN_ID (NLA_U32).</summary>
    public const ushort ChainId = 3;
}
