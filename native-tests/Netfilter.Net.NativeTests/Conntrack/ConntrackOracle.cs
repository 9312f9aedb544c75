using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Conntrack;

/// <summary>Compares the library's entries with <c>conntrack -L -o extended,id</c>, entry by entry (matched by id), field by field.</summary>
internal static class ConntrackOracle
{
    public static List<ConntrackToolLine> List(TestNamespace ns, params string[] filter) =>
        ConntrackToolLine.ParseAll(ns.Check("conntrack", new[] { "-L", "-o", "extended,id" }.Concat(filter).ToArray()));

    /// <summary>Every entry the tool shows is in <paramref name="ours"/> and vice versa, and every field both show is equal.</summary>
    public static void AssertSame(IReadOnlyList<ConntrackEntry> ours, IReadOnlyList<ConntrackToolLine> tool)
    {
        ours.Select(e => e.Id).Should().BeEquivalentTo(tool.Select(t => t.Id), "the library and conntrack -L see the same entries");
        foreach (ConntrackToolLine line in tool)
        {
            ConntrackEntry e = ours.Single(x => x.Id == line.Id);
            string why = $"entry id {line.Id}: {e}";
            line.Family.Should().Be(e.Family == NetfilterFamily.IPv6 ? "ipv6" : "ipv4", why);
            line.Protocol.Should().Be((int)e.Protocol, why);
            // Both read the remaining time in whole seconds, a moment apart.
            ((double)line.Timeout).Should().BeApproximately(e.Timeout!.Value.TotalSeconds, 3, why);
            AssertTuple(e.Original, line.Original, why + " original");
            AssertTuple(e.Reply, line.Reply, why + " reply");
            switch (e.ProtocolInfo)
            {
                case TcpConntrackInfo tcp:
                    line.State.Should().Be(TcpStateName(tcp.State!.Value), why);
                    break;
                case SctpConntrackInfo sctp:
                    line.State.Should().Be(SctpStateName(sctp.State!.Value), why);
                    break;
                default:
                    e.Protocol.Should().NotBe(ProtocolType.Tcp, why + ": a TCP entry has TCP state");
                    break;
            }
            line.Flags.Contains("UNREPLIED").Should().Be((e.Status & ConntrackStatus.SeenReply) == 0, why + " [UNREPLIED]");
            line.Flags.Contains("ASSURED").Should().Be((e.Status & ConntrackStatus.Assured) != 0, why + " [ASSURED]");
            line.Other["mark"].Should().Be(e.Mark.ToString(CultureInfo.InvariantCulture), why);
            (line.Other.TryGetValue("zone", out string? zone) ? ushort.Parse(zone, CultureInfo.InvariantCulture) : (ushort)0).Should().Be(e.Zone, why);
            line.Other["use"].Should().Be(e.Use!.Value.ToString(CultureInfo.InvariantCulture), why);
            if (line.Original.TryGetValue("packets", out string? packets))
            {
                e.OriginalCounters.Should().NotBeNull(why);
                packets.Should().Be(e.OriginalCounters!.Value.Packets.ToString(CultureInfo.InvariantCulture), why);
                line.Original["bytes"].Should().Be(e.OriginalCounters.Value.Bytes.ToString(CultureInfo.InvariantCulture), why);
                line.Reply["packets"].Should().Be(e.ReplyCounters!.Value.Packets.ToString(CultureInfo.InvariantCulture), why);
                line.Reply["bytes"].Should().Be(e.ReplyCounters.Value.Bytes.ToString(CultureInfo.InvariantCulture), why);
            }
            else
            {
                e.OriginalCounters.Should().BeNull(why + ": no counters without accounting");
            }
        }
    }

    private static void AssertTuple(ConntrackTuple tuple, Dictionary<string, string> tool, string why)
    {
        IPAddress.Parse(tool["src"]).Should().Be(tuple.Source, why);
        IPAddress.Parse(tool["dst"]).Should().Be(tuple.Destination, why);
        if (tuple.HasPorts)
        {
            tool["sport"].Should().Be(tuple.SourcePort!.Value.ToString(CultureInfo.InvariantCulture), why);
            tool["dport"].Should().Be(tuple.DestinationPort!.Value.ToString(CultureInfo.InvariantCulture), why);
        }
        if (tuple.IcmpType is byte type)
        {
            tool["type"].Should().Be(type.ToString(CultureInfo.InvariantCulture), why);
            tool["code"].Should().Be(tuple.IcmpCode!.Value.ToString(CultureInfo.InvariantCulture), why);
            tool["id"].Should().Be(tuple.IcmpId!.Value.ToString(CultureInfo.InvariantCulture), why);
        }
    }

    // conntrack-tools' tcp state names (proto_tcp.c / snprintf_default.c states[]).
    private static string TcpStateName(TcpConntrackState state) => state switch
    {
        TcpConntrackState.None => "NONE",
        TcpConntrackState.SynSent => "SYN_SENT",
        TcpConntrackState.SynReceived => "SYN_RECV",
        TcpConntrackState.Established => "ESTABLISHED",
        TcpConntrackState.FinWait => "FIN_WAIT",
        TcpConntrackState.CloseWait => "CLOSE_WAIT",
        TcpConntrackState.LastAck => "LAST_ACK",
        TcpConntrackState.TimeWait => "TIME_WAIT",
        TcpConntrackState.Close => "CLOSE",
        TcpConntrackState.SynSent2 => "SYN_SENT2",
        _ => state.ToString(),
    };

    // libnetfilter_conntrack's sctp state names (snprintf_default.c sctp_states[]), the kernel's enum sctp_conntrack order.
    private static string SctpStateName(SctpConntrackState state) => state switch
    {
        SctpConntrackState.None => "NONE",
        SctpConntrackState.Closed => "CLOSED",
        SctpConntrackState.CookieWait => "COOKIE_WAIT",
        SctpConntrackState.CookieEchoed => "COOKIE_ECHOED",
        SctpConntrackState.Established => "ESTABLISHED",
        SctpConntrackState.ShutdownSent => "SHUTDOWN_SENT",
        SctpConntrackState.ShutdownReceived => "SHUTDOWN_RECD",
        SctpConntrackState.ShutdownAckSent => "SHUTDOWN_ACK_SENT",
        SctpConntrackState.HeartbeatSent => "HEARTBEAT_SENT",
        SctpConntrackState.HeartbeatAcked => "HEARTBEAT_ACKED",
        _ => state.ToString(),
    };
}
