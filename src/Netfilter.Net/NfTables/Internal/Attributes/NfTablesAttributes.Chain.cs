namespace Netfilter.Net.NfTables.Internal.Attributes;

/// <summary>NFTA_CHAIN_* (uapi nf_tables.h, enum nft_chain_attributes).</summary>
internal static class ChainAttribute
{
    /// <summary>NFTA_CHAIN_TABLE.</summary>
    public const ushort Table = 1;
    /// <summary>NFTA_CHAIN_HANDLE (u64).</summary>
    public const ushort Handle = 2;
    /// <summary>NFTA_CHAIN_NAME.</summary>
    public const ushort Name = 3;
    /// <summary>NFTA_CHAIN_HOOK (nested NFTA_HOOK_*).</summary>
    public const ushort Hook = 4;
    /// <summary>NFTA_CHAIN_POLICY (u32 verdict).</summary>
    public const ushort Policy = 5;
    /// <summary>NFTA_CHAIN_USE (u32).</summary>
    public const ushort Use = 6;
    /// <summary>NFTA_CHAIN_TYPE (string: filter, nat, route).</summary>
    public const ushort Type = 7;
    /// <summary>NFTA_CHAIN_COUNTERS (nested).</summary>
    public const ushort Counters = 8;
    /// <summary>NFTA_CHAIN_PAD.</summary>
    public const ushort Pad = 9;
    /// <summary>NFTA_CHAIN_FLAGS (u32).</summary>
    public const ushort Flags = 10;
    /// <summary>NFTA_CHAIN_ID (u32).</summary>
    public const ushort Id = 11;
    /// <summary>NFTA_CHAIN_USERDATA.</summary>
    public const ushort UserData = 12;
}

/// <summary>NFTA_HOOK_* (enum nft_hook_attributes).</summary>
internal static class HookAttribute
{
    /// <summary>NFTA_HOOK_HOOKNUM (u32).</summary>
    public const ushort HookNumber = 1;
    /// <summary>NFTA_HOOK_PRIORITY (s32).</summary>
    public const ushort Priority = 2;
    /// <summary>NFTA_HOOK_DEV (string).</summary>
    public const ushort Device = 3;
    /// <summary>NFTA_HOOK_DEVS (nested NFTA_DEVICE_NAME).</summary>
    public const ushort Devices = 4;
}

/// <summary>NFTA_RULE_* (enum nft_rule_attributes).</summary>
internal static class RuleAttribute
{
    /// <summary>NFTA_RULE_TABLE.</summary>
    public const ushort Table = 1;
    /// <summary>NFTA_RULE_CHAIN.</summary>
    public const ushort Chain = 2;
    /// <summary>NFTA_RULE_HANDLE (u64).</summary>
    public const ushort Handle = 3;
    /// <summary>NFTA_RULE_EXPRESSIONS (nested NFTA_LIST_ELEM).</summary>
    public const ushort Expressions = 4;
    /// <summary>NFTA_RULE_COMPAT (nested).</summary>
    public const ushort Compat = 5;
    /// <summary>NFTA_RULE_POSITION (u64): the handle of the rule this one follows (or precedes, for insert).</summary>
    public const ushort Position = 6;
    /// <summary>NFTA_RULE_USERDATA: nft keeps the comment here.</summary>
    public const ushort UserData = 7;
    /// <summary>NFTA_RULE_PAD.</summary>
    public const ushort Pad = 8;
    /// <summary>NFTA_RULE_ID (u32).</summary>
    public const ushort Id = 9;
    /// <summary>NFTA_RULE_POSITION_ID (u32).</summary>
    public const ushort PositionId = 10;
    /// <summary>NFTA_RULE_CHAIN_ID (u32).</summary>
    public const ushort ChainId = 11;
}

/// <summary>NFTA_SET_* (enum nft_set_attributes).</summary>
internal static class SetAttribute
{
    public const ushort Table = 1;
    public const ushort Name = 2;
    public const ushort Flags = 3;
    public const ushort KeyType = 4;
    public const ushort KeyLength = 5;
    public const ushort DataType = 6;
    public const ushort DataLength = 7;
    public const ushort Policy = 8;
    public const ushort Descriptor = 9;
    public const ushort Id = 10;
    public const ushort Timeout = 11;
    public const ushort GcInterval = 12;
    public const ushort UserData = 13;
    public const ushort Pad = 14;
    public const ushort ObjectType = 15;
    public const ushort Handle = 16;
    public const ushort Expression = 17;
    public const ushort Expressions = 18;
}

/// <summary>NFTA_SET_DESC_* and NFTA_SET_FIELD_* (set descriptor: size and concatenation field lengths).</summary>
internal static class SetDescriptorAttribute
{
    /// <summary>NFTA_SET_DESC_SIZE (u32).</summary>
    public const ushort Size = 1;
    /// <summary>NFTA_SET_DESC_CONCAT (nested NFTA_LIST_ELEM { NFTA_SET_FIELD_LEN }).</summary>
    public const ushort Concat = 2;
    /// <summary>NFTA_SET_FIELD_LEN (u32).</summary>
    public const ushort FieldLength = 1;
}

/// <summary>NFTA_SET_ELEM_* (enum nft_set_elem_attributes).</summary>
internal static class SetElementAttribute
{
    public const ushort Key = 1;
    public const ushort Data = 2;
    public const ushort Flags = 3;
    public const ushort Timeout = 4;
    public const ushort Expiration = 5;
    public const ushort UserData = 6;
    public const ushort Expression = 7;
    public const ushort Pad = 8;
    public const ushort ObjectReference = 9;
    public const ushort KeyEnd = 10;
    public const ushort Expressions = 11;
}

/// <summary>NFTA_SET_ELEM_LIST_* (enum nft_set_elem_list_attributes).</summary>
internal static class SetElementListAttribute
{
    public const ushort Table = 1;
    public const ushort Set = 2;
    public const ushort Elements = 3;
    public const ushort SetId = 4;
}
