namespace Netfilter.Net.Interop;

/// <summary>Socket options at SOL_NETLINK level (uapi linux/netlink.h), which Tmds.LibC lacks.</summary>
internal static class NetlinkSocketOptions
{
    /// <summary>SOL_NETLINK (bits/socket.h).</summary>
    public const int SolNetlink = 270;
    /// <summary>NETLINK_ADD_MEMBERSHIP: join a multicast group by number (not by mask).</summary>
    public const int AddMembership = 1;
    /// <summary>NETLINK_DROP_MEMBERSHIP: leave a multicast group by number.</summary>
    public const int DropMembership = 2;
    /// <summary>NETLINK_NO_ENOBUFS: suppress ENOBUFS on overrun (we never set it: loss must be reported).</summary>
    public const int NoEnobufs = 5;
    /// <summary>NETLINK_CAP_ACK: errors echo only the request header, not the whole request.</summary>
    public const int CapAck = 10;
    /// <summary>NETLINK_EXT_ACK: errors carry NLMSGERR_ATTR_* TLVs (message text, offset).</summary>
    public const int ExtAck = 11;
    /// <summary>NETLINK_GET_STRICT_CHK: strict checking of dump request headers.</summary>
    public const int GetStrictCheck = 12;
}
