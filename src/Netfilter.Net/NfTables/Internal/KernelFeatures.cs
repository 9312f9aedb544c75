using System;
using System.Collections.Generic;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// The nf_tables features the library uses that not every supported kernel has, with the release
/// that added each (read from the kernel's history; README "Kernel support" lists them with what
/// the kernel matrix, native-tests/kernels, proved) and the errno an older kernel answers with.
/// Operations declare which of these they use (Operation.Features); when the
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

    /// <summary>
    /// Each expression type the library encodes: the release that added it to nf_tables, the
    /// build option it needs (null for those of nf_tables itself), and whether it names another
    /// object (then ENOENT may mean that object is missing, not the type). An older kernel, or one
    /// built without the option, answers an unknown expression name with ENOENT (nft_expr_type_get,
    /// after trying to load nft-expr-NAME).
    /// </summary>
    private static readonly Dictionary<string, KernelFeature> s_expressions = new(StringComparer.Ordinal)
    {
        ["payload"] = Expression("payload", 3, 13, null),
        ["meta"] = Expression("meta", 3, 13, null),
        ["cmp"] = Expression("cmp", 3, 13, null),
        ["bitwise"] = Expression("bitwise", 3, 13, null),
        ["byteorder"] = Expression("byteorder", 3, 13, null),
        ["immediate"] = Expression("immediate", 3, 13, null, references: true),
        ["lookup"] = Expression("lookup", 3, 13, null, references: true),
        ["counter"] = Expression("counter", 3, 13, null),
        ["exthdr"] = Expression("exthdr", 3, 13, null),
        ["ct"] = Expression("ct", 3, 13, "CONFIG_NFT_CT"),
        ["log"] = Expression("log", 3, 13, "CONFIG_NFT_LOG"),
        ["limit"] = Expression("limit", 3, 13, "CONFIG_NFT_LIMIT"),
        ["nat"] = Expression("nat", 3, 13, "CONFIG_NFT_NAT"),
        ["reject"] = Expression("reject", 3, 13, "CONFIG_NFT_REJECT"),
        ["match"] = Expression("match", 3, 13, "CONFIG_NFT_COMPAT", references: true),
        ["target"] = Expression("target", 3, 13, "CONFIG_NFT_COMPAT", references: true),
        ["queue"] = Expression("queue", 3, 14, "CONFIG_NFT_QUEUE"),
        ["masq"] = Expression("masq", 3, 18, "CONFIG_NFT_MASQ"),
        ["redir"] = Expression("redir", 3, 19, "CONFIG_NFT_REDIR"),
        ["dynset"] = Expression("dynset", 4, 1, null, references: true),
        ["dup"] = Expression("dup", 4, 3, "CONFIG_NFT_DUP_IPV4, CONFIG_NFT_DUP_IPV6 or CONFIG_NFT_DUP_NETDEV"),
        ["fwd"] = Expression("fwd", 4, 5, "CONFIG_NFT_FWD_NETDEV"),
        ["range"] = Expression("range", 4, 9, null),
        ["numgen"] = Expression("numgen", 4, 9, "CONFIG_NFT_NUMGEN"),
        ["hash"] = Expression("hash", 4, 9, "CONFIG_NFT_HASH"),
        ["quota"] = Expression("quota", 4, 9, "CONFIG_NFT_QUOTA"),
        ["notrack"] = Expression("notrack", 4, 9, "CONFIG_NFT_CT"),
        ["fib"] = Expression("fib", 4, 10, "CONFIG_NFT_FIB_INET, CONFIG_NFT_FIB_IPV4 or CONFIG_NFT_FIB_IPV6"),
        ["objref"] = Expression("objref", 4, 10, null, references: true),
        ["rt"] = Expression("rt", 4, 10, null),
        ["flow_offload"] = Expression("flow_offload", 4, 16, "CONFIG_NFT_FLOW_OFFLOAD", references: true),
        ["socket"] = Expression("socket", 4, 18, "CONFIG_NFT_SOCKET"),
        ["tproxy"] = Expression("tproxy", 4, 19, "CONFIG_NFT_TPROXY"),
        ["osf"] = Expression("osf", 4, 19, "CONFIG_NFT_OSF"),
        ["connlimit"] = Expression("connlimit", 4, 19, "CONFIG_NFT_CONNLIMIT"),
        ["synproxy"] = Expression("synproxy", 5, 3, "CONFIG_NFT_SYNPROXY"),
        ["xfrm"] = Expression("xfrm", 5, 3, "CONFIG_NFT_XFRM"),
        ["last"] = Expression("last", 5, 14, null),
    };

    private static KernelFeature Expression(string name, int major, int minor, string? config, bool references = false) => new(
        $"the {name} expression", new Version(major, minor), $"nft_{name}, Linux {major}.{minor}", s_unknownExpression, config,
        absentTypeIsEnoent: config is not null && !references);

    /// <summary>The feature of expression type <paramref name="name"/>, or null for a name the library does not model.</summary>
    public static KernelFeature? ForExpression(string name) => s_expressions.TryGetValue(name, out KernelFeature? feature) ? feature : null;

    /// <summary>Every expression type the library encodes, with its first kernel and build option.</summary>
    public static IEnumerable<KernelFeature> Expressions => s_expressions.Values;

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
