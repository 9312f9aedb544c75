using System.Net.Sockets;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// SCTP tracking state (CTA_PROTOINFO_SCTP): the association's state and the verification tag
/// each direction must carry. A destroy event carries only <see cref="State"/>.
/// </summary>
/// <remarks>
/// To set SCTP state on a new entry give all three properties: the kernel (nlattr_to_sctp)
/// refuses the attribute without any one of them, so
/// <see cref="ConntrackClient.CreateAsync(ConntrackEntry, System.Threading.CancellationToken)"/>
/// throws <see cref="System.ArgumentException"/> before sending.
/// </remarks>
public sealed record SctpConntrackInfo : ConntrackProtocolInfo
{
    /// <inheritdoc />
    public override ProtocolType Protocol => ProtocolNames.Sctp;

    /// <summary>The SCTP state (CTA_PROTOINFO_SCTP_STATE).</summary>
    public SctpConntrackState? State { get; init; }

    /// <summary>The verification tag of packets in the original direction (CTA_PROTOINFO_SCTP_VTAG_ORIGINAL), as on the wire.</summary>
    public uint? VerificationTagOriginal { get; init; }

    /// <summary>The verification tag of packets in the reply direction (CTA_PROTOINFO_SCTP_VTAG_REPLY): the initiate tag of the INIT.</summary>
    public uint? VerificationTagReply { get; init; }
}
