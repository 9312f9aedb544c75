namespace Netfilter.Net.Netfilter;

/// <summary>
/// nfnetlink subsystems (uapi nfnetlink.h, NFNL_SUBSYS_*). A netlink message type is
/// <c>subsystem &lt;&lt; 8 | message</c>.
/// </summary>
internal enum NfnlSubsystem : byte
{
    /// <summary>NFNL_SUBSYS_NONE.</summary>
    None = 0,
    /// <summary>NFNL_SUBSYS_CTNETLINK: conntrack entries.</summary>
    Ctnetlink = 1,
    /// <summary>NFNL_SUBSYS_CTNETLINK_EXP: conntrack expectations.</summary>
    CtnetlinkExpectation = 2,
    /// <summary>NFNL_SUBSYS_QUEUE.</summary>
    Queue = 3,
    /// <summary>NFNL_SUBSYS_ULOG.</summary>
    Ulog = 4,
    /// <summary>NFNL_SUBSYS_OSF.</summary>
    Osf = 5,
    /// <summary>NFNL_SUBSYS_IPSET.</summary>
    Ipset = 6,
    /// <summary>NFNL_SUBSYS_ACCT.</summary>
    Acct = 7,
    /// <summary>NFNL_SUBSYS_CTNETLINK_TIMEOUT.</summary>
    CtnetlinkTimeout = 8,
    /// <summary>NFNL_SUBSYS_CTHELPER.</summary>
    Cthelper = 9,
    /// <summary>NFNL_SUBSYS_NFTABLES.</summary>
    NfTables = 10,
    /// <summary>NFNL_SUBSYS_NFT_COMPAT.</summary>
    NftCompat = 11,
    /// <summary>NFNL_SUBSYS_HOOK.</summary>
    Hook = 12,
}

/// <summary>Message-type arithmetic of nfnetlink.</summary>
internal static class NfnlMessageType
{
    /// <summary>NFNL_MSG_BATCH_BEGIN (= NLMSG_MIN_TYPE).</summary>
    public const ushort BatchBegin = 0x10;

    /// <summary>NFNL_MSG_BATCH_END.</summary>
    public const ushort BatchEnd = 0x11;

    /// <summary>The netlink type of <paramref name="message"/> in <paramref name="subsystem"/>.</summary>
    public static ushort Make(NfnlSubsystem subsystem, byte message) => (ushort)(((int)subsystem << 8) | message);

    /// <summary>NFNL_SUBSYS_ID.</summary>
    public static NfnlSubsystem SubsystemOf(ushort type) => (NfnlSubsystem)((type & 0xff00) >> 8);

    /// <summary>NFNL_MSG_TYPE.</summary>
    public static byte MessageOf(ushort type) => (byte)(type & 0x00ff);
}
