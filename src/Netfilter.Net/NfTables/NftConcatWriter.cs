using System;
using System.Buffers.Binary;
using System.Net;

namespace Netfilter.Net.NfTables;

/// <summary>
/// Writes a concatenation (nft's <c>a . b</c>) into one buffer: each part padded to a multiple of
/// 4 bytes, the way the parts sit in consecutive 32-bit registers. <see cref="NftData.Concat"/>
/// writes its parts with it; the NAT compiler writes its map keys and values (<c>tcp . 2222</c>,
/// <c>10.0.2.2 . 22</c>) with it directly, without making each part an <see cref="NftData"/>
/// first: 10,000 forwards make 20,000 of them.
/// </summary>
internal ref struct NftConcatWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    /// <param name="buffer">Room for the whole concatenation (at most <see cref="NftData.MaxLength"/> bytes).</param>
    public NftConcatWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
    }

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    /// <summary>One part as it is, padded with zeros to a multiple of 4 bytes.</summary>
    public NftConcatWriter Part(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Next((bytes.Length + 3) & ~3));
        return this;
    }

    /// <summary>One byte in a 4-byte part (a protocol number: <c>meta l4proto</c>).</summary>
    public NftConcatWriter Byte(byte value)
    {
        Next(4)[0] = value;
        return this;
    }

    /// <summary>A port in network byte order, as <see cref="NftData.FromPort"/> writes it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 0–65535.</exception>
    public NftConcatWriter Port(int port)
    {
        PortNumber.ValidateField(port, nameof(port));
        BinaryPrimitives.WriteUInt16BigEndian(Next(4), (ushort)port);
        return this;
    }

    /// <summary>An IPv4 (4 bytes) or IPv6 (16 bytes) address, network byte order, as <see cref="NftData.FromIPAddress"/> writes it.</summary>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    public NftConcatWriter Address(IPAddress address)
    {
        address.TryWriteBytes(Next(NftData.AddressLength(address)), out _);
        return this;
    }

    /// <summary>The concatenation as one value.</summary>
    public readonly NftData ToData() => NftData.FromBytes(Written);

    /// <summary>The next part, zeroed (the padding is part of the value).</summary>
    private Span<byte> Next(int length)
    {
        Span<byte> part = _buffer.Slice(_length, length);
        part.Clear();
        _length += length;
        return part;
    }
}
