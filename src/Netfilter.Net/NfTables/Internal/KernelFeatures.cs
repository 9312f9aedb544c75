using System;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// The nf_tables features the library uses that not every supported kernel has, with the release
/// that added each (read from the kernel's history; README "Kernel support" lists them with what
/// the kernel matrix, native-tests/kernels, proved) and the errno an older kernel answers with.
/// Operations declare which of these they use (NfTablesTransaction.Operation.Features); when the
/// kernel refuses one with that errno and is older than the feature, the refusal becomes an
/// <see cref="NfTablesKernelFeatureException"/> instead of a bare errno.
/// </summary>
internal static class KernelFeatures
{
    private static readonly Errno[] s_invalid = { Errno.EINVAL, Errno.EOPNOTSUPP };
    private static readonly Errno[] s_unsupported = { Errno.EOPNOTSUPP, Errno.EINVAL };
    private static readonly Errno[] s_unknownExpression = { Errno.ENOENT, Errno.EOPNOTSUPP };

    /// <summary>
    /// NFT_MSG_DESTROY*: a delete that ignores absent objects. An older kernel has no handler for
    /// the message type and nfnetlink_rcv_batch answers EINVAL (nfnetlink_find_client finds none).
    /// </summary>
    public static readonly KernelFeature Destroy = new(
        "destroy (NFT_MSG_DESTROYTABLE and the other DESTROY messages)", new Version(6, 3),
        "f80a612dd77c \"netfilter: nf_tables: add support to destroy operation\", Linux 6.3", s_invalid);

    /// <summary>NFT_TABLE_F_OWNER: nf_tables_newtable refuses unknown table flags with EOPNOTSUPP.</summary>
    public static readonly KernelFeature TableOwner = new(
        "owned tables (NFT_TABLE_F_OWNER)", new Version(5, 12),
        "6001a930ce03 \"netfilter: nftables: introduce table ownership\", Linux 5.12", s_unsupported);

    /// <summary>NFT_TABLE_F_PERSIST: refused like any unknown table flag.</summary>
    public static readonly KernelFeature TablePersist = new(
        "persistent owned tables (NFT_TABLE_F_PERSIST)", new Version(6, 9),
        "da5141bbe0c2 \"netfilter: nf_tables: Introduce NFT_TABLE_F_PERSIST\", Linux 6.9", s_unsupported);

    /// <summary>NFT_SET_ELEM_CATCHALL: an element without a key.</summary>
    public static readonly KernelFeature CatchAllElement = new(
        "catch-all set elements (NFT_SET_ELEM_CATCHALL)", new Version(5, 13),
        "aaa31047a6d2 \"netfilter: nftables: add catch-all set element support\", Linux 5.13", s_invalid);

    /// <summary>Bitwise shifts (NFT_BITWISE_LSHIFT/RSHIFT): nft_bitwise_init refuses an unknown operation.</summary>
    public static readonly KernelFeature BitwiseShift = new(
        "bitwise shifts (NFT_BITWISE_LSHIFT, NFT_BITWISE_RSHIFT)", new Version(5, 8),
        "567d746b55bc \"netfilter: bitwise: add support for shifts\", Linux 5.8", s_unsupported);

    /// <summary>Bitwise and/or/xor of a register with another register or a constant (NFTA_BITWISE_SREG2).</summary>
    public static readonly KernelFeature BitwiseRegisterOperations = new(
        "bitwise and/or/xor between registers (NFT_BITWISE_AND/OR/XOR)", new Version(6, 13),
        "\"netfilter: bitwise: add support for doing AND, OR and XOR directly\", Linux 6.13", s_unsupported);

    /// <summary>The last expression: nf_tables_expr_parse answers an unknown expression name with ENOENT.</summary>
    public static readonly KernelFeature LastExpression = new(
        "the last expression (nft \"last\")", new Version(5, 14),
        "836382dc2471 \"netfilter: nf_tables: add last expression\", Linux 5.14", s_unknownExpression);

    /// <summary>meta broute (NFT_META_BRI_BROUTE): nft_meta_bridge refuses an unknown key.</summary>
    public static readonly KernelFeature MetaBroute = new(
        "meta broute (NFT_META_BRI_BROUTE)", new Version(6, 5),
        "\"netfilter: nf_tables: Add support for broute\" (NFT_META_BRI_BROUTE), Linux 6.5", s_unsupported);

    /// <summary>
    /// Flowtables: NFT_MSG_NEWFLOWTABLE and the flow_offload expression. A kernel built without
    /// CONFIG_NF_FLOW_TABLE (or without the nf_flow_table_inet module) has no flowtable type for
    /// the family, and nf_tables_newflowtable answers ENOENT without pointing at an attribute (a
    /// missing table is ENOENT pointing at NFTA_FLOWTABLE_TABLE).
    /// </summary>
    public static readonly KernelFeature Flowtables = new(
        "flowtables (NFT_MSG_NEWFLOWTABLE, flow offload)", new Version(4, 16),
        "3b49e2e94e6e \"netfilter: nf_tables: add flow table netlink frontend\", Linux 4.16", s_unknownExpression,
        "CONFIG_NF_FLOW_TABLE and CONFIG_NF_FLOW_TABLE_INET (module nf_flow_table_inet)");
}
