using System;
using System.Buffers.Binary;
using System.Buffers.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Internal.Documents;

/// <summary>
/// The ruleset document's text for raw netlink attributes (an expression's NFTA_EXPR_DATA, an
/// object's NFTA_OBJ_DATA): exact, shorter than hex, and readable enough to see the structure.
/// <code>
/// attributes := attribute (' ' attribute)*
/// attribute  := TYPE ':' value          TYPE is nla_type in decimal, flags included
///             | TYPE '{' attributes? '}' a nest: nla_type is TYPE | NLA_F_NESTED
/// value      := DIGITS                  4 bytes, a big-endian u32 (registers, operators, lengths)
///             | DIGITS 'L'              8 bytes, a big-endian u64 (counters, timeouts)
///             | "'" TEXT "'"            printable ASCII and a terminating NUL (names, prefixes)
///             | 'x' HEX                 any other payload, in lower-case hex (possibly empty)
/// </code>
/// For example <c>[ payload load 2b @ transport header + 2 => reg 1 ]</c> is
/// <c>1:1 2:2 3:2 4:2</c> and a lookup of set "fwd" <c>1:'fwd' 2:1 4:1</c>. Every attribute is
/// written back with zero padding and nests with the length libmnl gives them, so data whose
/// padding or lengths differ from that (never the library's own encoding) is not written as
/// attributes at all: the caller falls back to <c>'=' HEX</c> of the whole payload.
/// The text holds no character that JSON escapes.
/// </summary>
internal static class AttributeText
{
    private const ushort NestedFlag = NetlinkWriter.NestedFlag;

    /// <summary>Appends <paramref name="data"/> as attributes; false (and nothing appended) when the bytes are not exactly a sequence of padded attributes.</summary>
    public static bool TryWrite(JsonBuffer into, ReadOnlySpan<byte> data, bool leadingSpace)
    {
        int mark = into.Length;
        if (WriteList(into, data, leadingSpace))
        {
            return true;
        }
        into.Truncate(mark);
        return false;
    }

    /// <summary>Appends <paramref name="data"/> as attributes when they fit the grammar, else as <c>=HEX</c>.</summary>
    public static void Write(JsonBuffer into, ReadOnlySpan<byte> data, bool leadingSpace)
    {
        if (!data.IsEmpty && TryWrite(into, data, leadingSpace))
        {
            return;
        }
        if (leadingSpace)
        {
            into.Byte((byte)' ');
        }
        into.Byte((byte)'=');
        Span<byte> hex = into.GetSpan(data.Length * 2);
        JsonBuffer.AppendHex(hex, data);
        into.Advance(data.Length * 2);
    }

    private static bool WriteList(JsonBuffer into, ReadOnlySpan<byte> data, bool leadingSpace)
    {
        int offset = 0;
        bool first = true;
        while (offset < data.Length)
        {
            if (data.Length - offset < NetlinkAlignment.AttributeHeaderLength)
            {
                return false;
            }
            ReadOnlySpan<byte> rest = data.Slice(offset);
            int length = HostOrder.ReadUInt16(rest);
            ushort type = HostOrder.ReadUInt16(rest.Slice(2));
            int padded = NetlinkAlignment.Align(length);
            if (length < NetlinkAlignment.AttributeHeaderLength || padded > rest.Length || rest.Slice(length, padded - length).IndexOfAnyExcept((byte)0) >= 0)
            {
                return false;
            }
            ReadOnlySpan<byte> payload = rest.Slice(NetlinkAlignment.AttributeHeaderLength, length - NetlinkAlignment.AttributeHeaderLength);
            if (!first || leadingSpace)
            {
                into.Byte((byte)' ');
            }
            first = false;
            int mark = into.Length;
            if ((type & NestedFlag) != 0)
            {
                into.Number((ulong)(type & ~NestedFlag));
                into.Byte((byte)'{');
                if (WriteList(into, payload, leadingSpace: false))
                {
                    into.Byte((byte)'}');
                    offset += padded;
                    continue;
                }
                // Flagged as a nest, but not one this grammar rebuilds exactly: keep it raw.
                into.Truncate(mark);
            }
            into.Number(type);
            into.Byte((byte)':');
            WriteValue(into, payload);
            offset += padded;
        }
        return true;
    }

