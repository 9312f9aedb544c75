using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Cli.Rulesets;

/// <summary>
/// Reads set keys and map data the way a person writes them ("tcp . 2222", "10.0.2.2 . 22"),
/// from nft's datatype ids (nftables include/datatype.h, enum datatypes; a concatenation packs
/// 6 bits per field, each field padded to 4 bytes). Anything it cannot place is shown as hex.
/// </summary>
internal static class SetDataFormatter
{
    /// <summary>The field types of <paramref name="type"/>, first field first.</summary>
    public static IReadOnlyList<uint> Fields(uint type)
    {
        var fields = new List<uint>();
        for (uint t = type; t != 0; t >>= SetDataTypes.ConcatBits)
        {
            fields.Insert(0, t & ((1u << SetDataTypes.ConcatBits) - 1));
        }
        return fields;
    }

    /// <summary>"ipv4_addr", "inet_proto . inet_service", "verdict".</summary>
    public static string TypeName(uint type)
    {
        if (type == SetDataTypes.VerdictData)
        {
            return "verdict";
        }
        IReadOnlyList<uint> fields = Fields(type);
        return fields.Count == 0 ? "0" : string.Join(" . ", ConvertAll(fields, FieldName));
    }

    /// <summary>The value as a person writes it, or "0x" + hex when the bytes do not fit the type.</summary>
    public static string Format(ReadOnlySpan<byte> bytes, uint type, IReadOnlyList<uint>? fieldLengths = null)
    {
        IReadOnlyList<uint> fields = Fields(type);
        if (fields.Count == 0)
        {
            return Hex(bytes);
        }
        if (fields.Count == 1)
        {
            return FormatField(bytes, fields[0]) ?? Hex(bytes);
        }
        var parts = new List<string>(fields.Count);
        int offset = 0;
        for (int i = 0; i < fields.Count; i++)
        {
            int length = fieldLengths is not null && i < fieldLengths.Count ? (int)fieldLengths[i] : FieldLength(fields[i]);
            int padded = (length + 3) & ~3;
            if (length <= 0 || offset + padded > bytes.Length)
            {
                return Hex(bytes);
            }
            string? part = FormatField(bytes.Slice(offset, length), fields[i]);
            if (part is null)
            {
                return Hex(bytes);
            }
            parts.Add(part);
            offset += padded;
        }
        return offset == bytes.Length ? string.Join(" . ", parts) : Hex(bytes);
    }

    private static string? FormatField(ReadOnlySpan<byte> value, uint type)
    {
        int expected = FieldLength(type);
        if (expected > 0 && value.Length != expected)
        {
            return null;
        }
        switch (type)
        {
            case SetDataTypes.IPv4Address:
            case SetDataTypes.IPv6Address:
                return new IPAddress(value).ToString();
            case SetDataTypes.InetService:
                return BinaryPrimitives.ReadUInt16BigEndian(value).ToString(CultureInfo.InvariantCulture);
            case SetDataTypes.InetProtocol:
                return value[0] switch { 1 => "icmp", 6 => "tcp", 17 => "udp", 58 => "icmpv6", 132 => "sctp", _ => value[0].ToString(CultureInfo.InvariantCulture) };
            case SetDataTypes.NfProto:
                return value[0] switch { 2 => "ipv4", 10 => "ipv6", _ => value[0].ToString(CultureInfo.InvariantCulture) };
            case SetDataTypes.Mark:
            case SetDataTypes.InterfaceIndex:
                // meta keys are host order (FORMAT.md: register data follows the packet path).
                return "0x" + BinaryPrimitives.ReadUInt32LittleEndian(value).ToString("x8", CultureInfo.InvariantCulture);
            case SetDataTypes.InterfaceName:
                int nul = value.IndexOf((byte)0);
                return "\"" + Encoding.UTF8.GetString(nul < 0 ? value : value.Slice(0, nul)) + "\"";
            case SetDataTypes.EtherAddress:
                var mac = new StringBuilder();
                foreach (byte b in value)
                {
                    mac.Append(mac.Length == 0 ? string.Empty : ":").Append(b.ToString("x2", CultureInfo.InvariantCulture));
                }
                return mac.ToString();
            default:
                return null;
        }
    }

    private static int FieldLength(uint type) => type switch
    {
        SetDataTypes.NfProto or SetDataTypes.InetProtocol or SetDataTypes.IcmpType or SetDataTypes.TcpFlag => 1,
        SetDataTypes.EtherType or SetDataTypes.ArpOperation or SetDataTypes.InetService => 2,
        SetDataTypes.IPv4Address or SetDataTypes.Mark or SetDataTypes.InterfaceIndex => 4,
        SetDataTypes.EtherAddress => 6,
        SetDataTypes.IPv6Address or SetDataTypes.InterfaceName => 16,
        _ => 0,
    };

    private static string FieldName(uint type) => type switch
    {
        SetDataTypes.Verdict => "verdict",
        SetDataTypes.NfProto => "nf_proto",
        SetDataTypes.Bitmask => "bitmask",
        SetDataTypes.Integer => "integer",
        SetDataTypes.String => "string",
        SetDataTypes.LinkLayerAddress => "ll_addr",
        SetDataTypes.IPv4Address => "ipv4_addr",
        SetDataTypes.IPv6Address => "ipv6_addr",
        SetDataTypes.EtherAddress => "ether_addr",
        SetDataTypes.EtherType => "ether_type",
        SetDataTypes.ArpOperation => "arp_op",
        SetDataTypes.InetProtocol => "inet_proto",
        SetDataTypes.InetService => "inet_service",
        SetDataTypes.IcmpType => "icmp_type",
        SetDataTypes.TcpFlag => "tcp_flag",
        SetDataTypes.Mark => "mark",
        SetDataTypes.InterfaceIndex => "iface_index",
        SetDataTypes.InterfaceName => "ifname",
        _ => "type" + type.ToString(CultureInfo.InvariantCulture),
    };

    private static string Hex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    private static List<string> ConvertAll(IReadOnlyList<uint> fields, Func<uint, string> name)
    {
        var names = new List<string>(fields.Count);
        foreach (uint field in fields)
        {
            names.Add(name(field));
        }
        return names;
    }
}
