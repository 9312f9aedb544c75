namespace Netfilter.Net.NfTables.Internal;

/// <summary>nftables message types (uapi nf_tables.h, enum nf_tables_msg_types).</summary>
internal static class NfTablesMessageType
{
    /// <summary>NFT_MSG_NEWTABLE.</summary>
    public const byte NewTable = 0;
    /// <summary>NFT_MSG_GETTABLE.</summary>
    public const byte GetTable = 1;
    /// <summary>NFT_MSG_DELTABLE.</summary>
    public const byte DelTable = 2;
    /// <summary>NFT_MSG_NEWCHAIN.</summary>
    public const byte NewChain = 3;
    /// <summary>NFT_MSG_GETCHAIN.</summary>
    public const byte GetChain = 4;
    /// <summary>NFT_MSG_DELCHAIN.</summary>
    public const byte DelChain = 5;
    /// <summary>NFT_MSG_NEWRULE.</summary>
    public const byte NewRule = 6;
    /// <summary>NFT_MSG_GETRULE.</summary>
    public const byte GetRule = 7;
    /// <summary>NFT_MSG_DELRULE.</summary>
    public const byte DelRule = 8;
    /// <summary>NFT_MSG_NEWSET.</summary>
    public const byte NewSet = 9;
    /// <summary>NFT_MSG_GETSET.</summary>
    public const byte GetSet = 10;
    /// <summary>NFT_MSG_DELSET.</summary>
    public const byte DelSet = 11;
    /// <summary>NFT_MSG_NEWSETELEM.</summary>
    public const byte NewSetElement = 12;
    /// <summary>NFT_MSG_GETSETELEM.</summary>
    public const byte GetSetElement = 13;
    /// <summary>NFT_MSG_DELSETELEM.</summary>
    public const byte DelSetElement = 14;
    /// <summary>NFT_MSG_NEWGEN.</summary>
    public const byte NewGen = 15;
    /// <summary>NFT_MSG_GETGEN.</summary>
    public const byte GetGen = 16;
    /// <summary>NFT_MSG_TRACE.</summary>
    public const byte Trace = 17;
    /// <summary>NFT_MSG_NEWOBJ.</summary>
    public const byte NewObj = 18;
    /// <summary>NFT_MSG_GETOBJ.</summary>
    public const byte GetObj = 19;
    /// <summary>NFT_MSG_DELOBJ.</summary>
    public const byte DelObj = 20;
    /// <summary>NFT_MSG_GETOBJ_RESET.</summary>
    public const byte GetObjReset = 21;
    /// <summary>NFT_MSG_NEWFLOWTABLE.</summary>
    public const byte NewFlowtable = 22;
    /// <summary>NFT_MSG_GETFLOWTABLE.</summary>
    public const byte GetFlowtable = 23;
    /// <summary>NFT_MSG_DELFLOWTABLE.</summary>
    public const byte DelFlowtable = 24;
    /// <summary>NFT_MSG_GETRULE_RESET (kernel 6.3).</summary>
    public const byte GetRuleReset = 25;
    /// <summary>NFT_MSG_DESTROYTABLE (kernel 6.3): delete that does not fail when absent.</summary>
    public const byte DestroyTable = 26;
    /// <summary>NFT_MSG_DESTROYCHAIN (kernel 6.3).</summary>
    public const byte DestroyChain = 27;
    /// <summary>NFT_MSG_DESTROYRULE (kernel 6.3).</summary>
    public const byte DestroyRule = 28;
    /// <summary>NFT_MSG_DESTROYSET (kernel 6.3).</summary>
    public const byte DestroySet = 29;
    /// <summary>NFT_MSG_DESTROYSETELEM (kernel 6.3).</summary>
    public const byte DestroySetElement = 30;
    /// <summary>NFT_MSG_DESTROYOBJ (kernel 6.3).</summary>
    public const byte DestroyObj = 31;
    /// <summary>NFT_MSG_DESTROYFLOWTABLE (kernel 6.3).</summary>
    public const byte DestroyFlowtable = 32;

    /// <summary>The kernel's name of a message type, for operation names in errors.</summary>
    public static string Name(byte type) => type switch
    {
        NewTable => "NFT_MSG_NEWTABLE",
        GetTable => "NFT_MSG_GETTABLE",
        DelTable => "NFT_MSG_DELTABLE",
        NewChain => "NFT_MSG_NEWCHAIN",
        GetChain => "NFT_MSG_GETCHAIN",
        DelChain => "NFT_MSG_DELCHAIN",
        NewRule => "NFT_MSG_NEWRULE",
        GetRule => "NFT_MSG_GETRULE",
        DelRule => "NFT_MSG_DELRULE",
        NewSet => "NFT_MSG_NEWSET",
        GetSet => "NFT_MSG_GETSET",
        DelSet => "NFT_MSG_DELSET",
        NewSetElement => "NFT_MSG_NEWSETELEM",
        GetSetElement => "NFT_MSG_GETSETELEM",
        DelSetElement => "NFT_MSG_DELSETELEM",
        NewGen => "NFT_MSG_NEWGEN",
        GetGen => "NFT_MSG_GETGEN",
        Trace => "NFT_MSG_TRACE",
        NewObj => "NFT_MSG_NEWOBJ",
        GetObj => "NFT_MSG_GETOBJ",
        DelObj => "NFT_MSG_DELOBJ",
        GetObjReset => "NFT_MSG_GETOBJ_RESET",
        NewFlowtable => "NFT_MSG_NEWFLOWTABLE",
        GetFlowtable => "NFT_MSG_GETFLOWTABLE",
        DelFlowtable => "NFT_MSG_DELFLOWTABLE",
        GetRuleReset => "NFT_MSG_GETRULE_RESET",
        DestroyTable => "NFT_MSG_DESTROYTABLE",
        DestroyChain => "NFT_MSG_DESTROYCHAIN",
        DestroyRule => "NFT_MSG_DESTROYRULE",
        DestroySet => "NFT_MSG_DESTROYSET",
        DestroySetElement => "NFT_MSG_DESTROYSETELEM",
        DestroyObj => "NFT_MSG_DESTROYOBJ",
        DestroyFlowtable => "NFT_MSG_DESTROYFLOWTABLE",
        _ => $"NFT_MSG_{type}",
    };
}
