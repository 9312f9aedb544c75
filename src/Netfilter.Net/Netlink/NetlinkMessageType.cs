namespace Netfilter.Net.Netlink;

/// <summary>The control message types every netlink family shares (uapi linux/netlink.h, NLMSG_*).</summary>
internal static class NetlinkMessageType
{
    /// <summary>NLMSG_NOOP: nothing; skip.</summary>
    public const ushort Noop = 0x1;
    /// <summary>NLMSG_ERROR: an error, or an ack when the errno is 0.</summary>
    public const ushort Error = 0x2;
    /// <summary>NLMSG_DONE: end of a multipart dump; may carry an errno.</summary>
    public const ushort Done = 0x3;
    /// <summary>NLMSG_OVERRUN: data lost.</summary>
    public const ushort Overrun = 0x4;
    /// <summary>NLMSG_MIN_TYPE: family message types start here.</summary>
    public const ushort MinType = 0x10;
}
