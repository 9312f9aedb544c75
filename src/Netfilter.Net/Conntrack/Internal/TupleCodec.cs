using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>Where a tuple sits, named for error messages; the names are built once, not per entry.</summary>
internal sealed class TupleContext
{
    public static readonly TupleContext Original = new("CTA_TUPLE_ORIG");
    public static readonly TupleContext Reply = new("CTA_TUPLE_REPLY");
    public static readonly TupleContext Master = new("CTA_TUPLE_MASTER");
    public static readonly TupleContext ExpectTuple = new("CTA_EXPECT_TUPLE");
    public static readonly TupleContext ExpectMask = new("CTA_EXPECT_MASK");
    public static readonly TupleContext ExpectMaster = new("CTA_EXPECT_MASTER");

    private TupleContext(string name)
    {
        Name = name;
        Ip = name + " CTA_TUPLE_IP";
        Proto = name + " CTA_TUPLE_PROTO";
    }

    public string Name { get; }

    public string Ip { get; }

    public string Proto { get; }
}

/// <summary>Encodes and decodes a CTA_TUPLE_* nest (CTA_TUPLE_IP, CTA_TUPLE_PROTO, CTA_TUPLE_ZONE).</summary>
internal static class TupleCodec
{
    /// <summary>Decodes the payload of a tuple nest. Unknown sub-attributes set <paramref name="hasUnknown"/>.</summary>
    public static ConntrackTuple Decode(ReadOnlySpan<byte> payload, TupleContext where, ref bool hasUnknown)
    {
        string context = where.Name;
        IPAddress? source = null, destination = null;
        ProtocolType? protocol = null;
        ushort? sourcePort = null, destinationPort = null, icmpId = null, zone = null;
        byte? icmpType = null, icmpCode = null;
        var reader = new NetlinkAttributeReader(payload, context);
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            switch (attribute.Type)
            {
                case CtaTupleAttribute.Ip:
                    DecodeIp(attribute, where.Ip, ref source, ref destination, ref hasUnknown);
                    break;
                case CtaTupleAttribute.Proto:
                    var proto = attribute.GetNested(where.Proto);
                    while (proto.TryRead(out NetlinkAttribute p))
                    {
                        switch (p.Type)
                        {
                            case CtaProtoAttribute.Number:
                                protocol = (ProtocolType)p.GetUInt8();
                                break;
                            case CtaProtoAttribute.SourcePort:
                                sourcePort = p.GetUInt16BigEndian();
                                break;
                            case CtaProtoAttribute.DestinationPort:
                                destinationPort = p.GetUInt16BigEndian();
                                break;
                            case CtaProtoAttribute.IcmpId:
                            case CtaProtoAttribute.Icmpv6Id:
                                icmpId = p.GetUInt16BigEndian();
                                break;
                            case CtaProtoAttribute.IcmpType:
                            case CtaProtoAttribute.Icmpv6Type:
                                icmpType = p.GetUInt8();
                                break;
                            case CtaProtoAttribute.IcmpCode:
                            case CtaProtoAttribute.Icmpv6Code:
                                icmpCode = p.GetUInt8();
                                break;
                            default:
                                hasUnknown = true;
                                break;
                        }
                    }
                    break;
                case CtaTupleAttribute.Zone:
                    zone = attribute.GetUInt16BigEndian();
                    break;
                default:
                    hasUnknown = true;
                    break;
            }
        }
        if (source is null || destination is null)
        {
            throw new NetlinkProtocolException(context, "CTA_TUPLE_IP with a source and a destination address", source is null && destination is null ? "no address" : "only one address");
        }
        if (protocol is null)
        {
            throw new NetlinkProtocolException(context, "CTA_TUPLE_PROTO with CTA_PROTO_NUM", "none");
        }
        return new ConntrackTuple(source, destination, protocol.Value)
        {
            SourcePort = sourcePort,
            DestinationPort = destinationPort,
            IcmpId = icmpId,
            IcmpType = icmpType,
            IcmpCode = icmpCode,
            Zone = zone,
        };
    }

    private static void DecodeIp(in NetlinkAttribute attribute, string context, ref IPAddress? source, ref IPAddress? destination, ref bool hasUnknown)
    {
        var ip = attribute.GetNested(context);
        AddressFamily? family = null;
        while (ip.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case CtaIpAttribute.V4Source:
                    a.ExpectLength(4);
                    source = Address(a.Payload, AddressFamily.InterNetwork, ref family, context);
                    break;
                case CtaIpAttribute.V4Destination:
                    a.ExpectLength(4);
                    destination = Address(a.Payload, AddressFamily.InterNetwork, ref family, context);
                    break;
                case CtaIpAttribute.V6Source:
                    a.ExpectLength(16);
                    source = Address(a.Payload, AddressFamily.InterNetworkV6, ref family, context);
                    break;
                case CtaIpAttribute.V6Destination:
                    a.ExpectLength(16);
                    destination = Address(a.Payload, AddressFamily.InterNetworkV6, ref family, context);
                    break;
                default:
                    hasUnknown = true;
                    break;
            }
        }
    }

    private static IPAddress Address(ReadOnlySpan<byte> bytes, AddressFamily addressFamily, ref AddressFamily? family, string context)
    {
        if (family is AddressFamily seen && seen != addressFamily)
        {
            throw new NetlinkProtocolException(context, "addresses of one family", "IPv4 and IPv6 addresses mixed");
        }
        family = addressFamily;
        return new IPAddress(bytes);
    }

    /// <summary>Writes <paramref name="tuple"/> as nest <paramref name="type"/> (CTA_TUPLE_ORIG/REPLY/MASTER), as libnetfilter_conntrack does.</summary>
    public static void Encode(NetlinkWriter writer, ushort type, ConntrackTuple tuple)
    {
        using NetlinkNest nest = writer.BeginNested(type);
        EncodeIp(writer, tuple.Source, tuple.Destination, includeSource: true, includeDestination: true);
        using (writer.BeginNested(CtaTupleAttribute.Proto))
        {
            writer.WriteUInt8(CtaProtoAttribute.Number, (byte)tuple.Protocol);
            if (tuple.Protocol == ProtocolType.IcmpV6)
            {
                WriteIcmp(writer, tuple, CtaProtoAttribute.Icmpv6Id, CtaProtoAttribute.Icmpv6Type, CtaProtoAttribute.Icmpv6Code);
            }
            else if (tuple.Protocol == ProtocolType.Icmp)
            {
                WriteIcmp(writer, tuple, CtaProtoAttribute.IcmpId, CtaProtoAttribute.IcmpType, CtaProtoAttribute.IcmpCode);
            }
            else
            {
                if (tuple.SourcePort is int sport)
                {
                    writer.WriteUInt16BigEndian(CtaProtoAttribute.SourcePort, (ushort)sport);
                }
                if (tuple.DestinationPort is int dport)
                {
                    writer.WriteUInt16BigEndian(CtaProtoAttribute.DestinationPort, (ushort)dport);
                }
            }
        }
        if (tuple.Zone is ushort zone)
        {
            writer.WriteUInt16BigEndian(CtaTupleAttribute.Zone, zone);
        }
    }

    /// <summary>Writes a CTA_TUPLE_IP nest with the addresses that are given (filters may name only one).</summary>
    public static void EncodeIp(NetlinkWriter writer, IPAddress? source, IPAddress? destination, bool includeSource, bool includeDestination)
    {
        using NetlinkNest ip = writer.BeginNested(CtaTupleAttribute.Ip);
        if (includeSource && source is not null)
        {
            WriteAddress(writer, source, CtaIpAttribute.V4Source, CtaIpAttribute.V6Source);
        }
        if (includeDestination && destination is not null)
        {
            WriteAddress(writer, destination, CtaIpAttribute.V4Destination, CtaIpAttribute.V6Destination);
        }
    }

    private static void WriteAddress(NetlinkWriter writer, IPAddress address, ushort v4Type, ushort v6Type)
    {
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        Span<byte> payload = writer.BeginAttribute(v6 ? v6Type : v4Type, v6 ? 16 : 4);
        if (!address.TryWriteBytes(payload, out int written) || written != payload.Length)
        {
            throw new ArgumentException($"{address} is not an IPv4 or IPv6 address", nameof(address));
        }
    }

    // ICMP tuples carry id, type and code, in this order (libnetfilter_conntrack nfct_build_tuple_proto).
    private static void WriteIcmp(NetlinkWriter writer, ConntrackTuple tuple, ushort idType, ushort typeType, ushort codeType)
    {
        if (tuple.IcmpId is ushort id)
        {
            BinaryPrimitives.WriteUInt16BigEndian(writer.BeginAttribute(idType, 2), id);
        }
        if (tuple.IcmpType is byte t)
        {
            writer.WriteUInt8(typeType, t);
        }
        if (tuple.IcmpCode is byte c)
        {
            writer.WriteUInt8(codeType, c);
        }
    }
}
