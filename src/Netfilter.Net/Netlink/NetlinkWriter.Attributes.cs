using System;
using System.Buffers.Binary;
using System.Text;

namespace Netfilter.Net.Netlink;

internal sealed partial class NetlinkWriter
{
    /// <summary>NLA_F_NESTED: set on every nest, as libmnl and nft do.</summary>
    public const ushort NestedFlag = 0x8000;

    /// <summary>NLA_F_NET_BYTEORDER.</summary>
    public const ushort NetByteOrderFlag = 0x4000;

    /// <summary>nla_len is 16 bits: the largest payload one attribute can carry.</summary>
    public const int MaxAttributePayload = ushort.MaxValue - NetlinkAlignment.AttributeHeaderLength;

    /// <summary>Writes an attribute header and reserves its payload; the caller fills the returned span.</summary>
    public Span<byte> BeginAttribute(ushort type, int payloadLength)
    {
        if ((uint)payloadLength > MaxAttributePayload)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadLength), payloadLength, $"a netlink attribute carries at most {MaxAttributePayload} bytes (nla_len is 16 bits)");
        }
        Span<byte> all = Reserve(NetlinkAlignment.Align(NetlinkAlignment.AttributeHeaderLength + payloadLength));
        HostOrder.WriteUInt16(all, (ushort)(NetlinkAlignment.AttributeHeaderLength + payloadLength));
        HostOrder.WriteUInt16(all.Slice(2), type);
        return all.Slice(NetlinkAlignment.AttributeHeaderLength, payloadLength);
    }

    /// <summary>An attribute with no payload (a flag).</summary>
    public void WriteFlag(ushort type) => BeginAttribute(type, 0);

    public void WriteBytes(ushort type, ReadOnlySpan<byte> value) => value.CopyTo(BeginAttribute(type, value.Length));

    public void WriteUInt8(ushort type, byte value) => BeginAttribute(type, 1)[0] = value;

    public void WriteUInt16BigEndian(ushort type, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(BeginAttribute(type, 2), value);

    public void WriteUInt16Host(ushort type, ushort value) => HostOrder.WriteUInt16(BeginAttribute(type, 2), value);

    public void WriteUInt32BigEndian(ushort type, uint value) => BinaryPrimitives.WriteUInt32BigEndian(BeginAttribute(type, 4), value);

    public void WriteInt32BigEndian(ushort type, int value) => BinaryPrimitives.WriteInt32BigEndian(BeginAttribute(type, 4), value);

    public void WriteUInt32Host(ushort type, uint value) => HostOrder.WriteUInt32(BeginAttribute(type, 4), value);

    public void WriteUInt64BigEndian(ushort type, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(BeginAttribute(type, 8), value);

    public void WriteUInt64Host(ushort type, ulong value) => HostOrder.WriteUInt64(BeginAttribute(type, 8), value);

    /// <summary>A NUL-terminated string (mnl_attr_put_strz): names of tables, chains, sets, expressions.</summary>
    public void WriteStringZ(ushort type, string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        Span<byte> payload = BeginAttribute(type, byteCount + 1);
        Encoding.UTF8.GetBytes(value, payload);
        payload[byteCount] = 0;
    }

    /// <summary>
    /// Opens a nested attribute with NLA_F_NESTED. Dispose the scope (<c>using var</c>) to patch its length.
    /// </summary>
    public NetlinkNest BeginNested(ushort type)
    {
        int start = _length;
        Span<byte> header = Reserve(NetlinkAlignment.AttributeHeaderLength);
        HostOrder.WriteUInt16(header.Slice(2), (ushort)(type | NestedFlag));
        return new NetlinkNest(this, start);
    }

    internal void EndNested(int start)
    {
        int length = _length - start;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"nested attribute is {length} bytes; nla_len is 16 bits (at most {ushort.MaxValue}). Split the request.");
        }
        HostOrder.WriteUInt16(_buffer.AsSpan(start), (ushort)length);
    }

    internal void CancelNested(int start) => _length = start;
}
