namespace Netfilter.Net.Conntrack.Internal;

/// <summary>enum ctattr_protoinfo.</summary>
internal static class CtaProtoInfoAttribute
{
    /// <summary>CTA_PROTOINFO_TCP (nested, <see cref="CtaProtoInfoTcpAttribute"/>).</summary>
    public const ushort Tcp = 1;
    /// <summary>CTA_PROTOINFO_DCCP (nested, <see cref="CtaProtoInfoDccpAttribute"/>).</summary>
    public const ushort Dccp = 2;
    /// <summary>CTA_PROTOINFO_SCTP (nested, <see cref="CtaProtoInfoSctpAttribute"/>).</summary>
    public const ushort Sctp = 3;
}

/// <summary>enum ctattr_protoinfo_tcp.</summary>
internal static class CtaProtoInfoTcpAttribute
{
    /// <summary>CTA_PROTOINFO_TCP_STATE (u8, enum tcp_conntrack).</summary>
    public const ushort State = 1;
    /// <summary>CTA_PROTOINFO_TCP_WSCALE_ORIGINAL (u8).</summary>
    public const ushort WindowScaleOriginal = 2;
    /// <summary>CTA_PROTOINFO_TCP_WSCALE_REPLY (u8).</summary>
    public const ushort WindowScaleReply = 3;
    /// <summary>CTA_PROTOINFO_TCP_FLAGS_ORIGINAL (struct nf_ct_tcp_flags: flags, mask).</summary>
    public const ushort FlagsOriginal = 4;
    /// <summary>CTA_PROTOINFO_TCP_FLAGS_REPLY.</summary>
    public const ushort FlagsReply = 5;
}

/// <summary>enum ctattr_protoinfo_dccp.</summary>
internal static class CtaProtoInfoDccpAttribute
{
    /// <summary>CTA_PROTOINFO_DCCP_STATE (u8, enum ct_dccp_states).</summary>
    public const ushort State = 1;
    /// <summary>CTA_PROTOINFO_DCCP_ROLE (u8, enum ct_dccp_roles: the original direction's role).</summary>
    public const ushort Role = 2;
    /// <summary>CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ (be64).</summary>
    public const ushort HandshakeSequence = 3;
    /// <summary>CTA_PROTOINFO_DCCP_PAD: alignment for the 64-bit sequence, no data.</summary>
    public const ushort Pad = 4;
}

/// <summary>enum ctattr_protoinfo_sctp.</summary>
internal static class CtaProtoInfoSctpAttribute
{
    /// <summary>CTA_PROTOINFO_SCTP_STATE (u8, enum sctp_conntrack).</summary>
    public const ushort State = 1;
    /// <summary>CTA_PROTOINFO_SCTP_VTAG_ORIGINAL (be32).</summary>
    public const ushort VerificationTagOriginal = 2;
    /// <summary>CTA_PROTOINFO_SCTP_VTAG_REPLY (be32).</summary>
    public const ushort VerificationTagReply = 3;
}

/// <summary>enum ctattr_counters.</summary>
internal static class CtaCountersAttribute
{
    /// <summary>CTA_COUNTERS_PACKETS (be64).</summary>
    public const ushort Packets = 1;
    /// <summary>CTA_COUNTERS_BYTES (be64).</summary>
    public const ushort Bytes = 2;
    /// <summary>CTA_COUNTERS32_PACKETS (be32, old kernels).</summary>
    public const ushort Packets32 = 3;
    /// <summary>CTA_COUNTERS32_BYTES (be32, old kernels).</summary>
    public const ushort Bytes32 = 4;
}

/// <summary>enum ctattr_tstamp.</summary>
internal static class CtaTimestampAttribute
{
    /// <summary>CTA_TIMESTAMP_START (be64, ns since the Unix epoch).</summary>
    public const ushort Start = 1;
    /// <summary>CTA_TIMESTAMP_STOP (be64).</summary>
    public const ushort Stop = 2;
}

/// <summary>enum ctattr_help.</summary>
internal static class CtaHelpAttribute
{
    /// <summary>CTA_HELP_NAME (string).</summary>
    public const ushort Name = 1;
}

/// <summary>enum ctattr_secctx.</summary>
internal static class CtaSecurityContextAttribute
{
    /// <summary>CTA_SECCTX_NAME (string).</summary>
    public const ushort Name = 1;
}

/// <summary>enum ctattr_nat and enum ctattr_protonat (request-side NAT setup).</summary>
internal static class CtaNatAttribute
{
    /// <summary>CTA_NAT_V4_MINIP (= CTA_NAT_MINIP).</summary>
    public const ushort V4MinIp = 1;
    /// <summary>CTA_NAT_V4_MAXIP.</summary>
    public const ushort V4MaxIp = 2;
    /// <summary>CTA_NAT_PROTO (nested: CTA_PROTONAT_PORT_MIN = 1, CTA_PROTONAT_PORT_MAX = 2).</summary>
    public const ushort Proto = 3;
    /// <summary>CTA_NAT_V6_MINIP.</summary>
    public const ushort V6MinIp = 4;
    /// <summary>CTA_NAT_V6_MAXIP.</summary>
    public const ushort V6MaxIp = 5;
}

/// <summary>enum ctattr_synproxy.</summary>
internal static class CtaSynproxyAttribute
{
    /// <summary>CTA_SYNPROXY_ISN (be32).</summary>
    public const ushort InitialSequence = 1;
    /// <summary>CTA_SYNPROXY_ITS (be32).</summary>
    public const ushort InitialTimestamp = 2;
    /// <summary>CTA_SYNPROXY_TSOFF (be32).</summary>
    public const ushort TimestampOffset = 3;
}
