using System;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>exthdr flags (uapi nf_tables.h, enum nft_exthdr_flags).</summary>
[Flags]
public enum ExthdrFlags : uint
{
    /// <summary>Load the field itself.</summary>
    None = 0,
    /// <summary>NFT_EXTHDR_F_PRESENT: load 1 when the header/option exists, 0 otherwise (nft "exists").</summary>
    Present = 1 << 0,
}
