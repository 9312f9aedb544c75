using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// One direction of a tracked connection: addresses, layer-4 protocol and its identifying
/// fields (ports for TCP, UDP, UDP-Lite, SCTP, DCCP and GRE keys; type, code and id for ICMP
/// and ICMPv6). CTA_TUPLE_ORIG / CTA_TUPLE_REPLY / CTA_TUPLE_MASTER.
/// </summary>
/// <example>
/// <code>
/// var tuple = ConntrackTuple.Tcp(IPAddress.Parse("10.0.1.2"), 40000, IPAddress.Parse("10.0.1.1"), 2222);
/// Console.WriteLine(tuple); // tcp 10.0.1.2:40000 -> 10.0.1.1:2222
/// </code>
/// </example>
public sealed record ConntrackTuple
{
    /// <summary>A tuple of <paramref name="protocol"/> (any IP protocol number, cast to <see cref="ProtocolType"/>) between two addresses of one family.</summary>
    /// <exception cref="ArgumentException">The addresses are not both IPv4 or both IPv6.</exception>
    public ConntrackTuple(IPAddress source, IPAddress destination, ProtocolType protocol)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"a conntrack address is IPv4 or IPv6, not {source.AddressFamily}", nameof(source));
        }
        if (source.AddressFamily != destination.AddressFamily)
        {
            throw new ArgumentException($"source {source} and destination {destination} must be of one family (both IPv4 or both IPv6)", nameof(destination));
        }
        if ((int)protocol is < 0 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "an IP protocol number is 0..255");
        }
        Source = source;
        Destination = destination;
        Protocol = protocol;
    }

    /// <summary>The source address (CTA_IP_V4_SRC / CTA_IP_V6_SRC).</summary>
    public IPAddress Source { get; }

    /// <summary>The destination address.</summary>
    public IPAddress Destination { get; }

    /// <summary>The layer-4 protocol (CTA_PROTO_NUM). Protocols without a named value keep their number: <c>(ProtocolType)132</c> is SCTP.</summary>
    public ProtocolType Protocol { get; }

    /// <summary>The source port (CTA_PROTO_SRC_PORT), 0–65535, for protocols with ports; an <see cref="int"/> as in <see cref="IPEndPoint.Port"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside 0–65535.</exception>
    public int? SourcePort { get => _sourcePort; init => _sourcePort = PortNumber.ValidateField(value, nameof(SourcePort)); }

    /// <summary>The destination port (CTA_PROTO_DST_PORT), 0–65535.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set outside 0–65535.</exception>
    public int? DestinationPort { get => _destinationPort; init => _destinationPort = PortNumber.ValidateField(value, nameof(DestinationPort)); }

    private readonly int? _sourcePort;
    private readonly int? _destinationPort;

    /// <summary>The ICMP or ICMPv6 identifier (CTA_PROTO_ICMP_ID / CTA_PROTO_ICMPV6_ID).</summary>
    public ushort? IcmpId { get; init; }

    /// <summary>The ICMP or ICMPv6 type.</summary>
    public byte? IcmpType { get; init; }

    /// <summary>The ICMP or ICMPv6 code.</summary>
    public byte? IcmpCode { get; init; }

    /// <summary>A zone that applies to this direction only (CTA_TUPLE_ZONE); null when the entry's zone applies.</summary>
    public ushort? Zone { get; init; }

    /// <summary>IPv4 or IPv6.</summary>
    public AddressFamily AddressFamily => Source.AddressFamily;

    /// <summary>A TCP tuple.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 0–65535 (the message names it).</exception>
    public static ConntrackTuple Tcp(IPAddress source, int sourcePort, IPAddress destination, int destinationPort) =>
        new(source, destination, ProtocolType.Tcp) { SourcePort = PortNumber.ValidateField(sourcePort, nameof(sourcePort)), DestinationPort = PortNumber.ValidateField(destinationPort, nameof(destinationPort)) };

    /// <summary>A UDP tuple.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 0–65535 (the message names it).</exception>
    public static ConntrackTuple Udp(IPAddress source, int sourcePort, IPAddress destination, int destinationPort) =>
        new(source, destination, ProtocolType.Udp) { SourcePort = PortNumber.ValidateField(sourcePort, nameof(sourcePort)), DestinationPort = PortNumber.ValidateField(destinationPort, nameof(destinationPort)) };

    /// <summary>An ICMP (IPv4) or ICMPv6 (IPv6) tuple, chosen by the address family.</summary>
    public static ConntrackTuple Icmp(IPAddress source, IPAddress destination, byte type, byte code, ushort id) =>
        new(source, destination, source.AddressFamily == AddressFamily.InterNetworkV6 ? ProtocolType.IcmpV6 : ProtocolType.Icmp)
        {
            IcmpType = type,
            IcmpCode = code,
            IcmpId = id,
        };

    /// <summary>The tuple of the other direction, without NAT: addresses and ports swapped (ICMP echo request becomes echo reply).</summary>
    public ConntrackTuple Invert() => new(Destination, Source, Protocol)
    {
        SourcePort = DestinationPort,
        DestinationPort = SourcePort,
        IcmpId = IcmpId,
        IcmpType = IcmpType is byte t ? InvertIcmpType(t) : null,
        IcmpCode = IcmpCode,
        Zone = Zone,
    };

    /// <summary>True for protocols whose tuple carries ports (TCP, UDP, UDP-Lite, SCTP, DCCP) or GRE keys.</summary>
    public bool HasPorts => ProtocolNames.HasPorts(Protocol);

    /// <summary>The source as an endpoint (port 0 when the protocol has none).</summary>
    public IPEndPoint SourceEndPoint => new(Source, SourcePort ?? 0);

    /// <summary>The destination as an endpoint (port 0 when the protocol has none).</summary>
    public IPEndPoint DestinationEndPoint => new(Destination, DestinationPort ?? 0);

    /// <summary>"tcp 10.0.1.2:40000 -> 10.0.1.1:2222", "icmp 10.0.1.2 -> 10.0.2.2 type 8 code 0 id 7".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(ProtocolNames.Name(Protocol)).Append(' ');
        AppendEndpoint(sb, Source, SourcePort);
        sb.Append(" -> ");
        AppendEndpoint(sb, Destination, DestinationPort);
        if (IcmpType is not null || IcmpCode is not null || IcmpId is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $" type {IcmpType} code {IcmpCode} id {IcmpId}");
        }
        if (Zone is ushort zone)
        {
            sb.Append(CultureInfo.InvariantCulture, $" zone {zone}");
        }
        return sb.ToString();
    }

    internal static void AppendEndpoint(StringBuilder sb, IPAddress address, int? port)
    {
        if (port is int p)
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                sb.Append('[').Append(address).Append(']');
            }
            else
            {
                sb.Append(address);
            }
            sb.Append(':').Append(p.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append(address);
        }
    }

    // The kernel's invert_tuple maps echo request to echo reply and back (icmp_pkt_to_tuple's
    // invmap): 8 <-> 0, 13 <-> 14, 15 <-> 16, 17 <-> 18 for ICMP; 128 <-> 129 and friends for ICMPv6.
    private byte InvertIcmpType(byte type)
    {
        if (Protocol == ProtocolType.IcmpV6)
        {
            return type switch
            {
                128 => 129,
                129 => 128,
                139 => 140,
                140 => 139,
                _ => type,
            };
        }
        return type switch
        {
            8 => 0,
            0 => 8,
            13 => 14,
            14 => 13,
            15 => 16,
            16 => 15,
            17 => 18,
            18 => 17,
            _ => type,
        };
    }
}
