using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Nat;

/// <summary>
/// One connection that a NAT table translated, reported by <see cref="NatAccessLog"/> when the
/// connection ended (the kernel destroyed its conntrack entry): who connected, to which public
/// port, which rule sent it where, when, for how long, and how much moved each way.
/// </summary>
/// <remarks>
/// A TCP connection's entry is destroyed some time after the connection closes (the TIME_WAIT
/// timeout, <c>net.netfilter.nf_conntrack_tcp_timeout_time_wait</c>, 120 s by default), a UDP
/// flow's when it has been idle for its timeout: that is when its record comes, and what
/// <see cref="End"/> says when the kernel keeps no timestamps.
/// </remarks>
public sealed record NatAccessRecord
{
    /// <summary>The kernel's id of the connection's conntrack entry (CTA_ID).</summary>
    public required uint Id { get; init; }

    /// <summary>TCP or UDP.</summary>
    public required ProtocolType Protocol { get; init; }

    /// <summary>The client: the original source address and port.</summary>
    public required IPEndPoint Client { get; init; }

    /// <summary>Where the client connected: the original destination address and the public port.</summary>
    public required IPEndPoint Public { get; init; }

    /// <summary>The public port the client connected to.</summary>
    public int PublicPort => Public.Port;

    /// <summary>The rule that translated the connection, as the table held it when the connection was seen first.</summary>
    public required NatRule Rule { get; init; }

    /// <summary>The rule's canonical text (<see cref="NatRule.ToString"/>, as <c>nfnet list</c> prints it).</summary>
    public string RuleText => Rule.ToString();

    /// <summary>Where the connection was really sent: the reply tuple's source (the server's address and port).</summary>
    public required IPEndPoint Target { get; init; }

    /// <summary>When the connection started; null when unknown (see <see cref="StartSource"/>).</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Where <see cref="Start"/> comes from.</summary>
    public NatAccessTimeSource StartSource { get; init; }

    /// <summary>When the connection ended (its entry was destroyed).</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>Where <see cref="End"/> comes from.</summary>
    public NatAccessTimeSource EndSource { get; init; }

    /// <summary>How long the connection lasted; null when its start is unknown.</summary>
    public TimeSpan? Duration => Start is DateTimeOffset start ? End - start : null;

    /// <summary>
    /// Client to server (the original direction): packets and bytes, IP headers included. Null when
    /// conntrack accounting was off as the connection started (bytes unknown, not 0): turn on
    /// <see cref="NatAccessLogOptions.EnableAccounting"/>.
    /// </summary>
    public ConntrackCounters? ClientToServer { get; init; }

    /// <summary>Server to client (the reply direction); null when accounting was off (see <see cref="ClientToServer"/>).</summary>
    public ConntrackCounters? ServerToClient { get; init; }

    /// <summary>True when the connection was already open as the log started (<see cref="NatAccessLogOptions.IncludeOpen"/>), or when the log first saw it in the table it re-read after a loss.</summary>
    public bool WasOpen { get; init; }

    /// <summary>
    /// One line: end time, client, public port, rule, target, duration, bytes each way; e.g.
    /// <c>2026-12-07T02:40:11.512Z tcp 10.0.1.2:40000 -> :2222 [dnat tcp 2222 to 10.0.2.2:22] sent to 10.0.2.2:22 for 1.204s, client 5120 B/9 pkts, server 120400 B/87 pkts</c>.
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(End.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        sb.Append(' ').Append(Protocol == ProtocolType.Udp ? "udp" : "tcp");
        sb.Append(' ').Append(Client).Append(" -> ").Append(Public);
        sb.Append(" [").Append(RuleText).Append(']');
        sb.Append(" sent to ").Append(Target);
        sb.Append(Duration is TimeSpan d ? string.Create(CultureInfo.InvariantCulture, $" for {d.TotalSeconds:0.000}s") : " for unknown time (open before the log)");
        if (ClientToServer is ConntrackCounters up && ServerToClient is ConntrackCounters down)
        {
            sb.Append(CultureInfo.InvariantCulture, $", client {up.Bytes} B/{up.Packets} pkts, server {down.Bytes} B/{down.Packets} pkts");
        }
        else
        {
            sb.Append(", bytes unknown (accounting off)");
        }
        return sb.ToString();
    }
}
