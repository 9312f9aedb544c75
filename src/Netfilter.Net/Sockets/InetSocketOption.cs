namespace Netfilter.Net.Sockets;

/// <summary>Socket option levels and names for IP sockets that .NET does not name.</summary>
internal static class InetSocketOption
{
    /// <summary>SOL_IP (= IPPROTO_IP).</summary>
    public const int SolIP = 0;
    /// <summary>SOL_IPV6 (= IPPROTO_IPV6).</summary>
    public const int SolIPv6 = 41;
    /// <summary>SO_ORIGINAL_DST (uapi linux/netfilter_ipv4.h): conntrack's original destination, as a sockaddr_in.</summary>
    public const int OriginalDestination = 80;
    /// <summary>IP6T_SO_ORIGINAL_DST (uapi linux/netfilter_ipv6/ip6_tables.h): the same for IPv6, as a sockaddr_in6.</summary>
    public const int OriginalDestinationV6 = 80;
    /// <summary>IP_TRANSPARENT (uapi linux/in.h): bind to and accept for non-local addresses (TPROXY).</summary>
    public const int Transparent = 19;
    /// <summary>IPV6_TRANSPARENT (uapi linux/in6.h): the same for IPv6 sockets (it sets the same flag).</summary>
    public const int TransparentV6 = 75;
    /// <summary>IP_RECVORIGDSTADDR (uapi linux/in.h, = IP_ORIGDSTADDR 20): deliver each UDP datagram's original destination as an IP_ORIGDSTADDR control message.</summary>
    public const int ReceiveOriginalDestination = 20;
    /// <summary>IPV6_RECVORIGDSTADDR (uapi linux/in6.h, = IPV6_ORIGDSTADDR 74): the same for IPv6 sockets.</summary>
    public const int ReceiveOriginalDestinationV6 = 74;
    /// <summary>IPPROTO_SCTP: the other protocol SO_ORIGINAL_DST answers for.</summary>
    public const int ProtocolSctp = 132;
}
