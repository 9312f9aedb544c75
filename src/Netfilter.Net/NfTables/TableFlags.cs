using System;

namespace Netfilter.Net.NfTables;

/// <summary>Table flags (uapi nf_tables.h, enum nft_table_flags).</summary>
[Flags]
public enum TableFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>NFT_TABLE_F_DORMANT: the table's base chains are not hooked; it holds rules but filters nothing.</summary>
    Dormant = 0x1,
    /// <summary>NFT_TABLE_F_OWNER: the table belongs to the netlink socket that created it and is removed when that socket closes (for example when the process dies).</summary>
    Owner = 0x2,
    /// <summary>NFT_TABLE_F_PERSIST (kernel 6.9): an owned table stays when its owner goes, and can be adopted.</summary>
    Persist = 0x4,
}
