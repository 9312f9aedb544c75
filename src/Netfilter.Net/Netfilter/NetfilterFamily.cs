namespace Netfilter.Net;

/// <summary>
/// The netfilter protocol families (uapi linux/netfilter.h, NFPROTO_*). nftables tables belong to
/// one, and sysctls, routes and sockets use it to say IPv4 or IPv6. Named for netfilter, not
/// ProtocolFamily, so that it never collides with System.Net.Sockets.ProtocolFamily (CS0104) in a
/// file that imports both namespaces.
/// </summary>
public enum NetfilterFamily : byte
{
    /// <summary>NFPROTO_UNSPEC: all families (in dumps: "every family").</summary>
    Unspecified = 0,
    /// <summary>NFPROTO_INET: IPv4 and IPv6 together (nft's "inet").</summary>
    Inet = 1,
    /// <summary>NFPROTO_IPV4 (nft's "ip").</summary>
    IPv4 = 2,
    /// <summary>NFPROTO_ARP.</summary>
    Arp = 3,
    /// <summary>NFPROTO_NETDEV: ingress/egress of one device.</summary>
    Netdev = 5,
    /// <summary>NFPROTO_BRIDGE.</summary>
    Bridge = 7,
    /// <summary>NFPROTO_IPV6 (nft's "ip6").</summary>
    IPv6 = 10,
}
