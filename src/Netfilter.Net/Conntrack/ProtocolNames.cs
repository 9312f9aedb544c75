using System.Globalization;
using System.Net.Sockets;

namespace Netfilter.Net.Conntrack;

/// <summary>Names of layer-4 protocols as conntrack(8) prints them, and which of them carry ports.</summary>
internal static class ProtocolNames
{
    /// <summary>IPPROTO_DCCP.</summary>
    public const ProtocolType Dccp = (ProtocolType)33;
    /// <summary>IPPROTO_GRE.</summary>
    public const ProtocolType Gre = (ProtocolType)47;
    /// <summary>IPPROTO_SCTP.</summary>
    public const ProtocolType Sctp = (ProtocolType)132;
    /// <summary>IPPROTO_UDPLITE.</summary>
    public const ProtocolType UdpLite = (ProtocolType)136;

    public static string Name(ProtocolType protocol) => protocol switch
    {
        ProtocolType.Tcp => "tcp",
        ProtocolType.Udp => "udp",
        ProtocolType.Icmp => "icmp",
        ProtocolType.IcmpV6 => "icmpv6",
        Sctp => "sctp",
        Dccp => "dccp",
        UdpLite => "udplite",
        Gre => "gre",
        _ => ((int)protocol).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Protocols whose tuple is ports (or, for GRE, keys) in CTA_PROTO_SRC_PORT/DST_PORT.</summary>
    public static bool HasPorts(ProtocolType protocol) =>
        protocol is ProtocolType.Tcp or ProtocolType.Udp or Sctp or Dccp or UdpLite or Gre;

    /// <summary>ICMP or ICMPv6.</summary>
    public static bool IsIcmp(ProtocolType protocol) => protocol is ProtocolType.Icmp or ProtocolType.IcmpV6;
}
