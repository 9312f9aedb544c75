using System;

namespace Netfilter.Net.NfTables;

/// <summary>Set element flags (uapi nf_tables.h, enum nft_set_elem_flags).</summary>
[Flags]
public enum SetElementFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>NFT_SET_ELEM_INTERVAL_END: this element closes an interval.</summary>
    IntervalEnd = 0x1,
    /// <summary>NFT_SET_ELEM_CATCHALL: matches every key not otherwise in the set.</summary>
    CatchAll = 0x2,
}
