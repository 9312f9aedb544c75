using System;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>limit flags (uapi nf_tables.h, enum nft_limit_flags).</summary>
[Flags]
public enum LimitFlags : uint
{
    /// <summary>No flags: match while under the rate.</summary>
    None = 0,
    /// <summary>NFT_LIMIT_F_INV: match once over the rate (nft <c>limit rate over</c>).</summary>
    Inverted = 1 << 0,
}
