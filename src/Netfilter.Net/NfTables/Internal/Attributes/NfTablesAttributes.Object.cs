namespace Netfilter.Net.NfTables.Internal.Attributes;

/// <summary>NFTA_OBJ_* (uapi nf_tables.h, enum nft_object_attributes).</summary>
internal static class ObjectAttribute
{
    /// <summary>NFTA_OBJ_TABLE (NLA_STRING).</summary>
    public const ushort Table = 1;
    /// <summary>NFTA_OBJ_NAME (NLA_STRING).</summary>
    public const ushort Name = 2;
    /// <summary>NFTA_OBJ_TYPE (NLA_U32, NFT_OBJECT_*).</summary>
    public const ushort Type = 3;
    /// <summary>NFTA_OBJ_DATA (NLA_NESTED): the type's own attributes.</summary>
    public const ushort Data = 4;
    /// <summary>NFTA_OBJ_USE (NLA_U32): references from rules and set elements.</summary>
    public const ushort Use = 5;
    /// <summary>NFTA_OBJ_HANDLE (NLA_U64).</summary>
    public const ushort Handle = 6;
    /// <summary>NFTA_OBJ_PAD.</summary>
    public const ushort Pad = 7;
    /// <summary>NFTA_OBJ_USERDATA (NLA_BINARY): nft keeps the comment here.</summary>
    public const ushort UserData = 8;
}

/// <summary>NFTA_FLOWTABLE_* (uapi nf_tables.h, enum nft_flowtable_attributes).</summary>
internal static class FlowtableAttribute
{
    /// <summary>NFTA_FLOWTABLE_TABLE (NLA_STRING).</summary>
    public const ushort Table = 1;
    /// <summary>NFTA_FLOWTABLE_NAME (NLA_STRING).</summary>
    public const ushort Name = 2;
    /// <summary>NFTA_FLOWTABLE_HOOK (NLA_NESTED NFTA_FLOWTABLE_HOOK_*).</summary>
    public const ushort Hook = 3;
    /// <summary>NFTA_FLOWTABLE_USE (NLA_U32).</summary>
    public const ushort Use = 4;
    /// <summary>NFTA_FLOWTABLE_HANDLE (NLA_U64).</summary>
    public const ushort Handle = 5;
    /// <summary>NFTA_FLOWTABLE_PAD.</summary>
    public const ushort Pad = 6;
    /// <summary>NFTA_FLOWTABLE_FLAGS (NLA_U32, NFT_FLOWTABLE_*).</summary>
    public const ushort Flags = 7;
}

/// <summary>NFTA_FLOWTABLE_HOOK_* (enum nft_flowtable_hook_attributes) and NFTA_DEVICE_NAME.</summary>
internal static class FlowtableHookAttribute
{
    /// <summary>NFTA_FLOWTABLE_HOOK_NUM (NLA_U32).</summary>
    public const ushort Number = 1;
    /// <summary>NFTA_FLOWTABLE_HOOK_PRIORITY (NLA_U32, signed).</summary>
    public const ushort Priority = 2;
    /// <summary>NFTA_FLOWTABLE_HOOK_DEVS (NLA_NESTED NFTA_DEVICE_NAME).</summary>
    public const ushort Devices = 3;
    /// <summary>NFTA_DEVICE_NAME (enum nft_devices_attributes), inside NFTA_FLOWTABLE_HOOK_DEVS.</summary>
    public const ushort DeviceName = 1;
}
