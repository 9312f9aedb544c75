namespace Netfilter.Net.Conntrack.Internal;

/// <summary>
/// Top-level ctnetlink attributes (uapi nfnetlink_conntrack.h, enum ctattr_type). Every
/// integer among them is big-endian on the wire.
/// </summary>
internal static class CtaAttribute
{
    /// <summary>CTA_TUPLE_ORIG (nested, <see cref="CtaTupleAttribute"/>).</summary>
    public const ushort TupleOriginal = 1;
    /// <summary>CTA_TUPLE_REPLY (nested).</summary>
    public const ushort TupleReply = 2;
    /// <summary>CTA_STATUS (u32, IPS_* bits).</summary>
    public const ushort Status = 3;
    /// <summary>CTA_PROTOINFO (nested, <see cref="CtaProtoInfoAttribute"/>).</summary>
    public const ushort ProtoInfo = 4;
    /// <summary>CTA_HELP (nested, <see cref="CtaHelpAttribute"/>).</summary>
    public const ushort Help = 5;
    /// <summary>CTA_NAT_SRC (nested, <see cref="CtaNatAttribute"/>; requests only).</summary>
    public const ushort NatSource = 6;
    /// <summary>CTA_TIMEOUT (u32, seconds).</summary>
    public const ushort Timeout = 7;
    /// <summary>CTA_MARK (u32).</summary>
    public const ushort Mark = 8;
    /// <summary>CTA_COUNTERS_ORIG (nested, <see cref="CtaCountersAttribute"/>).</summary>
    public const ushort CountersOriginal = 9;
    /// <summary>CTA_COUNTERS_REPLY (nested).</summary>
    public const ushort CountersReply = 10;
    /// <summary>CTA_USE (u32, reference count).</summary>
    public const ushort Use = 11;
    /// <summary>CTA_ID (u32).</summary>
    public const ushort Id = 12;
    /// <summary>CTA_NAT_DST (nested; requests only).</summary>
    public const ushort NatDestination = 13;
    /// <summary>CTA_TUPLE_MASTER (nested tuple of the master connection of an expected one).</summary>
    public const ushort TupleMaster = 14;
    /// <summary>CTA_SEQ_ADJ_ORIG (= CTA_NAT_SEQ_ADJ_ORIG, nested).</summary>
    public const ushort SequenceAdjustOriginal = 15;
    /// <summary>CTA_SEQ_ADJ_REPLY (= CTA_NAT_SEQ_ADJ_REPLY, nested).</summary>
    public const ushort SequenceAdjustReply = 16;
    /// <summary>CTA_SECMARK (u32, obsolete).</summary>
    public const ushort SecMark = 17;
    /// <summary>CTA_ZONE (u16).</summary>
    public const ushort Zone = 18;
    /// <summary>CTA_SECCTX (nested, CTA_SECCTX_NAME).</summary>
    public const ushort SecurityContext = 19;
    /// <summary>CTA_TIMESTAMP (nested, <see cref="CtaTimestampAttribute"/>).</summary>
    public const ushort Timestamp = 20;
    /// <summary>CTA_MARK_MASK (u32; filters and updates).</summary>
    public const ushort MarkMask = 21;
    /// <summary>CTA_LABELS (binary bitmap, up to 16 bytes).</summary>
    public const ushort Labels = 22;
    /// <summary>CTA_LABELS_MASK (binary; updates).</summary>
    public const ushort LabelsMask = 23;
    /// <summary>CTA_SYNPROXY (nested).</summary>
    public const ushort Synproxy = 24;
    /// <summary>CTA_FILTER (nested, <see cref="CtaFilterAttribute"/>; dump filters since Linux 5.8, flush filters since 6.12).</summary>
    public const ushort Filter = 25;
    /// <summary>CTA_STATUS_MASK (u32; dump/flush filters since Linux 5.15).</summary>
    public const ushort StatusMask = 26;
    /// <summary>
    /// CTA_TIMESTAMP_EVENT (u64 ns): when an event was generated. Added in Linux 6.14, after
    /// the 6.1 uapi headers of this machine; value from the kernel's enum ctattr_type
    /// (libnetfilter_conntrack 1.1.1 "src: add support for CTA_TIMESTAMP_EVENT").
    /// </summary>
    public const ushort TimestampEvent = 27;
}

/// <summary>enum ctattr_tuple.</summary>
internal static class CtaTupleAttribute
{
    /// <summary>CTA_TUPLE_IP (nested, <see cref="CtaIpAttribute"/>).</summary>
    public const ushort Ip = 1;
    /// <summary>CTA_TUPLE_PROTO (nested, <see cref="CtaProtoAttribute"/>).</summary>
    public const ushort Proto = 2;
    /// <summary>CTA_TUPLE_ZONE (u16, a zone that applies to one direction).</summary>
    public const ushort Zone = 3;
}

/// <summary>enum ctattr_ip. Addresses are in network order, as on the wire.</summary>
internal static class CtaIpAttribute
{
    /// <summary>CTA_IP_V4_SRC (4 bytes).</summary>
    public const ushort V4Source = 1;
    /// <summary>CTA_IP_V4_DST.</summary>
    public const ushort V4Destination = 2;
    /// <summary>CTA_IP_V6_SRC (16 bytes).</summary>
    public const ushort V6Source = 3;
    /// <summary>CTA_IP_V6_DST.</summary>
    public const ushort V6Destination = 4;
}

/// <summary>enum ctattr_l4proto.</summary>
internal static class CtaProtoAttribute
{
    /// <summary>CTA_PROTO_NUM (u8, IPPROTO_*).</summary>
    public const ushort Number = 1;
    /// <summary>CTA_PROTO_SRC_PORT (be16; TCP, UDP, UDP-Lite, SCTP, DCCP, GRE key).</summary>
    public const ushort SourcePort = 2;
    /// <summary>CTA_PROTO_DST_PORT (be16).</summary>
    public const ushort DestinationPort = 3;
    /// <summary>CTA_PROTO_ICMP_ID (be16).</summary>
    public const ushort IcmpId = 4;
    /// <summary>CTA_PROTO_ICMP_TYPE (u8).</summary>
    public const ushort IcmpType = 5;
    /// <summary>CTA_PROTO_ICMP_CODE (u8).</summary>
    public const ushort IcmpCode = 6;
    /// <summary>CTA_PROTO_ICMPV6_ID (be16).</summary>
    public const ushort Icmpv6Id = 7;
    /// <summary>CTA_PROTO_ICMPV6_TYPE (u8).</summary>
    public const ushort Icmpv6Type = 8;
    /// <summary>CTA_PROTO_ICMPV6_CODE (u8).</summary>
    public const ushort Icmpv6Code = 9;
}
