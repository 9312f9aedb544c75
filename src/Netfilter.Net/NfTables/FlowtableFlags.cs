using System;

namespace Netfilter.Net.NfTables;

/// <summary>Flowtable flags (uapi nf_tables.h, enum nft_flowtable_flags).</summary>
[Flags]
public enum FlowtableFlags : uint
{
    /// <summary>No flags: software fast path.</summary>
    None = 0,
    /// <summary>NFT_FLOWTABLE_HW_OFFLOAD: offload to the NIC (nft "flags offload").</summary>
    HardwareOffload = 0x1,
    /// <summary>NFT_FLOWTABLE_COUNTER: keep per-flow counters (nft "counter").</summary>
    Counter = 0x2,
}
