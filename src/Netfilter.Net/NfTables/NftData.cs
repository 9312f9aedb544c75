using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Netfilter.Net.NfTables;

/// <summary>
/// A data value for a register (NFTA_DATA_VALUE): what cmp compares with, what immediate loads,
/// what a set element's key is. Byte order is fixed by the factory that builds it: packet
/// fields (ports, addresses) are in network order, meta/ct keys (mark, l4proto) in host order
/// (STYLE.md pitfall 7). There is no constructor from a bare integer.
/// </summary>
public sealed class NftData : IEquatable<NftData>
{
    /// <summary>NFT_DATA_VALUE_MAXLEN: 64 bytes (all registers).</summary>
    public const int MaxLength = 64;

    private readonly byte[] _bytes;

    private NftData(byte[] bytes) => _bytes = bytes;

    /// <summary>The bytes as they go on the wire.</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>The bytes as memory.</summary>
    public ReadOnlyMemory<byte> Memory => _bytes;

    /// <summary>Length in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>A TCP/UDP/SCTP port, network byte order (2 bytes): what <c>payload load 2b @ transport header + 2</c> yields.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 0–65535.</exception>
    public static NftData FromPort(int port)
    {
        PortNumber.ValidateField(port, nameof(port));
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)port);
        return new NftData(bytes);
    }

    /// <summary>An IPv4 (4 bytes) or IPv6 (16 bytes) address, network byte order. IPv4-mapped IPv6 stays IPv6.</summary>
    public static NftData FromIPAddress(IPAddress address)
    {
        AddressLength(address);
        return new NftData(address.GetAddressBytes());
    }

    /// <summary>How many bytes <paramref name="address"/> takes: 4 (IPv4) or 16 (IPv6).</summary>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    internal static int AddressLength(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => 4,
            AddressFamily.InterNetworkV6 => 16,
            _ => throw new ArgumentException($"{address} is neither IPv4 nor IPv6", nameof(address)),
        };
    }

    /// <summary>
    /// An interface name as meta iifname/oifname compare it: NUL-padded to IFNAMSIZ (16 bytes).
    /// With <paramref name="prefix"/> true, only the name's bytes (for "eth*" wildcards, which nft
    /// compares on the prefix length).
    /// </summary>
    public static NftData FromInterfaceName(string name, bool prefix = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        byte[] text = Encoding.ASCII.GetBytes(name);
        if (text.Length > 15)
        {
            throw new ArgumentException($"interface name {InputText.Quote(name)} is {text.Length} bytes; Linux allows at most 15 (IFNAMSIZ - 1)", nameof(name));
        }
        if (prefix)
        {
            return new NftData(text);
        }
        var bytes = new byte[16];
        text.CopyTo(bytes, 0);
        return new NftData(bytes);
    }

    /// <summary>A 32-bit value in host byte order: meta mark, ct mark, ct state bits, priorities.</summary>
    public static NftData FromHostUInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }
        return new NftData(bytes);
    }

    /// <summary>A 16-bit value in host byte order (e.g. meta protocol is big-endian: use <see cref="FromBigEndianUInt16"/> for that).</summary>
    public static NftData FromHostUInt16(ushort value)
    {
        var bytes = new byte[2];
        if (BitConverter.IsLittleEndian) BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        else BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return new NftData(bytes);
    }

    /// <summary>A 16-bit value in network byte order (meta protocol / ether type, ports).</summary>
    public static NftData FromBigEndianUInt16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return new NftData(bytes);
    }

    /// <summary>A 32-bit value in network byte order (e.g. a header field compared as a whole).</summary>
    public static NftData FromBigEndianUInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new NftData(bytes);
    }

    /// <summary>One byte: an L4 protocol number (meta l4proto, ip protocol), nfproto, a TCP flag byte.</summary>
    public static NftData FromByte(byte value) => new(new[] { value });

    /// <summary>Raw bytes, exactly as they go on the wire (for values decoded from the kernel, or fields this type has no factory for).</summary>
    public static NftData FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new ArgumentException($"an nftables data value holds at most {MaxLength} bytes, got {bytes.Length}", nameof(bytes));
        }
        return new NftData(bytes.ToArray());
    }

    /// <summary>
    /// A concatenation (nft's <c>a . b</c>): each part padded to a multiple of 4 bytes, the way
    /// the parts sit in consecutive 32-bit registers (google/nftables ConcatSetType).
    /// </summary>
    public static NftData Concat(params NftData[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        int length = 0;
        foreach (NftData part in parts)
        {
            length += (part.Length + 3) & ~3;
        }
        if (length > MaxLength)
        {
            throw new ArgumentException($"the concatenation is {length} bytes; registers hold {MaxLength}", nameof(parts));
        }
        var bytes = new byte[length];
        var writer = new NftConcatWriter(bytes);
        foreach (NftData part in parts)
        {
            writer.Part(part._bytes);
        }
        return new NftData(bytes);
    }

    /// <summary>
    /// libnftnl 1.2.4's rendering: the value as host-endian 32-bit words (zero-padded), each
    /// <c>0x%.8x</c> followed by a blank (FORMAT.md 3.2, old format). Port 80 is <c>0x00005000 </c>.
    /// </summary>
    public string ToDebugString(bool withPrefix = true)
    {
        var sb = new StringBuilder();
        AppendDebug(sb, withPrefix);
        return sb.ToString();
    }

    internal void AppendDebug(StringBuilder sb, bool withPrefix = true)
    {
        Span<byte> word = stackalloc byte[4];
        for (int i = 0; i < _bytes.Length; i += 4)
        {
            word.Clear();
            _bytes.AsSpan(i, Math.Min(4, _bytes.Length - i)).CopyTo(word);
            uint value = BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(word) : BinaryPrimitives.ReadUInt32BigEndian(word);
            if (withPrefix)
            {
                sb.Append("0x");
            }
            sb.Append(value.ToString("x8", CultureInfo.InvariantCulture)).Append(' ');
        }
    }

    /// <inheritdoc />
    public bool Equals(NftData? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NftData);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>The bytes in hex, e.g. "0050".</summary>
    public override string ToString() => Convert.ToHexString(_bytes).ToLowerInvariant();
}
