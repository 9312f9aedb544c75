using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>
/// Decodes one IPCTNL_MSG_CT_NEW/DELETE message (dump reply, get reply or event) into a
/// <see cref="ConntrackEntry"/>, straight from the receive buffer. Strict on lengths (a wrong
/// size raises <see cref="NetlinkProtocolException"/>), lenient on types: an attribute it does
/// not model, or a nest with a sub-attribute it does not know, is kept raw.
/// </summary>
internal static class ConntrackEntryDecoder
{
    private const string Context = "ctnetlink entry";

    public static ConntrackEntry Decode(in NetlinkMessage message)
    {
        NfGenMsg.Read(message.Payload, Context);
        var reader = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), Context);
        ConntrackTuple? original = null, reply = null, master = null;
        ConntrackStatus status = ConntrackStatus.None;
        TimeSpan? timeout = null;
        uint mark = 0;
        ushort zone = 0;
        uint? id = null, use = null;
        ConntrackCounters? countersOriginal = null, countersReply = null;
        ConntrackProtocolInfo? protocolInfo = null;
        string? helper = null, securityContext = null;
        ConntrackLabels labels = default;
        DateTimeOffset? started = null, stopped = null, eventTime = null;
        ConntrackSynproxy? synproxy = null;
        List<ConntrackRawAttribute>? other = null;
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            bool unknown = false;
            switch (attribute.Type)
            {
                case CtaAttribute.TupleOriginal:
                    original = TupleCodec.Decode(attribute.Payload, TupleContext.Original, ref unknown);
                    break;
                case CtaAttribute.TupleReply:
                    reply = TupleCodec.Decode(attribute.Payload, TupleContext.Reply, ref unknown);
                    break;
                case CtaAttribute.TupleMaster:
                    master = TupleCodec.Decode(attribute.Payload, TupleContext.Master, ref unknown);
                    break;
                case CtaAttribute.Status:
                    status = (ConntrackStatus)attribute.GetUInt32BigEndian();
                    break;
                case CtaAttribute.Timeout:
                    timeout = TimeSpan.FromSeconds(attribute.GetUInt32BigEndian());
                    break;
                case CtaAttribute.Mark:
                    mark = attribute.GetUInt32BigEndian();
                    break;
                case CtaAttribute.Zone:
                    zone = attribute.GetUInt16BigEndian();
                    break;
                case CtaAttribute.Id:
                    id = attribute.GetUInt32BigEndian();
                    break;
                case CtaAttribute.Use:
                    use = attribute.GetUInt32BigEndian();
                    break;
                case CtaAttribute.CountersOriginal:
                    countersOriginal = DecodeCounters(attribute, ref unknown);
                    break;
                case CtaAttribute.CountersReply:
                    countersReply = DecodeCounters(attribute, ref unknown);
                    break;
                case CtaAttribute.ProtoInfo:
                    protocolInfo = ProtocolInfoCodec.Decode(attribute, ref unknown);
                    break;
                case CtaAttribute.Help:
                    helper = DecodeName(attribute, CtaHelpAttribute.Name, "CTA_HELP", ref unknown);
                    break;
                case CtaAttribute.SecurityContext:
                    securityContext = DecodeName(attribute, CtaSecurityContextAttribute.Name, "CTA_SECCTX", ref unknown);
                    break;
                case CtaAttribute.Labels:
                    if (attribute.Payload.Length % 4 != 0)
                    {
                        throw new NetlinkProtocolException("CTA_LABELS", "a bitmap of whole 32-bit words", $"{attribute.Payload.Length} bytes");
                    }
                    labels = ConntrackLabels.Decode(attribute.Payload);
                    break;
                case CtaAttribute.Timestamp:
                    DecodeTimestamps(attribute, ref started, ref stopped, ref unknown);
                    break;
                case CtaAttribute.Synproxy:
                    synproxy = DecodeSynproxy(attribute, ref unknown);
                    break;
                case CtaAttribute.TimestampEvent:
                    eventTime = FromNanoseconds(attribute.GetUInt64BigEndian());
                    break;
                default:
                    unknown = true;
                    break;
            }
            if (unknown)
            {
                (other ??= new List<ConntrackRawAttribute>()).Add(new ConntrackRawAttribute(attribute.Type, attribute.Payload.ToArray()));
            }
        }
        if (original is null)
        {
            throw new NetlinkProtocolException(Context, "a CTA_TUPLE_ORIG attribute", "none");
        }
        if (reply is not null && (reply.AddressFamily != original.AddressFamily || reply.Protocol != original.Protocol))
        {
            throw new NetlinkProtocolException(Context, $"a CTA_TUPLE_REPLY of the family and protocol of CTA_TUPLE_ORIG ({original})", reply.ToString());
        }
        if (protocolInfo is not null && protocolInfo.Protocol != original.Protocol)
        {
            throw new NetlinkProtocolException(Context, $"CTA_PROTOINFO of the protocol of CTA_TUPLE_ORIG ({original})", protocolInfo.ToString());
        }
        return new ConntrackEntry(original, reply)
        {
            Status = status,
            Timeout = timeout,
            Mark = mark,
            Zone = zone,
            Id = id,
            Use = use,
            OriginalCounters = countersOriginal,
            ReplyCounters = countersReply,
            ProtocolInfo = protocolInfo,
            HelperName = helper,
            Master = master,
            SecurityContext = securityContext,
            Labels = labels,
            Started = started,
            Stopped = stopped,
            EventTime = eventTime,
            Synproxy = synproxy,
            OtherAttributes = other is null ? Array.Empty<ConntrackRawAttribute>() : other.ToArray(),
        };
    }

    private static ConntrackCounters DecodeCounters(in NetlinkAttribute attribute, ref bool unknown)
    {
        ulong packets = 0, bytes = 0;
        var reader = attribute.GetNested("CTA_COUNTERS");
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case CtaCountersAttribute.Packets:
                    packets = a.GetUInt64BigEndian();
                    break;
                case CtaCountersAttribute.Bytes:
                    bytes = a.GetUInt64BigEndian();
                    break;
                case CtaCountersAttribute.Packets32:
                    packets = a.GetUInt32BigEndian();
                    break;
                case CtaCountersAttribute.Bytes32:
                    bytes = a.GetUInt32BigEndian();
                    break;
                case 5: // CTA_COUNTERS_PAD: alignment for the 64-bit values, no data
                    break;
                default:
                    unknown = true;
                    break;
            }
        }
        return new ConntrackCounters(packets, bytes);
    }

    private static void DecodeTimestamps(in NetlinkAttribute attribute, ref DateTimeOffset? started, ref DateTimeOffset? stopped, ref bool unknown)
    {
        var reader = attribute.GetNested("CTA_TIMESTAMP");
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case CtaTimestampAttribute.Start:
                    started = FromNanoseconds(a.GetUInt64BigEndian());
                    break;
                case CtaTimestampAttribute.Stop:
                    stopped = FromNanoseconds(a.GetUInt64BigEndian());
                    break;
                case 3: // CTA_TIMESTAMP_PAD
                    break;
                default:
                    unknown = true;
                    break;
            }
        }
    }

    private static ConntrackSynproxy DecodeSynproxy(in NetlinkAttribute attribute, ref bool unknown)
    {
        uint isn = 0, its = 0, tsoff = 0;
        var reader = attribute.GetNested("CTA_SYNPROXY");
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case CtaSynproxyAttribute.InitialSequence:
                    isn = a.GetUInt32BigEndian();
                    break;
                case CtaSynproxyAttribute.InitialTimestamp:
                    its = a.GetUInt32BigEndian();
                    break;
                case CtaSynproxyAttribute.TimestampOffset:
                    tsoff = a.GetUInt32BigEndian();
                    break;
                default:
                    unknown = true;
                    break;
            }
        }
        return new ConntrackSynproxy(isn, its, tsoff);
    }

    private static string? DecodeName(in NetlinkAttribute attribute, ushort nameType, string context, ref bool unknown)
    {
        string? name = null;
        var reader = attribute.GetNested(context);
        while (reader.TryRead(out NetlinkAttribute a))
        {
            if (a.Type == nameType)
            {
                name = a.GetString();
            }
            else
            {
                unknown = true;
            }
        }
        return name;
    }

    /// <summary>Kernel timestamps are nanoseconds since the Unix epoch (ktime_get_real_ns).</summary>
    internal static DateTimeOffset FromNanoseconds(ulong nanoseconds)
    {
        const ulong maxTicks = (ulong)(long.MaxValue / 2);
        ulong ticks = Math.Min(nanoseconds / 100, maxTicks);
        return DateTimeOffset.UnixEpoch.AddTicks(Math.Min((long)ticks, DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks));
    }
}
