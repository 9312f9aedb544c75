using System;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>
/// CTA_PROTOINFO, the nest that holds one protocol's tracking state: picks the decoder of the
/// protocol nest inside it, and wraps an encoder's attributes in it.
/// </summary>
internal static class ProtocolInfoCodec
{
    /// <summary>The state in a CTA_PROTOINFO attribute; <paramref name="unknown"/> is set when a nest holds something this version does not model.</summary>
    public static ConntrackProtocolInfo? Decode(in NetlinkAttribute attribute, ref bool unknown)
    {
        ConntrackProtocolInfo? info = null;
        var reader = attribute.GetNested("CTA_PROTOINFO");
        while (reader.TryRead(out NetlinkAttribute proto))
        {
            switch (proto.Type)
            {
                case CtaProtoInfoAttribute.Tcp:
                    info = TcpProtocolInfoCodec.Decode(proto, ref unknown);
                    break;
                case CtaProtoInfoAttribute.Sctp:
                    info = SctpProtocolInfoCodec.Decode(proto, ref unknown);
                    break;
                case CtaProtoInfoAttribute.Dccp:
                    info = DccpProtocolInfoCodec.Decode(proto, ref unknown);
                    break;
                default:
                    unknown = true;
                    break;
            }
        }
        return info;
    }

    /// <summary>Writes CTA_PROTOINFO with <paramref name="info"/>'s protocol nest (TCP or SCTP: the kernel takes DCCP state too, but this version does not send it).</summary>
    public static void Encode(NetlinkWriter writer, ConntrackProtocolInfo info)
    {
        using NetlinkNest nest = writer.BeginNested(CtaAttribute.ProtoInfo);
        switch (info)
        {
            case TcpConntrackInfo tcp:
                TcpProtocolInfoCodec.Encode(writer, tcp);
                break;
            case SctpConntrackInfo sctp:
                SctpProtocolInfoCodec.Encode(writer, sctp);
                break;
            default:
                // ConntrackValidation refuses DCCP state before a request is built.
                throw new InvalidOperationException($"{info.GetType().Name} is not sent to the kernel");
        }
    }
}
