using System;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// nat: snat or dnat to the address and port found in registers.
/// <code>
/// NFTA_NAT_TYPE be32, NFTA_NAT_FAMILY be32 (NFPROTO_IPV4/IPV6),
/// NFTA_NAT_REG_ADDR_MIN/_MAX, NFTA_NAT_REG_PROTO_MIN/_MAX be32 (registers), NFTA_NAT_FLAGS be32 (NF_NAT_RANGE_*)
/// </code>
/// Debug text: <c>[ nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2 ]</c>. Registers not
/// given are not sent; the kernel dumps max = min and adds NF_NAT_RANGE_MAP_IPS when an
/// address is given (FORMAT.md 2.7).
/// </summary>
public sealed class NatExpression : NftExpression
{
    // enum nft_nat_attributes
    private const ushort AttrType = 1;         // NFTA_NAT_TYPE
    private const ushort AttrFamily = 2;       // NFTA_NAT_FAMILY
    private const ushort AttrAddrMin = 3;      // NFTA_NAT_REG_ADDR_MIN
    private const ushort AttrAddrMax = 4;      // NFTA_NAT_REG_ADDR_MAX
    private const ushort AttrProtoMin = 5;     // NFTA_NAT_REG_PROTO_MIN
    private const ushort AttrProtoMax = 6;     // NFTA_NAT_REG_PROTO_MAX
    private const ushort AttrFlags = 7;        // NFTA_NAT_FLAGS

    /// <summary>A NAT of <paramref name="type"/> for <paramref name="family"/> (IPv4 or IPv6, also inside inet tables).</summary>
    public NatExpression(NatType type, NetfilterFamily family)
    {
        Type = type;
        Family = family;
    }

    /// <summary>snat or dnat.</summary>
    public NatType Type { get; }

    /// <summary>NFTA_NAT_FAMILY: the address family of the registers.</summary>
    public NetfilterFamily Family { get; }

    /// <summary>Register with the lowest address.</summary>
    public Register? AddressMin { get; init; }

    /// <summary>Register with the highest address.</summary>
    public Register? AddressMax { get; init; }

    /// <summary>Register with the lowest port (network order, 2 bytes).</summary>
    public Register? ProtoMin { get; init; }

    /// <summary>Register with the highest port.</summary>
    public Register? ProtoMax { get; init; }

    /// <summary>NFTA_NAT_FLAGS, when sent.</summary>
    public NatRangeFlags? Flags { get; init; }

    /// <inheritdoc />
    public override string Name => "nat";

    internal override void EncodeData(NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(AttrType, (uint)Type);
        writer.WriteUInt32BigEndian(AttrFamily, (uint)Family);
        if (AddressMin is Register a) writer.WriteUInt32BigEndian(AttrAddrMin, a.Raw);
        if (AddressMax is Register b) writer.WriteUInt32BigEndian(AttrAddrMax, b.Raw);
        if (ProtoMin is Register c) writer.WriteUInt32BigEndian(AttrProtoMin, c.Raw);
        if (ProtoMax is Register d) writer.WriteUInt32BigEndian(AttrProtoMax, d.Raw);
        if (Flags is NatRangeFlags f) writer.WriteUInt32BigEndian(AttrFlags, (uint)f);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "nat");
        uint? type = null, family = null;
        Register? addrMin = null, addrMax = null, protoMin = null, protoMax = null;
        NatRangeFlags? flags = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrType: type = a.GetUInt32BigEndian(); break;
                case AttrFamily: family = a.GetUInt32BigEndian(); break;
                case AttrAddrMin: addrMin = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrAddrMax: addrMax = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrProtoMin: protoMin = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrProtoMax: protoMax = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrFlags: flags = (NatRangeFlags)a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        if (type is null || family is null)
        {
            throw new NetlinkProtocolException("nat", "NFTA_NAT_TYPE and NFTA_NAT_FAMILY", "a missing attribute");
        }
        if (family > byte.MaxValue)
        {
            // NetfilterFamily is a byte (NFPROTO_*); a wider value would be truncated on re-encoding, so keep it raw.
            return null;
        }
        return new NatExpression((NatType)type.Value, (NetfilterFamily)family.Value)
        {
            AddressMin = addrMin,
            AddressMax = addrMax,
            ProtoMin = protoMin,
            ProtoMax = protoMax,
            Flags = flags,
        };
    }

    internal override void AppendDebugBody(StringBuilder builder)
    {
        builder.Append(Type switch { NatType.Snat => "snat ", NatType.Dnat => "dnat ", _ => string.Empty });
        builder.Append(FamilyNames.Of(Family)).Append(' ');
        if (AddressMin is Register a) builder.Append("addr_min reg ").Append(a).Append(' ');
        if (AddressMax is Register b) builder.Append("addr_max reg ").Append(b).Append(' ');
        if (ProtoMin is Register c) builder.Append("proto_min reg ").Append(c).Append(' ');
        if (ProtoMax is Register d) builder.Append("proto_max reg ").Append(d).Append(' ');
        if (Flags is NatRangeFlags f) builder.Append("flags 0x").Append(((uint)f).ToString("x", CultureInfo.InvariantCulture)).Append(' ');
    }
}
