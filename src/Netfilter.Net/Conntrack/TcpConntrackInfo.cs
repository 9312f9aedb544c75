using System.Net.Sockets;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// TCP tracking state (CTA_PROTOINFO_TCP): the state machine's position, and per direction the
/// window scale and the IP_CT_TCP_FLAG_* flags. Properties the kernel did not send are null: a
/// destroy event carries only <see cref="State"/>.
/// </summary>
/// <example>
/// <code>
/// // A new entry in ESTABLISHED, windows not checked (what conntrack -I does).
/// var entry = new ConntrackEntry(ConntrackTuple.Tcp(client, 40000, server, 22))
/// {
///     Timeout = TimeSpan.FromMinutes(10),
///     ProtocolInfo = new TcpConntrackInfo { State = TcpConntrackState.Established },
/// };
/// </code>
/// </example>
public sealed record TcpConntrackInfo : ConntrackProtocolInfo
{
    /// <inheritdoc />
    public override ProtocolType Protocol => ProtocolType.Tcp;

    /// <summary>The TCP state (CTA_PROTOINFO_TCP_STATE).</summary>
    public TcpConntrackState? State { get; init; }

    /// <summary>The window scale the original direction advertised (CTA_PROTOINFO_TCP_WSCALE_ORIGINAL).</summary>
    public byte? WindowScaleOriginal { get; init; }

    /// <summary>The window scale the reply direction advertised (CTA_PROTOINFO_TCP_WSCALE_REPLY).</summary>
    public byte? WindowScaleReply { get; init; }

    /// <summary>
    /// Flags of the original direction (CTA_PROTOINFO_TCP_FLAGS_ORIGINAL). On a new entry, null
    /// means <see cref="TcpConntrackFlags.SackPermitted"/> | <see cref="TcpConntrackFlags.BeLiberal"/>,
    /// as conntrack -I sets them: the windows of an entry made by hand are unknown.
    /// </summary>
    public TcpConntrackFlags? FlagsOriginal { get; init; }

    /// <summary>Flags of the reply direction (CTA_PROTOINFO_TCP_FLAGS_REPLY); on a new entry, null as for <see cref="FlagsOriginal"/>.</summary>
    public TcpConntrackFlags? FlagsReply { get; init; }
}
