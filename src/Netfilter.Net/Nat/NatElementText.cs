using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

/// <summary>The elements of the NAT table's own maps and sets in nft's words, e.g. <c>tcp . 2222 : 10.0.2.2 . 22</c>.</summary>
internal static class NatElementText
{
    public static string Format(string set, SetElement element)
    {
        try
        {
            ReadOnlySpan<byte> key = element.Key.Span;
            ReadOnlySpan<byte> data = element.Data is NftData d ? d.Span : default;
            switch (set)
            {
                case NatTableLayout.RedirectPre or NatTableLayout.RedirectOut when key.Length == 8 && data.Length == 2:
                    return $"{ProtoPort(key)} : {Port(data)}";
                case NatTableLayout.Dnat4Pre or NatTableLayout.Dnat4Out when key.Length == 8 && data.Length == 8:
                    return $"{ProtoPort(key)} : {new IPAddress(data[..4])} . {Port(data[4..])}";
                case NatTableLayout.Dnat6Pre or NatTableLayout.Dnat6Out when key.Length == 8 && data.Length == 20:
                    return $"{ProtoPort(key)} : {new IPAddress(data[..16])} . {Port(data[16..])}";
                case NatTableLayout.Masq4 when key.Length == 16:
                    return $"{ProtoPort(key)} . {new IPAddress(key[8..12])} . {Port(key[12..])}";
                case NatTableLayout.Masq6 when key.Length == 28:
                    return $"{ProtoPort(key)} . {new IPAddress(key[8..24])} . {Port(key[24..])}";
            }
        }
        catch (ArgumentException)
        {
        }
        return element.Data is NftData raw ? $"0x{element.Key} : 0x{raw}" : $"0x{element.Key}";
    }

    private static string ProtoPort(ReadOnlySpan<byte> key) => $"{Protocol(key[0])} . {Port(key[4..])}";

    private static string Protocol(byte number) => number switch
    {
        6 => "tcp",
        17 => "udp",
        _ => number.ToString(CultureInfo.InvariantCulture),
    };

    private static string Port(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt16BigEndian(bytes).ToString(CultureInfo.InvariantCulture);
}
