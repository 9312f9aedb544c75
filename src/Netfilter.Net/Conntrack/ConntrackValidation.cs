using System;
using System.Net.Sockets;

namespace Netfilter.Net.Conntrack;

/// <summary>Refuses, before anything is sent, what the kernel would refuse with a bare EINVAL.</summary>
internal static class ConntrackValidation
{
    /// <summary>A tuple that names one connection: ports for TCP/UDP/..., type, code and id for ICMP (the kernel's nlattr_to_tuple requires them).</summary>
    public static void RequireCompleteTuple(ConntrackTuple tuple, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(tuple, parameterName);
        if (ProtocolNames.HasPorts(tuple.Protocol) && (tuple.SourcePort is null || tuple.DestinationPort is null))
        {
            throw new ArgumentException($"a {ProtocolNames.Name(tuple.Protocol)} tuple needs both ports ({tuple})", parameterName);
        }
        if (ProtocolNames.IsIcmp(tuple.Protocol) && (tuple.IcmpType is null || tuple.IcmpCode is null || tuple.IcmpId is null))
        {
            throw new ArgumentException($"an {ProtocolNames.Name(tuple.Protocol)} tuple needs type, code and id ({tuple})", parameterName);
        }
        if (tuple.Protocol == ProtocolType.Icmp && tuple.AddressFamily == AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"IPv6 uses ICMPv6 (ProtocolType.IcmpV6), not ICMP ({tuple})", parameterName);
        }
        if (tuple.Protocol == ProtocolType.IcmpV6 && tuple.AddressFamily == AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"IPv4 uses ICMP (ProtocolType.Icmp), not ICMPv6 ({tuple})", parameterName);
        }
    }

    /// <summary>An entry the kernel can create: complete tuples and a timeout (ctnetlink_create_conntrack needs CTA_TIMEOUT).</summary>
    public static void RequireCreatable(ConntrackEntry entry, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(entry, parameterName);
        RequireCompleteTuple(entry.Original, parameterName);
        RequireCompleteTuple(entry.Reply, parameterName);
        if (entry.Timeout is not TimeSpan timeout)
        {
            throw new ArgumentException($"a new conntrack entry needs a Timeout (CTA_TIMEOUT): {entry.Original}", parameterName);
        }
        if (timeout < TimeSpan.Zero || timeout.TotalSeconds > uint.MaxValue)
        {
            throw new ArgumentException($"Timeout {timeout} is not 0 or more whole seconds", parameterName);
        }
        RequireSendable(entry.ProtocolInfo, parameterName);
    }

    /// <summary>Protocol state the kernel takes on a new entry (nlattr_to_tcp, nlattr_to_sctp).</summary>
    private static void RequireSendable(ConntrackProtocolInfo? info, string parameterName)
    {
        switch (info)
        {
            case null:
                break;
            case TcpConntrackInfo tcp:
                if (tcp.State is TcpConntrackState state)
                {
                    RequireTcpState(state, $"{nameof(ConntrackEntry.ProtocolInfo)}.{nameof(TcpConntrackInfo.State)}", parameterName);
                }
                break;
            case SctpConntrackInfo sctp:
                if (sctp.State is null || sctp.VerificationTagOriginal is null || sctp.VerificationTagReply is null)
                {
                    throw new ArgumentException($"SCTP state on a new entry needs {nameof(SctpConntrackInfo.State)}, {nameof(SctpConntrackInfo.VerificationTagOriginal)} and {nameof(SctpConntrackInfo.VerificationTagReply)} (the kernel refuses CTA_PROTOINFO_SCTP without any of them): {sctp}", parameterName);
                }
                if ((byte)sctp.State.Value > (byte)SctpConntrackState.HeartbeatAcked)
                {
                    throw new ArgumentException($"{nameof(ConntrackEntry.ProtocolInfo)}.{nameof(SctpConntrackInfo.State)} {(byte)sctp.State.Value} is not an SCTP conntrack state (0-9)", parameterName);
                }
                break;
            default:
                throw new ArgumentException($"{info.GetType().Name} is not sent on a new entry: this version sets TCP and SCTP state only; leave {nameof(ConntrackEntry.ProtocolInfo)} null", parameterName);
        }
    }

    // The kernel refuses a state of TCP_CONNTRACK_MAX (10) or more with EINVAL.
    private static void RequireTcpState(TcpConntrackState state, string what, string parameterName)
    {
        if ((byte)state > (byte)TcpConntrackState.SynSent2)
        {
            throw new ArgumentException($"{what} {(byte)state} is not a TCP conntrack state (0-9)", parameterName);
        }
    }

    /// <summary>An update the kernel can apply to the entry of <paramref name="original"/>: something to change, masks with their values, a TCP state for TCP only.</summary>
    public static void RequireUpdate(ConntrackTuple original, ConntrackUpdate update, string originalParameter, string updateParameter)
    {
        RequireCompleteTuple(original, originalParameter);
        ArgumentNullException.ThrowIfNull(update, updateParameter);
        if (update.IsEmpty)
        {
            throw new ArgumentException("the update changes nothing: set Mark, Timeout, Status, Labels or TcpState", updateParameter);
        }
        if (update.MarkMask is not null && update.Mark is null)
        {
            throw new ArgumentException($"{nameof(ConntrackUpdate.MarkMask)} needs {nameof(ConntrackUpdate.Mark)}", updateParameter);
        }
        if (update.LabelsMask is not null && update.Labels is null)
        {
            throw new ArgumentException($"{nameof(ConntrackUpdate.LabelsMask)} needs {nameof(ConntrackUpdate.Labels)}", updateParameter);
        }
        if (update.TcpState is not null && original.Protocol != ProtocolType.Tcp)
        {
            throw new ArgumentException($"{nameof(ConntrackUpdate.TcpState)} applies to TCP entries, not {ProtocolNames.Name(original.Protocol)}", updateParameter);
        }
        if (update.TcpState is TcpConntrackState state)
        {
            RequireTcpState(state, nameof(ConntrackUpdate.TcpState), updateParameter);
        }
    }
}
