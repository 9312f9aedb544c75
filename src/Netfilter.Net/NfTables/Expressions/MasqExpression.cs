using System;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// masq: source NAT to the address of the outgoing interface (nft <c>masquerade</c>), optionally
/// to a port range found in registers. Debug text: <c>[ masq ]</c>, <c>[ masq flags 0x1c ]</c>,
/// <c>[ masq proto_min reg 1 proto_max reg 2 flags 0x2 ]</c>. The kernel dumps PROTO_MAX = PROTO_MIN
/// when only the minimum was sent (FORMAT.md 2.7).
/// </summary>
public sealed class MasqExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_masq_attributes
    private const ushort AttrFlags = 1;    // NFTA_MASQ_FLAGS (NF_NAT_RANGE_*)
    private const ushort AttrProtoMin = 2; // NFTA_MASQ_REG_PROTO_MIN
    private const ushort AttrProtoMax = 3; // NFTA_MASQ_REG_PROTO_MAX

    /// <summary>A masquerade; set the properties that apply (all optional).</summary>
    public MasqExpression()
    {
    }

    /// <summary>NFTA_MASQ_FLAGS: <see cref="NatRangeFlags.ProtoSpecified"/> with a port range, random/persistent/fully-random.</summary>
    public NatRangeFlags? Flags { get; init; }

    /// <summary>NFTA_MASQ_REG_PROTO_MIN: register with the lowest port (network order, 2 bytes).</summary>
    public Register? ProtoMin { get; init; }

    /// <summary>NFTA_MASQ_REG_PROTO_MAX: register with the highest port.</summary>
    public Register? ProtoMax { get; init; }

    /// <inheritdoc />
    public override string Name => "masq";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_masq_build order: FLAGS, REG_PROTO_MIN, REG_PROTO_MAX.
        if (Flags is NatRangeFlags f) writer.WriteUInt32BigEndian(AttrFlags, (uint)f);
        if (ProtoMin is Register min) writer.WriteUInt32BigEndian(AttrProtoMin, min.Raw);
        if (ProtoMax is Register max) writer.WriteUInt32BigEndian(AttrProtoMax, max.Raw);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "masq");
        NatRangeFlags? flags = null;
        Register? min = null, max = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrFlags: flags = (NatRangeFlags)a.GetUInt32BigEndian(); break;
                case AttrProtoMin: min = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrProtoMax: max = Register.FromRaw(a.GetUInt32BigEndian()); break;
                default: return null;
            }
        }
        return new MasqExpression { Flags = flags, ProtoMin = min, ProtoMax = max };
    }

    internal override void AppendDebugBody(StringBuilder builder) => AppendNatRange(builder, ProtoMin, ProtoMax, Flags);

    /// <summary>libnftnl's masq/redir text: "proto_min reg N ", "proto_max reg N ", "flags 0x%x ", each when present.</summary>
    internal static void AppendNatRange(StringBuilder builder, Register? min, Register? max, NatRangeFlags? flags)
    {
        if (min is Register a) builder.Append("proto_min reg ").Append(a).Append(' ');
        if (max is Register b) builder.Append("proto_max reg ").Append(b).Append(' ');
        if (flags is NatRangeFlags f) builder.Append("flags 0x").Append(((uint)f).ToString("x", CultureInfo.InvariantCulture)).Append(' ');
    }
}
