namespace Netfilter.Net.Netlink;

/// <summary>Netlink length arithmetic (uapi linux/netlink.h macros).</summary>
internal static class NetlinkAlignment
{
    /// <summary>NLMSG_ALIGNTO and NLA_ALIGNTO: messages and attributes align to 4 bytes.</summary>
    public const int AlignTo = 4;

    /// <summary>NLMSG_HDRLEN: sizeof(struct nlmsghdr), already aligned.</summary>
    public const int MessageHeaderLength = 16;

    /// <summary>NLA_HDRLEN: sizeof(struct nlattr), already aligned.</summary>
    public const int AttributeHeaderLength = 4;

    /// <summary>NLMSG_ALIGN(len) / NLA_ALIGN(len).</summary>
    public static int Align(int length) => (length + AlignTo - 1) & ~(AlignTo - 1);
}
