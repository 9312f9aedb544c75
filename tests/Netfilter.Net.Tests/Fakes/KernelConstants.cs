namespace Netfilter.Net.Tests.Fakes;

/// <summary>
/// The uapi numbers the foundation tests need to build and read nftables messages generically,
/// without the NfTables object model. Each value is the kernel's enum position in
/// /usr/include/linux/netfilter/nf_tables.h (linux-libc-dev 6.1) or linux/netlink.h.
/// </summary>
internal static class KernelConstants
{
    /// <summary>enum nf_tables_msg_types.</summary>
    public const byte NftMsgNewTable = 0;   // NFT_MSG_NEWTABLE
    public const byte NftMsgGetTable = 1;   // NFT_MSG_GETTABLE
    public const byte NftMsgDelTable = 2;   // NFT_MSG_DELTABLE
    public const byte NftMsgNewChain = 3;   // NFT_MSG_NEWCHAIN
    public const byte NftMsgNewGen = 15;    // NFT_MSG_NEWGEN
    public const byte NftMsgGetGen = 16;    // NFT_MSG_GETGEN

    /// <summary>enum nft_table_attributes.</summary>
    public const ushort NftaTableName = 1;   // NFTA_TABLE_NAME
    public const ushort NftaTableFlags = 2;  // NFTA_TABLE_FLAGS
    public const ushort NftaTableUse = 3;    // NFTA_TABLE_USE
    public const ushort NftaTableHandle = 4; // NFTA_TABLE_HANDLE

    /// <summary>enum nft_chain_attributes.</summary>
    public const ushort NftaChainTable = 1;  // NFTA_CHAIN_TABLE
    public const ushort NftaChainName = 3;   // NFTA_CHAIN_NAME
    public const ushort NftaChainHook = 4;   // NFTA_CHAIN_HOOK (nested)
    public const ushort NftaChainType = 7;   // NFTA_CHAIN_TYPE

    /// <summary>enum nft_hook_attributes.</summary>
    public const ushort NftaHookHooknum = 1;  // NFTA_HOOK_HOOKNUM
    public const ushort NftaHookPriority = 2; // NFTA_HOOK_PRIORITY

    /// <summary>enum nft_gen_attributes.</summary>
    public const ushort NftaGenId = 1;       // NFTA_GEN_ID
    public const ushort NftaGenProcPid = 2;  // NFTA_GEN_PROC_PID
    public const ushort NftaGenProcName = 3; // NFTA_GEN_PROC_NAME

    /// <summary>enum nf_inet_hooks (linux/netfilter.h): NF_INET_LOCAL_IN.</summary>
    public const uint NfInetLocalIn = 1;

    /// <summary>enum nlmsgerr_attrs (linux/netlink.h).</summary>
    public const ushort NlmsgerrAttrMsg = 1;    // NLMSGERR_ATTR_MSG
    public const ushort NlmsgerrAttrOffs = 2;   // NLMSGERR_ATTR_OFFS
    public const ushort NlmsgerrAttrPolicy = 4; // NLMSGERR_ATTR_POLICY
}
