using System;
using System.Buffers.Binary;
using System.Text;

namespace Netfilter.Net.Netlink;

/// <summary>
/// One attribute as read from a buffer: its type with the NLA_F_NESTED and NLA_F_NET_BYTEORDER
/// bits masked off, and its payload. The accessors check the payload length and say so when
/// it is wrong: strict on lengths, lenient on types.
/// </summary>
internal readonly ref struct NetlinkAttribute
{
    /// <summary>NLA_TYPE_MASK.</summary>
    public const ushort TypeMask = 0x3fff;

    private readonly string _context;

    public NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> payload, int offset, string context)
    {
        RawType = rawType;
        Payload = payload;
        Offset = offset;
        _context = context;
    }

    /// <summary>The attribute type without flag bits.</summary>
    public ushort Type => (ushort)(RawType & TypeMask);

    /// <summary>The type as on the wire, flags included.</summary>
    public ushort RawType { get; }

    /// <summary>NLA_F_NESTED was set.</summary>
    public bool IsNested => (RawType & NetlinkWriter.NestedFlag) != 0;

    /// <summary>The payload, without header or padding.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Offset of the attribute header within the span the reader walked.</summary>
    public int Offset { get; }

    private string Where => $"{_context} attribute {Type}";

    public byte GetUInt8()
    {
        ExpectLength(1);
        return Payload[0];
    }

    public ushort GetUInt16BigEndian()
    {
        ExpectLength(2);
        return BinaryPrimitives.ReadUInt16BigEndian(Payload);
    }

    public ushort GetUInt16Host()
    {
        ExpectLength(2);
        return HostOrder.ReadUInt16(Payload);
    }

    public uint GetUInt32BigEndian()
    {
        ExpectLength(4);
        return BinaryPrimitives.ReadUInt32BigEndian(Payload);
    }

    public int GetInt32BigEndian()
    {
        ExpectLength(4);
        return BinaryPrimitives.ReadInt32BigEndian(Payload);
    }

    public uint GetUInt32Host()
    {
        ExpectLength(4);
        return HostOrder.ReadUInt32(Payload);
    }

    public ulong GetUInt64BigEndian()
    {
        ExpectLength(8);
        return BinaryPrimitives.ReadUInt64BigEndian(Payload);
    }

    public ulong GetUInt64Host()
    {
        ExpectLength(8);
        return HostOrder.ReadUInt64(Payload);
    }

    /// <summary>A string, which must be NUL-terminated; anything after the first NUL is ignored.</summary>
    public string GetStringZ()
    {
        int nul = Payload.IndexOf((byte)0);
        if (nul < 0)
        {
            throw new NetlinkProtocolException(Where, "a NUL-terminated string", $"{Payload.Length} bytes with no NUL");
        }
        return Encoding.UTF8.GetString(Payload.Slice(0, nul));
    }

    /// <summary>A string that may or may not be NUL-terminated (some kernel attributes are NLA_STRING).</summary>
    public string GetString()
    {
        int nul = Payload.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? Payload : Payload.Slice(0, nul));
    }

    /// <summary>Reads the payload as a list of attributes.</summary>
    public NetlinkAttributeReader GetNested(string? context = null) => new(Payload, context ?? Where);

    /// <summary>Throws unless the payload is exactly <paramref name="length"/> bytes.</summary>
    public void ExpectLength(int length)
    {
        if (Payload.Length != length)
        {
            throw new NetlinkProtocolException(Where, $"{length} bytes of payload", $"{Payload.Length}");
        }
    }

    /// <summary>Throws unless the payload is at least <paramref name="length"/> bytes.</summary>
    public void ExpectMinLength(int length)
    {
        if (Payload.Length < length)
        {
            throw new NetlinkProtocolException(Where, $"at least {length} bytes of payload", $"{Payload.Length}");
        }
    }
}
