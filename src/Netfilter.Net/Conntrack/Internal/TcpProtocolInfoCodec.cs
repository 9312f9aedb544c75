using System;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>CTA_PROTOINFO_TCP (enum ctattr_protoinfo_tcp) to and from <see cref="TcpConntrackInfo"/>.</summary>
internal static class TcpProtocolInfoCodec
{
    public static TcpConntrackInfo Decode(in NetlinkAttribute attribute, ref bool unknown)
    {
        TcpConntrackState? state = null;
        byte? scaleOriginal = null, scaleReply = null;
        TcpConntrackFlags? flagsOriginal = null, flagsReply = null;
        var reader = attribute.GetNested("CTA_PROTOINFO_TCP");
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case CtaProtoInfoTcpAttribute.State:
                    state = (TcpConntrackState)a.GetUInt8();
                    break;
                case CtaProtoInfoTcpAttribute.WindowScaleOriginal:
                    scaleOriginal = a.GetUInt8();
                    break;
                case CtaProtoInfoTcpAttribute.WindowScaleReply:
                    scaleReply = a.GetUInt8();
                    break;
                case CtaProtoInfoTcpAttribute.FlagsOriginal:
                    flagsOriginal = DecodeFlags(a);
                    break;
                case CtaProtoInfoTcpAttribute.FlagsReply:
                    flagsReply = DecodeFlags(a);
                    break;
                default:
                    unknown = true;
                    break;
            }
        }
        return new TcpConntrackInfo
        {
            State = state,
            WindowScaleOriginal = scaleOriginal,
            WindowScaleReply = scaleReply,
            FlagsOriginal = flagsOriginal,
            FlagsReply = flagsReply,
        };
    }

    /// <summary>
    /// In conntrack(8)'s order (libnetfilter_conntrack: state, flags, window scales). The kernel
    /// takes the window scales only when both are sent and both directions' flags have
    /// <see cref="TcpConntrackFlags.WindowScale"/> (nlattr_to_tcp).
    /// </summary>
    public static void Encode(NetlinkWriter writer, TcpConntrackInfo info)
    {
        using NetlinkNest nest = writer.BeginNested(CtaProtoInfoAttribute.Tcp);
        if (info.State is TcpConntrackState state)
        {
            writer.WriteUInt8(CtaProtoInfoTcpAttribute.State, (byte)state);
        }
        if (info.FlagsOriginal is TcpConntrackFlags original)
        {
            WriteFlags(writer, CtaProtoInfoTcpAttribute.FlagsOriginal, original);
        }
        if (info.FlagsReply is TcpConntrackFlags reply)
        {
            WriteFlags(writer, CtaProtoInfoTcpAttribute.FlagsReply, reply);
        }
        if (info.WindowScaleOriginal is byte scaleOriginal)
        {
            writer.WriteUInt8(CtaProtoInfoTcpAttribute.WindowScaleOriginal, scaleOriginal);
        }
        if (info.WindowScaleReply is byte scaleReply)
        {
            writer.WriteUInt8(CtaProtoInfoTcpAttribute.WindowScaleReply, scaleReply);
        }
    }

    // struct nf_ct_tcp_flags { __u8 flags; __u8 mask; }: the kernel reports the flags with mask 0.
    private static TcpConntrackFlags DecodeFlags(in NetlinkAttribute attribute)
    {
        attribute.ExpectLength(2);
        return (TcpConntrackFlags)attribute.Payload[0];
    }

    // Set these flags, and only these: the mask is the flags (as conntrack -I sends them).
    private static void WriteFlags(NetlinkWriter writer, ushort type, TcpConntrackFlags flags)
    {
        Span<byte> payload = writer.BeginAttribute(type, 2);
        payload[0] = (byte)flags;
        payload[1] = (byte)flags;
    }
}
