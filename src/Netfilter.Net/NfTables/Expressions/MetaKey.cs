namespace Netfilter.Net.NfTables.Expressions;

/// <summary>Meta keys (uapi nf_tables.h, enum nft_meta_keys). The comment after each is nft's name.</summary>
public enum MetaKey : uint
{
    /// <summary>NFT_META_LEN: len.</summary>
    Length = 0,
    /// <summary>NFT_META_PROTOCOL: protocol (ethertype, network byte order).</summary>
    Protocol = 1,
    /// <summary>NFT_META_PRIORITY: priority.</summary>
    Priority = 2,
    /// <summary>NFT_META_MARK: mark (host byte order).</summary>
    Mark = 3,
    /// <summary>NFT_META_IIF: iif (ifindex).</summary>
    InputInterface = 4,
    /// <summary>NFT_META_OIF: oif (ifindex).</summary>
    OutputInterface = 5,
    /// <summary>NFT_META_IIFNAME: iifname (16 bytes).</summary>
    InputInterfaceName = 6,
    /// <summary>NFT_META_OIFNAME: oifname (16 bytes).</summary>
    OutputInterfaceName = 7,
    /// <summary>NFT_META_IIFTYPE: iiftype.</summary>
    InputInterfaceType = 8,
    /// <summary>NFT_META_OIFTYPE: oiftype.</summary>
    OutputInterfaceType = 9,
    /// <summary>NFT_META_SKUID: skuid.</summary>
    SocketUid = 10,
    /// <summary>NFT_META_SKGID: skgid.</summary>
    SocketGid = 11,
    /// <summary>NFT_META_NFTRACE: nftrace.</summary>
    NfTrace = 12,
    /// <summary>NFT_META_RTCLASSID: rtclassid.</summary>
    RouteClassId = 13,
    /// <summary>NFT_META_SECMARK: secmark.</summary>
    SecMark = 14,
    /// <summary>NFT_META_NFPROTO: nfproto (1 byte).</summary>
    NfProto = 15,
    /// <summary>NFT_META_L4PROTO: l4proto (1 byte).</summary>
    L4Proto = 16,
    /// <summary>NFT_META_BRI_IIFNAME: bri_iifname.</summary>
    BridgeInputInterfaceName = 17,
    /// <summary>NFT_META_BRI_OIFNAME: bri_oifname.</summary>
    BridgeOutputInterfaceName = 18,
    /// <summary>NFT_META_PKTTYPE: pkttype.</summary>
    PacketType = 19,
    /// <summary>NFT_META_CPU: cpu.</summary>
    Cpu = 20,
    /// <summary>NFT_META_IIFGROUP: iifgroup.</summary>
    InputInterfaceGroup = 21,
    /// <summary>NFT_META_OIFGROUP: oifgroup.</summary>
    OutputInterfaceGroup = 22,
    /// <summary>NFT_META_CGROUP: cgroup.</summary>
    Cgroup = 23,
    /// <summary>NFT_META_PRANDOM: random.</summary>
    PseudoRandom = 24,
    /// <summary>NFT_META_SECPATH: secpath (ipsec).</summary>
    SecPath = 25,
    /// <summary>NFT_META_IIFKIND: iifkind.</summary>
    InputInterfaceKind = 26,
    /// <summary>NFT_META_OIFKIND: oifkind.</summary>
    OutputInterfaceKind = 27,
    /// <summary>NFT_META_BRI_IIFPVID: ibrpvid.</summary>
    BridgeInputInterfacePvid = 28,
    /// <summary>NFT_META_BRI_IIFVPROTO: ibrvproto.</summary>
    BridgeInputInterfaceVlanProtocol = 29,
    /// <summary>NFT_META_TIME_NS: time.</summary>
    TimeNanoseconds = 30,
    /// <summary>NFT_META_TIME_DAY: day.</summary>
    TimeDay = 31,
    /// <summary>NFT_META_TIME_HOUR: hour.</summary>
    TimeHour = 32,
    /// <summary>NFT_META_SDIF: sdif.</summary>
    SlaveDeviceInterface = 33,
    /// <summary>NFT_META_SDIFNAME: sdifname.</summary>
    SlaveDeviceInterfaceName = 34,
    /// <summary>NFT_META_BRI_BROUTE: broute (kernel 6.5).</summary>
    BridgeBroute = 35,
}
