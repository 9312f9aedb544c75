using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>CTA_PROTOINFO_DCCP (enum ctattr_protoinfo_dccp) to <see cref="DccpConntrackInfo"/>; decode only.</summary>
internal static class DccpProtocolInfoCodec
{
    public static DccpConntrackInfo Decode(in NetlinkAttribute attribute, ref bool unknown)
    {
        DccpConntrackState? state = null;
        DccpConntrackRole? role = null;
        ulong? handshake = null;
        var reader = attribute.GetNested("CTA_PROTOINFO_DCCP");
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case CtaProtoInfoDccpAttribute.State:
                    state = (DccpConntrackState)a.GetUInt8();
                    break;
                case CtaProtoInfoDccpAttribute.Role:
                    role = (DccpConntrackRole)a.GetUInt8();
                    break;
                case CtaProtoInfoDccpAttribute.HandshakeSequence:
                    handshake = a.GetUInt64BigEndian();
                    break;
                case CtaProtoInfoDccpAttribute.Pad:
                    break;
                default:
                    unknown = true;
                    break;
            }
        }
        return new DccpConntrackInfo { State = state, Role = role, HandshakeSequence = handshake };
    }
}
