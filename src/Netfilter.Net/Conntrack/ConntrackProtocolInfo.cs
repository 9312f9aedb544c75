using System.Net.Sockets;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// What conntrack tracks of a connection's layer-4 protocol beyond its tuple (CTA_PROTOINFO):
/// <see cref="TcpConntrackInfo"/>, <see cref="SctpConntrackInfo"/> or <see cref="DccpConntrackInfo"/>.
/// The kernel keeps such state only for these three protocols; other entries have none.
/// </summary>
/// <example>
/// <code>
/// if (entry.ProtocolInfo is TcpConntrackInfo { State: TcpConntrackState.Established }) { ... }
/// string state = entry.ProtocolInfo switch
/// {
///     TcpConntrackInfo tcp => $"tcp {tcp.State}",
///     SctpConntrackInfo sctp => $"sctp {sctp.State}",
///     DccpConntrackInfo dccp => $"dccp {dccp.State}",
///     _ => "",
/// };
/// </code>
/// </example>
public abstract record ConntrackProtocolInfo
{
    // Only the three kinds the kernel has (enum ctattr_protoinfo) derive from this type.
    private protected ConntrackProtocolInfo()
    {
    }

    /// <summary>The layer-4 protocol this state belongs to; an entry's <see cref="ConntrackEntry.ProtocolInfo"/> has the entry's protocol.</summary>
    public abstract ProtocolType Protocol { get; }
}
