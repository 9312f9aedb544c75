using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>CTA_PROTOINFO_SCTP (enum ctattr_protoinfo_sctp) to and from <see cref="SctpConntrackInfo"/>.</summary>
internal static class SctpProtocolInfoCodec
{
    public static SctpConntrackInfo Decode(in NetlinkAttribute attribute, ref bool unknown)
    {
        SctpConntrackState? state = null;
        uint? tagOriginal = null, tagReply = null;
        var reader = attribute.GetNested("CTA_PROTOINFO_SCTP");
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case CtaProtoInfoSctpAttribute.State:
                    state = (SctpConntrackState)a.GetUInt8();
                    break;
                case CtaProtoInfoSctpAttribute.VerificationTagOriginal:
                    tagOriginal = a.GetUInt32BigEndian();
                    break;
                case CtaProtoInfoSctpAttribute.VerificationTagReply:
                    tagReply = a.GetUInt32BigEndian();
                    break;
                default:
                    unknown = true;
                    break;
            }
        }
        return new SctpConntrackInfo { State = state, VerificationTagOriginal = tagOriginal, VerificationTagReply = tagReply };
    }

    /// <summary>State and both tags, in conntrack(8)'s order; ConntrackValidation has made sure all three are set (nlattr_to_sctp needs them).</summary>
    public static void Encode(NetlinkWriter writer, SctpConntrackInfo info)
    {
        using NetlinkNest nest = writer.BeginNested(CtaProtoInfoAttribute.Sctp);
        writer.WriteUInt8(CtaProtoInfoSctpAttribute.State, (byte)info.State!.Value);
        writer.WriteUInt32BigEndian(CtaProtoInfoSctpAttribute.VerificationTagOriginal, info.VerificationTagOriginal!.Value);
        writer.WriteUInt32BigEndian(CtaProtoInfoSctpAttribute.VerificationTagReply, info.VerificationTagReply!.Value);
    }
}
