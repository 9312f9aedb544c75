using System;
using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Netfilter.Net.NfTables.Internal.Documents;

/// <summary>
/// A growable, pooled UTF-8 buffer that JSON is written into by hand: the ruleset document has a
/// fixed shape and a layout of its own (one line per chain, element and rule), which
/// <c>Utf8JsonWriter</c> cannot produce. Strings are escaped as RFC 8259 requires (quote,
/// backslash, control characters); everything else is written as UTF-8.
/// </summary>
internal sealed class JsonBuffer : IDisposable
{
    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _length;

    /// <summary>Bytes written since the last <see cref="Clear"/>.</summary>
    public int Length => _length;

    /// <summary>What has been written.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Drops what was written after <paramref name="length"/> bytes (a representation that turned out not to fit).</summary>
    public void Truncate(int length) => _length = length;

    /// <summary>Room for at least <paramref name="size"/> bytes at the end; commit with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_length + size > _buffer.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        return _buffer.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    /// <summary>Bytes as they are: structure and property names (<c>,"name":</c>).</summary>
    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    public void Byte(byte b)
    {
        if (_length < _buffer.Length)
        {
            _buffer[_length++] = b;
            return;
        }
        GetSpan(1)[0] = b;
        _length++;
    }

    public void Number(ulong value)
    {
        if (value < 10 && _length < _buffer.Length)
        {
            // Registers, operators and flags: most numbers of a ruleset are one digit.
            _buffer[_length++] = (byte)('0' + (int)value);
            return;
        }
        Utf8Formatter.TryFormat(value, GetSpan(20), out int written);
        _length += written;
    }

    public void Number(long value)
    {
        Utf8Formatter.TryFormat(value, GetSpan(20), out int written);
        _length += written;
    }

    /// <summary>ASCII text that needs no escaping (checked by the caller), without quotes.</summary>
    public void Ascii(string text)
    {
        Span<byte> span = GetSpan(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }
        _length += text.Length;
    }

    /// <summary>A JSON string of what <paramref name="text"/> holds, read chunk by chunk.</summary>
    public void String(StringBuilder text)
    {
        Byte((byte)'"');
        Span<byte> utf8 = stackalloc byte[1024];
        foreach (ReadOnlyMemory<char> chunk in text.GetChunks())
        {
            for (int start = 0; start < chunk.Length; start += 256)
            {
                ReadOnlySpan<char> part = chunk.Span.Slice(start, Math.Min(256, chunk.Length - start));
                int count = Encoding.UTF8.GetBytes(part, utf8);
                Escaped(utf8.Slice(0, count));
            }
        }
        Byte((byte)'"');
    }

    /// <summary>A JSON string.</summary>
    public void String(string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = max > 512 ? ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[max];
        int count = Encoding.UTF8.GetBytes(value, utf8);
        StringUtf8(utf8.Slice(0, count));
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A JSON string from UTF-8 bytes.</summary>
    public void StringUtf8(ReadOnlySpan<byte> utf8)
    {
        Byte((byte)'"');
        Escaped(utf8);
        Byte((byte)'"');
    }

    /// <summary>UTF-8 bytes, escaped for the inside of a JSON string.</summary>
    private void Escaped(ReadOnlySpan<byte> utf8)
    {
        // At most 6 bytes per input byte (\u00XX).
        Span<byte> span = GetSpan(utf8.Length * 6);
        int n = 0;
        foreach (byte b in utf8)
        {
            switch (b)
            {
                case (byte)'"':
                    span[n++] = (byte)'\\';
                    span[n++] = (byte)'"';
                    break;
                case (byte)'\\':
                    span[n++] = (byte)'\\';
                    span[n++] = (byte)'\\';
                    break;
                case (byte)'\n':
                    span[n++] = (byte)'\\';
                    span[n++] = (byte)'n';
                    break;
                case (byte)'\t':
                    span[n++] = (byte)'\\';
                    span[n++] = (byte)'t';
                    break;
                case < 0x20:
                    span[n++] = (byte)'\\';
                    span[n++] = (byte)'u';
                    span[n++] = (byte)'0';
                    span[n++] = (byte)'0';
                    span[n++] = HexDigits[b >> 4];
                    span[n++] = HexDigits[b & 0xf];
                    break;
                default:
                    span[n++] = b;
                    break;
            }
        }
        _length += n;
    }

    /// <summary>A JSON string of lower-case hex digits.</summary>
    public void Hex(ReadOnlySpan<byte> bytes)
    {
        Span<byte> span = GetSpan(bytes.Length * 2 + 2);
        span[0] = (byte)'"';
        AppendHex(span.Slice(1), bytes);
        span[bytes.Length * 2 + 1] = (byte)'"';
        _length += bytes.Length * 2 + 2;
    }

    /// <summary>Writes <paramref name="bytes"/> as lower-case hex into <paramref name="into"/> (twice their length).</summary>
    public static void AppendHex(Span<byte> into, ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            into[2 * i] = HexDigits[bytes[i] >> 4];
            into[2 * i + 1] = HexDigits[bytes[i] & 0xf];
        }
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = Array.Empty<byte>();
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
