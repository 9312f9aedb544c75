using System;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>quota flags (uapi nf_tables.h, enum nft_quota_flags).</summary>
[Flags]
public enum QuotaFlags : uint
{
    /// <summary>No flags: match until the quota is used up.</summary>
    None = 0,
    /// <summary>NFT_QUOTA_F_INV: match once the quota is used up (nft <c>quota over</c>).</summary>
    Inverted = 1 << 0,
    /// <summary>NFT_QUOTA_F_DEPLETED: the quota is used up (set by the kernel).</summary>
    Depleted = 1 << 1,
}
