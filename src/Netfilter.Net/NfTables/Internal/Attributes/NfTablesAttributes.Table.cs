namespace Netfilter.Net.NfTables.Internal.Attributes;

/// <summary>NFTA_TABLE_* (uapi nf_tables.h, enum nft_table_attributes).</summary>
internal static class TableAttribute
{
    /// <summary>NFTA_TABLE_NAME (NLA_STRING).</summary>
    public const ushort Name = 1;
    /// <summary>NFTA_TABLE_FLAGS (NLA_U32, big-endian).</summary>
    public const ushort Flags = 2;
    /// <summary>NFTA_TABLE_USE (NLA_U32): number of chains.</summary>
    public const ushort Use = 3;
    /// <summary>NFTA_TABLE_HANDLE (NLA_U64).</summary>
    public const ushort Handle = 4;
    /// <summary>NFTA_TABLE_PAD.</summary>
    public const ushort Pad = 5;
    /// <summary>NFTA_TABLE_USERDATA (NLA_BINARY): nft stores the comment here as a TLV.</summary>
    public const ushort UserData = 6;
    /// <summary>NFTA_TABLE_OWNER (NLA_U32): the port id of the owning socket.</summary>
    public const ushort Owner = 7;
}

/// <summary>NFTA_GEN_* (uapi nf_tables.h, enum nft_gen_attributes).</summary>
internal static class GenerationAttribute
{
    /// <summary>NFTA_GEN_ID (NLA_U32).</summary>
    public const ushort Id = 1;
    /// <summary>NFTA_GEN_PROC_PID (NLA_U32).</summary>
    public const ushort ProcessId = 2;
    /// <summary>NFTA_GEN_PROC_NAME (NLA_STRING).</summary>
    public const ushort ProcessName = 3;
}
