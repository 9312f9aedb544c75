using System;
using System.Buffers.Binary;
using System.Net;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

/// <summary>
/// A concatenated map key or value (<c>tcp . 2222</c>, <c>10.0.2.2 . 22</c>) written straight into
/// one buffer, laid out as <see cref="NftData.Concat"/> lays it out: each part padded to 4 bytes.
/// Compiling 10,000 forwards makes 20,000 of them, and building each from separate parts cost six
/// objects where this costs two.
/// </summary>
internal ref struct NatConcat
{
    private readonly Span<byte> _buffer;
    private int _length;

    /// <param name="buffer">Room for the whole concatenation (at most <see cref="NftData.MaxLength"/> bytes).</param>
    public NatConcat(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
    }

    /// <summary>One byte in a 4-byte part (a protocol number: <c>meta l4proto</c>).</summary>
    public NatConcat Byte(byte value)
    {
        Span<byte> part = Next(4);
        part[0] = value;
        return this;
    }

    /// <summary>A port in network byte order, in a 4-byte part.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 0–65535.</exception>
    public NatConcat Port(int port)
    {
        PortNumber.ValidateField(port, nameof(port));
        BinaryPrimitives.WriteUInt16BigEndian(Next(4), (ushort)port);
        return this;
    }

    /// <summary>An IPv4 (4 bytes) or IPv6 (16 bytes) address, network byte order, as <see cref="NftData.FromIPAddress"/> writes it.</summary>
    public NatConcat Address(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        int length = address.AddressFamily switch
        {
            System.Net.Sockets.AddressFamily.InterNetwork => 4,
            System.Net.Sockets.AddressFamily.InterNetworkV6 => 16,
            _ => throw new ArgumentException($"{address} is neither IPv4 nor IPv6", nameof(address)),
        };
        address.TryWriteBytes(Next(length), out _);
        return this;
    }

    /// <summary>The concatenation as one value.</summary>
    public readonly NftData ToData() => NftData.FromBytes(_buffer[.._length]);

    /// <summary>The next part, zeroed (the padding is part of the key).</summary>
    private Span<byte> Next(int length)
    {
        Span<byte> part = _buffer.Slice(_length, length);
        part.Clear();
        _length += length;
        return part;
    }
}
