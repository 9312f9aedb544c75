namespace Netfilter.Net.Netlink;

/// <summary>Netlink families this library speaks (uapi linux/netlink.h, NETLINK_*).</summary>
internal enum NetlinkProtocol
{
    /// <summary>NETLINK_ROUTE: links, addresses, routes, policy rules.</summary>
    Route = 0,
    /// <summary>NETLINK_SOCK_DIAG: socket listings (listening ports).</summary>
    SockDiag = 4,
    /// <summary>NETLINK_NETFILTER: nftables, conntrack.</summary>
    Netfilter = 12,
}
