namespace Netfilter.Net.Conntrack.Internal;

/// <summary>enum ctattr_filter: which tuple fields of CTA_TUPLE_ORIG/CTA_TUPLE_REPLY a CTA_FILTER compares.</summary>
internal static class CtaFilterAttribute
{
    /// <summary>CTA_FILTER_ORIG_FLAGS (u32 in host order: the kernel reads it with nla_get_u32).</summary>
    public const ushort OriginalFlags = 1;
    /// <summary>CTA_FILTER_REPLY_FLAGS (u32, host order).</summary>
    public const ushort ReplyFlags = 2;
}

/// <summary>
/// The CTA_FILTER_F_* bits. They are not in the uapi headers: the kernel defines them in
/// net/netfilter/nf_internals.h ("nf_conntrack_netlink.c: applied on tuple filters") and
/// libnetfilter_conntrack repeats them; they are ABI all the same.
/// </summary>
internal static class CtaFilterFlags
{
    /// <summary>CTA_FILTER_F_CTA_IP_SRC.</summary>
    public const uint IpSource = 1 << 0;
    /// <summary>CTA_FILTER_F_CTA_IP_DST.</summary>
    public const uint IpDestination = 1 << 1;
    /// <summary>CTA_FILTER_F_CTA_TUPLE_ZONE.</summary>
    public const uint TupleZone = 1 << 2;
    /// <summary>CTA_FILTER_F_CTA_PROTO_NUM (required with any port/ICMP flag).</summary>
    public const uint ProtoNumber = 1 << 3;
    /// <summary>CTA_FILTER_F_CTA_PROTO_SRC_PORT.</summary>
    public const uint SourcePort = 1 << 4;
    /// <summary>CTA_FILTER_F_CTA_PROTO_DST_PORT.</summary>
    public const uint DestinationPort = 1 << 5;
    /// <summary>CTA_FILTER_F_CTA_PROTO_ICMP_TYPE.</summary>
    public const uint IcmpType = 1 << 6;
    /// <summary>CTA_FILTER_F_CTA_PROTO_ICMP_CODE.</summary>
    public const uint IcmpCode = 1 << 7;
    /// <summary>CTA_FILTER_F_CTA_PROTO_ICMP_ID.</summary>
    public const uint IcmpId = 1 << 8;
    /// <summary>CTA_FILTER_F_CTA_PROTO_ICMPV6_TYPE.</summary>
    public const uint Icmpv6Type = 1 << 9;
    /// <summary>CTA_FILTER_F_CTA_PROTO_ICMPV6_CODE.</summary>
    public const uint Icmpv6Code = 1 << 10;
    /// <summary>CTA_FILTER_F_CTA_PROTO_ICMPV6_ID.</summary>
    public const uint Icmpv6Id = 1 << 11;
}
