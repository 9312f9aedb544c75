using System.Net.Sockets;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// DCCP tracking state (CTA_PROTOINFO_DCCP), as kernels with nf_conntrack_proto_dccp report it.
/// Read only: this version does not send DCCP state on a new entry.
/// </summary>
public sealed record DccpConntrackInfo : ConntrackProtocolInfo
{
    /// <inheritdoc />
    public override ProtocolType Protocol => ProtocolNames.Dccp;

    /// <summary>The DCCP state (CTA_PROTOINFO_DCCP_STATE).</summary>
    public DccpConntrackState? State { get; init; }

    /// <summary>The role of the original direction's sender (CTA_PROTOINFO_DCCP_ROLE).</summary>
    public DccpConntrackRole? Role { get; init; }

    /// <summary>The sequence number of the handshake's last packet (CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ).</summary>
    public ulong? HandshakeSequence { get; init; }
}
