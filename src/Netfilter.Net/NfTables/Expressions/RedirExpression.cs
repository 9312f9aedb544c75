using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Expressions;

/// <summary>
/// redir: destination NAT to the local machine (the primary address of the incoming interface,
/// or loopback for locally generated packets), optionally to a port range found in registers
/// (nft <c>redirect to :8080</c>). Debug text: <c>[ redir ]</c>, <c>[ redir proto_min reg 1 flags 0x2 ]</c>.
/// The kernel dumps PROTO_MAX = PROTO_MIN when only the minimum was sent (FORMAT.md 2.7).
/// </summary>
public sealed class RedirExpression : NftExpression
{
    // uapi nf_tables.h, enum nft_redir_attributes
    private const ushort AttrProtoMin = 1; // NFTA_REDIR_REG_PROTO_MIN
    private const ushort AttrProtoMax = 2; // NFTA_REDIR_REG_PROTO_MAX
    private const ushort AttrFlags = 3;    // NFTA_REDIR_FLAGS (NF_NAT_RANGE_*)

    /// <summary>A redirect; set the properties that apply (all optional).</summary>
    public RedirExpression()
    {
    }

    /// <summary>NFTA_REDIR_REG_PROTO_MIN: register with the lowest port (network order, 2 bytes).</summary>
    public Register? ProtoMin { get; init; }

    /// <summary>NFTA_REDIR_REG_PROTO_MAX: register with the highest port.</summary>
    public Register? ProtoMax { get; init; }

    /// <summary>NFTA_REDIR_FLAGS: <see cref="NatRangeFlags.ProtoSpecified"/> with a port, random/persistent/fully-random.</summary>
    public NatRangeFlags? Flags { get; init; }

    /// <inheritdoc />
    public override string Name => "redir";

    internal override void EncodeData(NetlinkWriter writer)
    {
        // libnftnl nftnl_expr_redir_build order: REG_PROTO_MIN, REG_PROTO_MAX, FLAGS.
        if (ProtoMin is Register min) writer.WriteUInt32BigEndian(AttrProtoMin, min.Raw);
        if (ProtoMax is Register max) writer.WriteUInt32BigEndian(AttrProtoMax, max.Raw);
        if (Flags is NatRangeFlags f) writer.WriteUInt32BigEndian(AttrFlags, (uint)f);
    }

    internal static NftExpression? Decode(ReadOnlySpan<byte> data)
    {
        var reader = new NetlinkAttributeReader(data, "redir");
        NatRangeFlags? flags = null;
        Register? min = null, max = null;
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case AttrProtoMin: min = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrProtoMax: max = Register.FromRaw(a.GetUInt32BigEndian()); break;
                case AttrFlags: flags = (NatRangeFlags)a.GetUInt32BigEndian(); break;
                default: return null;
            }
        }
        return new RedirExpression { ProtoMin = min, ProtoMax = max, Flags = flags };
    }

    internal override void AppendDebugBody(StringBuilder builder) => MasqExpression.AppendNatRange(builder, ProtoMin, ProtoMax, Flags);
}
