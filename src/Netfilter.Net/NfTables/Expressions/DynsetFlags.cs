using System;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>dynset flags (uapi nf_tables.h, enum nft_dynset_flags).</summary>
[Flags]
public enum DynsetFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>NFT_DYNSET_F_INV: the match is inverted.</summary>
    Inverted = 1 << 0,
    /// <summary>NFT_DYNSET_F_EXPR: the element carries the expressions given (nft sets it with several).</summary>
    Expressions = 1 << 1,
}
