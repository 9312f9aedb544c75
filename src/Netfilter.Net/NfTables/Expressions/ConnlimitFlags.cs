using System;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>connlimit flags (uapi nf_tables.h, enum nft_connlimit_flags).</summary>
[Flags]
public enum ConnlimitFlags : uint
{
    /// <summary>No flags: match while at most <see cref="ConnlimitExpression.Count"/> connections exist.</summary>
    None = 0,
    /// <summary>NFT_CONNLIMIT_F_INV: match when there are more (nft <c>ct count over</c>).</summary>
    Inverted = 1 << 0,
}