    private static void WriteValue(JsonBuffer into, ReadOnlySpan<byte> payload)
    {
        if (IsPrintableStringZ(payload))
        {
            into.Byte((byte)'\'');
            into.Raw(payload.Slice(0, payload.Length - 1));
            into.Byte((byte)'\'');
        }
        else if (payload.Length == 4)
        {
            into.Number(BinaryPrimitives.ReadUInt32BigEndian(payload));
        }
        else if (payload.Length == 8)
        {
            into.Number(BinaryPrimitives.ReadUInt64BigEndian(payload));
            into.Byte((byte)'L');
        }
        else
        {
            into.Byte((byte)'x');
            Span<byte> hex = into.GetSpan(payload.Length * 2);
            JsonBuffer.AppendHex(hex, payload);
            into.Advance(payload.Length * 2);
        }
    }

    // Printable ASCII without the three characters that would need escaping (in this grammar or in JSON), then one NUL.
    private static bool IsPrintableStringZ(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2 || payload[^1] != 0)
        {
            return false;
        }
        foreach (byte b in payload.Slice(0, payload.Length - 1))
        {
            if (b is < 0x20 or > 0x7e or (byte)'\'' or (byte)'"' or (byte)'\\')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The bytes that <paramref name="text"/> describes: attributes, built in
    /// <paramref name="scratch"/> (reset first; the span is valid until its next use), or the
    /// <c>=HEX</c> bytes exactly as written.
    /// </summary>
    /// <exception cref="FormatException">The text does not follow the grammar; the message says where.</exception>
    /// <param name="text">The text.</param>
    /// <param name="scratch">Where attributes are built.</param>
    /// <param name="offset">Where <paramref name="text"/> starts in what the user sees, for the positions in messages.</param>
    public static ReadOnlySpan<byte> Parse(ReadOnlySpan<byte> text, NetlinkWriter scratch, int offset = 0)
    {
        scratch.Reset();
        try
        {
            return ParseCore(text, scratch);
        }
        catch (PositionedFormatException e)
        {
            throw new FormatException($"at character {e.Position + offset + 1}: {e.Message}");
        }
    }

    private static ReadOnlySpan<byte> ParseCore(ReadOnlySpan<byte> text, NetlinkWriter scratch)
    {
        int position = 0;
        SkipSpaces(text, ref position);
        if (position < text.Length && text[position] == (byte)'=')
        {
            position++;
            return Hex(text.Slice(position).TrimEnd((byte)' '), position);
        }
        ParseList(text, ref position, scratch, nested: false);
        return scratch.WrittenSpan;
    }

    private static void ParseList(ReadOnlySpan<byte> text, ref int position, NetlinkWriter writer, bool nested)
    {
        while (true)
        {
            SkipSpaces(text, ref position);
            if (position >= text.Length)
            {
                if (nested)
                {
                    throw Bad(position, "a nest is not closed with '}'");
                }
                return;
            }
            if (text[position] == (byte)'}')
            {
                if (!nested)
                {
                    throw Bad(position, "'}' closes no nest");
                }
                position++;
                return;
            }
            int start = position;
            while (position < text.Length && text[position] is >= (byte)'0' and <= (byte)'9')
            {
                position++;
            }
            if (!Utf8Parser.TryParse(text.Slice(start, position - start), out ushort type, out int used) || used != position - start)
            {
                throw Bad(start, "an attribute starts with its type, a number from 0 to 65535");
            }
            if (position >= text.Length)
            {
                throw Bad(position, $"attribute {type} has no value (':' or '{{' must follow the type)");
            }
            if (text[position] == (byte)'{')
            {
                position++;
                NetlinkNest nest = writer.BeginNested(type);
                ParseList(text, ref position, writer, nested: true);
                nest.Dispose();
                continue;
            }
            if (text[position] != (byte)':')
            {
                throw Bad(position, $"':' or '{{' must follow the type of attribute {type}");
            }
            position++;
            ParseValue(text, ref position, writer, type);
        }
    }

    private static void ParseValue(ReadOnlySpan<byte> text, ref int position, NetlinkWriter writer, ushort type)
    {
        int start = position;
        if (position < text.Length && text[position] == (byte)'\'')
        {
            int end = text.Slice(position + 1).IndexOf((byte)'\'');
            if (end < 0)
            {
                throw Bad(start, "a quoted string is not closed");
            }
            ReadOnlySpan<byte> value = text.Slice(position + 1, end);
            Span<byte> payload = writer.BeginAttribute(type, value.Length + 1);
            value.CopyTo(payload);
            payload[value.Length] = 0;
            position += end + 2;
            return;
        }
        if (position < text.Length && text[position] == (byte)'x')
        {
            position++;
            int end = position;
            while (end < text.Length && text[end] is not ((byte)' ' or (byte)'}'))
            {
                end++;
            }
            writer.WriteBytes(type, Hex(text.Slice(position, end - position), position));
            position = end;
            return;
        }
        while (position < text.Length && text[position] is >= (byte)'0' and <= (byte)'9')
        {
            position++;
        }
        ReadOnlySpan<byte> digits = text.Slice(start, position - start);
        if (position < text.Length && text[position] == (byte)'L')
        {
            if (!Utf8Parser.TryParse(digits, out ulong value64, out int used64) || used64 != digits.Length)
            {
                throw Bad(start, "a value ending in 'L' is a number from 0 to 18446744073709551615");
            }
            writer.WriteUInt64BigEndian(type, value64);
            position++;
            return;
        }
        if (!Utf8Parser.TryParse(digits, out uint value32, out int used32) || used32 != digits.Length)
        {
            throw Bad(start, "a value is a number from 0 to 4294967295, a number with 'L', a 'quoted' name or x and hex digits");
        }
        writer.WriteUInt32BigEndian(type, value32);
    }

    /// <summary>Decodes hex digits (either case); false when <paramref name="hex"/> is not pairs of them.</summary>
    public static bool TryDecodeHex(ReadOnlySpan<byte> hex, out byte[] bytes)
    {
        bytes = Array.Empty<byte>();
        if (hex.Length % 2 != 0)
        {
            return false;
        }
        var result = new byte[hex.Length / 2];
        for (int i = 0; i < result.Length; i++)
        {
            int high = HexValue(hex[2 * i]), low = HexValue(hex[2 * i + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }
            result[i] = (byte)((high << 4) | low);
        }
        bytes = result;
        return true;
    }

    private static byte[] Hex(ReadOnlySpan<byte> hex, int position)
    {
        if (hex.Length % 2 != 0)
        {
            throw Bad(position, "hex digits come in pairs");
        }
        var bytes = new byte[hex.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            int high = HexValue(hex[2 * i]), low = HexValue(hex[2 * i + 1]);
            if (high < 0 || low < 0)
            {
                throw Bad(position + 2 * i, "expected hex digits (0-9, a-f)");
            }
            bytes[i] = (byte)((high << 4) | low);
        }
        return bytes;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static void SkipSpaces(ReadOnlySpan<byte> text, ref int position)
    {
        while (position < text.Length && text[position] == (byte)' ')
        {
            position++;
        }
    }

    private static PositionedFormatException Bad(int position, string problem) => new(position, problem);

    private sealed class PositionedFormatException : FormatException
    {
        public PositionedFormatException(int position, string problem)
            : base(problem)
        {
            Position = position;
        }

        public int Position { get; }
    }
}
