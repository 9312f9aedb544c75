using System;
using System.Collections.Generic;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.NfTables;

/// <summary>
/// An nftables set or map. Keys and data are described by nft's datatype numbers and byte
/// lengths (NFTA_SET_KEY_TYPE/_LEN, NFTA_SET_DATA_TYPE/_LEN); a concatenated key packs each
/// field's datatype in 6 bits (see <see cref="SetDataTypes"/>).
/// </summary>
public sealed record Set
{
    /// <summary>A set named <paramref name="name"/> in table <paramref name="table"/>.</summary>
    public Set(NetfilterFamily family, string table, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Family = family;
        Table = table;
        Name = name;
    }

    /// <summary>The table's family.</summary>
    public NetfilterFamily Family { get; init; }

    /// <summary>The table.</summary>
    public string Table { get; init; }

    /// <summary>The set's name. For anonymous sets nft sends a template such as <c>__set%d</c> and the kernel picks the number.</summary>
    public string Name { get; init; }

    /// <summary>Kernel-assigned handle.</summary>
    public ulong Handle { get; init; }

    /// <summary>Flags (interval, map, timeout, ...).</summary>
    public SetFlags Flags { get; init; }

    /// <summary>NFTA_SET_KEY_TYPE: nft's datatype id of the key (concatenations: 6 bits per field).</summary>
    public uint KeyType { get; init; }

    /// <summary>NFTA_SET_KEY_LEN: key length in bytes (concatenation fields padded to 4).</summary>
    public uint KeyLength { get; init; }

    /// <summary>NFTA_SET_DATA_TYPE, for maps (NFT_DATA_VERDICT = 0xffffff00 for verdict maps).</summary>
    public uint? DataType { get; init; }

    /// <summary>NFTA_SET_DATA_LEN, for maps.</summary>
    public uint? DataLength { get; init; }

    /// <summary>NFTA_SET_OBJ_TYPE, for object maps.</summary>
    public uint? ObjectType { get; init; }

    /// <summary>NFTA_SET_POLICY (0 performance, 1 memory), when present.</summary>
    public uint? Policy { get; init; }

    /// <summary>NFTA_SET_DESC_SIZE, when present.</summary>
    public uint? Size { get; init; }

    /// <summary>NFTA_SET_DESC_CONCAT: the byte length of each concatenated field, when present.</summary>
    public IReadOnlyList<uint>? ConcatFieldLengths { get; init; }

    /// <summary>NFTA_SET_TIMEOUT in milliseconds, when present.</summary>
    public ulong? Timeout { get; init; }

    /// <summary>NFTA_SET_GC_INTERVAL in milliseconds, when present.</summary>
    public uint? GcInterval { get; init; }

    /// <summary>NFTA_SET_ID: transaction-local id, so rules in the same batch can refer to a new set.</summary>
    public uint? Id { get; init; }

    /// <summary>NFTA_SET_USERDATA, raw (nft keeps byte-order hints, typeof info and the comment here).</summary>
    public ReadOnlyMemory<byte> UserData { get; init; }

    /// <summary>NFTA_SET_EXPR / NFTA_SET_EXPRESSIONS: expressions every element carries (e.g. counter).</summary>
    public IReadOnlyList<NftExpression>? Expressions { get; init; }

    /// <summary>The comment nft stores in the userdata, if any.</summary>
    public string? Comment => UserData.IsEmpty ? null : NfTables.UserData.ReadComment(UserData.Span, NfTables.UserData.SetCommentType);

    /// <summary>True for maps.</summary>
    public bool IsMap => (Flags & SetFlags.Map) != 0;
}

/// <summary>nft's datatype ids for set keys and data (nftables include/datatype.h, enum datatypes).</summary>
public static class SetDataTypes
{
    /// <summary>TYPE_VERDICT (1).</summary>
    public const uint Verdict = 1;
    /// <summary>TYPE_NFPROTO (2).</summary>
    public const uint NfProto = 2;
    /// <summary>TYPE_BITMASK (3).</summary>
    public const uint Bitmask = 3;
    /// <summary>TYPE_INTEGER (4).</summary>
    public const uint Integer = 4;
    /// <summary>TYPE_STRING (5).</summary>
    public const uint String = 5;
    /// <summary>TYPE_LLADDR (6).</summary>
    public const uint LinkLayerAddress = 6;
    /// <summary>TYPE_IPADDR (7): ipv4_addr.</summary>
    public const uint IPv4Address = 7;
    /// <summary>TYPE_IP6ADDR (8): ipv6_addr.</summary>
    public const uint IPv6Address = 8;
    /// <summary>TYPE_ETHERADDR (9).</summary>
    public const uint EtherAddress = 9;
    /// <summary>TYPE_ETHERTYPE (10).</summary>
    public const uint EtherType = 10;
    /// <summary>TYPE_ARPOP (11).</summary>
    public const uint ArpOperation = 11;
    /// <summary>TYPE_INET_PROTOCOL (12): inet_proto.</summary>
    public const uint InetProtocol = 12;
    /// <summary>TYPE_INET_SERVICE (13): inet_service (a port).</summary>
    public const uint InetService = 13;
    /// <summary>TYPE_ICMP_TYPE (14).</summary>
    public const uint IcmpType = 14;
    /// <summary>TYPE_TCP_FLAG (15).</summary>
    public const uint TcpFlag = 15;
    /// <summary>TYPE_MARK (19): mark.</summary>
    public const uint Mark = 19;
    /// <summary>TYPE_IFINDEX (20).</summary>
    public const uint InterfaceIndex = 20;
    /// <summary>TYPE_IFNAME (41): ifname.</summary>
    public const uint InterfaceName = 41;
    /// <summary>NFT_DATA_VERDICT: the data type of a verdict map.</summary>
    public const uint VerdictData = 0xffffff00;

    /// <summary>TYPE_BITS: how many bits each field of a concatenated key type takes.</summary>
    public const int ConcatBits = 6;

    /// <summary>nft's concatenated type id: each field's type shifted in, 6 bits per field (nftables concat_subtype_add).</summary>
    public static uint Concat(params uint[] fieldTypes)
    {
        ArgumentNullException.ThrowIfNull(fieldTypes);
        uint type = 0;
        foreach (uint field in fieldTypes)
        {
            type = (type << ConcatBits) | field;
        }
        return type;
    }
}
