using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Objects;

/// <summary>
/// A conntrack expectation template (nft "ct expectation NAME { protocol tcp; dport 21;
/// timeout 10s; size 8; l3proto ip; }"), applied by <c>ct expectation set "NAME"</c>.
/// </summary>
public sealed record CtExpectationObject : NftObject
{
    // uapi nf_tables.h, enum nft_ct_expectation_attributes
    private const ushort AttrL3Proto = 1; // NFTA_CT_EXPECT_L3PROTO (be16)
    private const ushort AttrL4Proto = 2; // NFTA_CT_EXPECT_L4PROTO (u8)
    private const ushort AttrDport = 3;   // NFTA_CT_EXPECT_DPORT (be16)
    private const ushort AttrTimeout = 4; // NFTA_CT_EXPECT_TIMEOUT (u32, host byte order, milliseconds)
    private const ushort AttrSize = 5;    // NFTA_CT_EXPECT_SIZE (u8)

    /// <summary>An expectation named <paramref name="name"/>; set the fields nft sends (all five) with the initializers.</summary>
    public CtExpectationObject(NetfilterFamily family, string table, string name)
        : base(family, table, name)
    {
    }

    /// <inheritdoc />
    public override NftObjectType Type => NftObjectType.CtExpectation;

    /// <summary>NFTA_CT_EXPECT_L3PROTO: NFPROTO_IPV4 (2) or NFPROTO_IPV6 (10), when present.</summary>
    public ushort? Layer3Protocol { get; init; }

    /// <summary>NFTA_CT_EXPECT_L4PROTO: IPPROTO_*, when present.</summary>
    public byte? Layer4Protocol { get; init; }

    /// <summary>NFTA_CT_EXPECT_DPORT: the expected destination port, 0–65535, when present.</summary>
    /// <exception cref="System.ArgumentOutOfRangeException">Set outside 0–65535.</exception>
    public int? DestinationPort { get => _destinationPort; init => _destinationPort = PortNumber.ValidateField(value, nameof(DestinationPort)); }

    private readonly int? _destinationPort;

    /// <summary>NFTA_CT_EXPECT_TIMEOUT in milliseconds, when present. (Host byte order on the wire: the one nftables integer that is.)</summary>
    public uint? TimeoutMilliseconds { get; init; }

    /// <summary>NFTA_CT_EXPECT_SIZE: the most expectations per master connection, when present.</summary>
    public byte? Size { get; init; }

    internal override string DebugName => "ct_expect";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_obj_ct_expect_build order: L3PROTO, L4PROTO, DPORT, TIMEOUT (mnl_attr_put_u32
        // without htonl; the kernel reads it with nla_get_u32), SIZE.
        if (Layer3Protocol is ushort l3) writer.WriteUInt16BigEndian(AttrL3Proto, l3);
        if (Layer4Protocol is byte l4) writer.WriteUInt8(AttrL4Proto, l4);
        if (DestinationPort is int port) writer.WriteUInt16BigEndian(AttrDport, (ushort)port);
        if (TimeoutMilliseconds is uint timeout) writer.WriteUInt32Host(AttrTimeout, timeout);
        if (Size is byte size) writer.WriteUInt8(AttrSize, size);
    }

    internal static NftObject? Decode(NetfilterFamily family, string table, string name, ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "ct expectation object");
        ushort? l3 = null, port = null;
        byte? l4 = null, size = null;
        uint? timeout = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrL3Proto: l3 = a.GetUInt16BigEndian(); break;
                case AttrL4Proto: l4 = a.GetUInt8(); break;
                case AttrDport: port = a.GetUInt16BigEndian(); break;
                case AttrTimeout: timeout = a.GetUInt32Host(); break;
                case AttrSize: size = a.GetUInt8(); break;
                default: return null;
            }
        }
        return new CtExpectationObject(family, table, name) { Layer3Protocol = l3, Layer4Protocol = l4, DestinationPort = port, TimeoutMilliseconds = timeout, Size = size };
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        // libnftnl nftnl_obj_ct_expect_snprintf: each field when present, printed with %d.
        if (Layer3Protocol is ushort l3) builder.Append("family ").Append(l3).Append(' ');
        if (Layer4Protocol is byte l4) builder.Append("protocol ").Append(l4).Append(' ');
        if (DestinationPort is int port) builder.Append("dport ").Append(port).Append(' ');
        if (TimeoutMilliseconds is uint timeout) builder.Append("timeout ").Append(unchecked((int)timeout)).Append(' ');
        if (Size is byte size) builder.Append("size ").Append(size).Append(' ');
    }
}
