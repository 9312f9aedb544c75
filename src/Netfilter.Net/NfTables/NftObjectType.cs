namespace Netfilter.Net.NfTables;

/// <summary>Stateful object types (uapi nf_tables.h, NFT_OBJECT_*): NFTA_OBJ_TYPE, NFTA_OBJREF_IMM_TYPE, NFTA_SET_OBJ_TYPE.</summary>
public enum NftObjectType : uint
{
    /// <summary>NFT_OBJECT_UNSPEC.</summary>
    Unspecified = 0,
    /// <summary>NFT_OBJECT_COUNTER: a named counter (nft "counter NAME").</summary>
    Counter = 1,
    /// <summary>NFT_OBJECT_QUOTA: a named quota.</summary>
    Quota = 2,
    /// <summary>NFT_OBJECT_CT_HELPER: a conntrack helper assignment (nft "ct helper").</summary>
    CtHelper = 3,
    /// <summary>NFT_OBJECT_LIMIT: a named rate limit.</summary>
    Limit = 4,
    /// <summary>NFT_OBJECT_CONNLIMIT: a named connection-count limit (nft 1.0.6 cannot create it).</summary>
    Connlimit = 5,
    /// <summary>NFT_OBJECT_TUNNEL: tunnel metadata (nft 1.0.6 cannot create it).</summary>
    Tunnel = 6,
    /// <summary>NFT_OBJECT_CT_TIMEOUT: a conntrack timeout policy (nft "ct timeout").</summary>
    CtTimeout = 7,
    /// <summary>NFT_OBJECT_SECMARK: an SELinux security context (nft "secmark").</summary>
    Secmark = 8,
    /// <summary>NFT_OBJECT_CT_EXPECT: a conntrack expectation (nft "ct expectation").</summary>
    CtExpectation = 9,
    /// <summary>NFT_OBJECT_SYNPROXY: SYN proxy settings (nft "synproxy NAME").</summary>
    Synproxy = 10,
}
