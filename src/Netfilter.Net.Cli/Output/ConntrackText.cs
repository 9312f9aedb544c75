using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Cli.Output;

/// <summary>conntrack(8)'s names for protocols, TCP states and status bits (kernel IPS_* without the prefix).</summary>
internal static class ConntrackText
{
    public static string Protocol(ProtocolType protocol) => (int)protocol switch
    {
        6 => "tcp",
        17 => "udp",
        1 => "icmp",
        58 => "icmpv6",
        132 => "sctp",
        33 => "dccp",
        136 => "udplite",
        47 => "gre",
        int n => n.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Parses a --proto value: a name above or a number 0-255.</summary>
    public static bool TryParseProtocol(string text, out ProtocolType protocol)
    {
        foreach (int candidate in new[] { 6, 17, 1, 58, 132, 33, 136, 47 })
        {
            if (Protocol((ProtocolType)candidate) == text.ToLowerInvariant())
            {
                protocol = (ProtocolType)candidate;
                return true;
            }
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number <= 255)
        {
            protocol = (ProtocolType)number;
            return true;
        }
        protocol = default;
        return false;
    }

    /// <summary>
    /// The protocol state an entry carries, in the words conntrack(8) uses: TCP's and SCTP's as it
    /// prints them, DCCP's as the kernel names them (conntrack(8) prints none for DCCP); null when
    /// the entry has no state (UDP, ICMP) or the kernel sent none.
    /// </summary>
    public static string? State(ConntrackProtocolInfo? info) => info switch
    {
        TcpConntrackInfo { State: TcpConntrackState tcp } => State(tcp),
        SctpConntrackInfo { State: SctpConntrackState sctp } => State(sctp),
        DccpConntrackInfo { State: DccpConntrackState dccp } => State(dccp),
        _ => null,
    };

    // include/uapi/linux/netfilter/nf_conntrack_sctp.h enum sctp_conntrack, as conntrack(8) prints them.
    public static string State(SctpConntrackState state) => state switch
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
        _ => ((byte)state).ToString(CultureInfo.InvariantCulture),
    };

    // The kernel's enum ct_dccp_states (dccp_state_names in nf_conntrack_proto_dccp.c).
    public static string State(DccpConntrackState state) => state switch
    {
        DccpConntrackState.None => "NONE",
        DccpConntrackState.Request => "REQUEST",
        DccpConntrackState.Respond => "RESPOND",
        DccpConntrackState.PartOpen => "PARTOPEN",
        DccpConntrackState.Open => "OPEN",
        DccpConntrackState.CloseRequest => "CLOSEREQ",
        DccpConntrackState.Closing => "CLOSING",
        DccpConntrackState.TimeWait => "TIMEWAIT",
        DccpConntrackState.Ignore => "IGNORE",
        DccpConntrackState.Invalid => "INVALID",
        _ => ((byte)state).ToString(CultureInfo.InvariantCulture),
    };

    // include/uapi/linux/netfilter/nf_conntrack_tcp.h enum tcp_conntrack, as conntrack(8) prints them.
    public static string State(TcpConntrackState state) => state switch
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
        _ => ((byte)state).ToString(CultureInfo.InvariantCulture),
    };

    private static readonly (ConntrackStatus Bit, string Name)[] s_statusNames =
    {
        (ConntrackStatus.Expected, "EXPECTED"),
        (ConntrackStatus.SeenReply, "SEEN_REPLY"),
        (ConntrackStatus.Assured, "ASSURED"),
        (ConntrackStatus.Confirmed, "CONFIRMED"),
        (ConntrackStatus.SourceNat, "SRC_NAT"),
        (ConntrackStatus.DestinationNat, "DST_NAT"),
        (ConntrackStatus.SequenceAdjust, "SEQ_ADJUST"),
        (ConntrackStatus.SourceNatDone, "SRC_NAT_DONE"),
        (ConntrackStatus.DestinationNatDone, "DST_NAT_DONE"),
        (ConntrackStatus.Dying, "DYING"),
        (ConntrackStatus.FixedTimeout, "FIXED_TIMEOUT"),
        (ConntrackStatus.Template, "TEMPLATE"),
        (ConntrackStatus.Untracked, "UNTRACKED"),
        (ConntrackStatus.Helper, "HELPER"),
        (ConntrackStatus.Offload, "OFFLOAD"),
        (ConntrackStatus.HardwareOffload, "HW_OFFLOAD"),
    };

    /// <summary>The status bits by name (kernel IPS_* without the prefix), unknown bits as BITn.</summary>
    public static List<string> Status(ConntrackStatus status)
    {
        var names = new List<string>();
        ForEachStatus(status, names, static (list, name) => list.Add(name));
        return names;
    }

    /// <summary>The named status bits, in the order <see cref="ForEachStatus"/> gives them: <paramref name="index"/> 0 to <see cref="StatusNameCount"/> - 1.</summary>
    public static string StatusName(int index) => s_statusNames[index].Name;

    /// <summary>How many status bits have a name.</summary>
    public static int StatusNameCount => s_statusNames.Length;

    /// <summary>Calls <paramref name="each"/> with the name of every status bit set, in the kernel's order, without building a list.</summary>
    public static void ForEachStatus<TState>(ConntrackStatus status, TState state, Action<TState, string> each) =>
        ForEachStatus(status, (state, each), static (s, _, name) => s.each(s.state, name));

    /// <summary>
    /// As the other overload, with each name's index in <see cref="StatusName"/> (-1 for an
    /// unnamed bit, BITn), so a writer can use names it prepared once.
    /// </summary>
    public static void ForEachStatus<TState>(ConntrackStatus status, TState state, Action<TState, int, string> each)
    {
        uint rest = (uint)status;
        for (int n = 0; n < s_statusNames.Length; n++)
        {
            (ConntrackStatus bit, string name) = s_statusNames[n];
            if ((status & bit) != 0)
            {
                each(state, n, name);
                rest &= ~(uint)bit;
            }
        }
        for (int i = 0; rest != 0 && i < 32; i++)
        {
            if ((rest & (1u << i)) != 0)
            {
                each(state, -1, "BIT" + i.ToString(CultureInfo.InvariantCulture));
                rest &= ~(1u << i);
            }
        }
    }

    /// <summary>The ports of an entry's translation and which sides were translated (<see cref="ConntrackNat"/>'s logic, without its objects).</summary>
    internal readonly record struct NatPorts(bool HasPorts, int OriginalSourcePort, int OriginalDestinationPort, int TranslatedDestinationPort, int TranslatedSourcePort,
        bool DestinationTranslated, bool SourceTranslated);

    /// <summary>
    /// The translation of <paramref name="entry"/>, or null when neither side was translated: the
    /// reply's source is where the connection was sent, the reply's destination the source the
    /// other side saw (as <see cref="ConntrackEntry.Translation"/>, which allocates four endpoints).
    /// </summary>
    public static NatPorts? Translation(ConntrackEntry entry)
    {
        ConntrackTuple o = entry.Original, r = entry.Reply;
        int osp = o.SourcePort ?? 0, odp = o.DestinationPort ?? 0, tdp = r.SourcePort ?? 0, tsp = r.DestinationPort ?? 0;
        bool destination = odp != tdp || !o.Destination.Equals(r.Source);
        bool source = osp != tsp || !o.Source.Equals(r.Destination);
        return destination || source ? new NatPorts(o.HasPorts, osp, odp, tdp, tsp, destination, source) : null;
    }

    /// <summary>
    /// One readable line: "tcp 10.0.1.2:40000 -> 10.0.1.1:2222 was sent to 10.0.2.2:22 from 10.0.2.1:40000
    /// ESTABLISHED timeout 117s [SEEN_REPLY ASSURED CONFIRMED SRC_NAT DST_NAT ...] mark 0x1 zone 2".
    /// </summary>
    public static string Line(ConntrackEntry entry)
    {
        var line = new ArrayBufferWriter<char>(256);
        WriteLine(line, entry);
        return line.WrittenSpan.ToString();
    }

    /// <summary>Writes <see cref="Line"/>'s text (without a newline) into <paramref name="output"/>, formatting numbers and addresses in place.</summary>
    public static void WriteLine(IBufferWriter<char> output, ConntrackEntry entry)
    {
        Append(output, Protocol(entry.Protocol));
        Append(output, " ");
        if (Translation(entry) is NatPorts nat)
        {
            WriteTranslation(output, entry, nat);
        }
        else
        {
            ConntrackTuple tuple = entry.Original;
            AppendEndpoint(output, tuple.Source, tuple.SourcePort);
            Append(output, " -> ");
            AppendEndpoint(output, tuple.Destination, tuple.DestinationPort);
            if (tuple.IcmpType is not null || tuple.IcmpCode is not null || tuple.IcmpId is not null)
            {
                Append(output, " type ");
                AppendNumber(output, tuple.IcmpType);
                Append(output, " code ");
                AppendNumber(output, tuple.IcmpCode);
                Append(output, " id ");
                AppendNumber(output, tuple.IcmpId);
            }
            if (tuple.Zone is ushort tupleZone)
            {
                Append(output, " zone ");
                AppendNumber(output, tupleZone);
            }
        }
        if (State(entry.ProtocolInfo) is string state)
        {
            Append(output, " ");
            Append(output, state);
        }
        if (entry.Timeout is TimeSpan timeout)
        {
            Append(output, " timeout ");
            AppendNumber(output, (long)timeout.TotalSeconds);
            Append(output, "s");
        }
        if (entry.Status != 0)
        {
            Append(output, " [");
            bool first = true;
            ForEachStatus(entry.Status, output, (o, name) =>
            {
                if (!first)
                {
                    Append(o, " ");
                }
                first = false;
                Append(o, name);
            });
            Append(output, "]");
        }
        if (entry.Mark != 0)
        {
            Append(output, " mark 0x");
            Span<char> hex = output.GetSpan(8);
            entry.Mark.TryFormat(hex, out int written, "x", CultureInfo.InvariantCulture);
            output.Advance(written);
        }
        if (entry.Zone != 0)
        {
            Append(output, " zone ");
            AppendNumber(output, entry.Zone);
        }
    }

    /// <summary>"10.0.1.2:40000 -> 10.0.1.1:2222 was sent to 10.0.2.2:22 from 10.0.2.1:40000" (<see cref="ConntrackNat.ToString"/>'s words).</summary>
    public static void WriteTranslation(IBufferWriter<char> output, ConntrackEntry entry, NatPorts nat)
    {
        AppendEndpoint(output, entry.Original.Source, nat.HasPorts ? nat.OriginalSourcePort : null);
        Append(output, " -> ");
        AppendEndpoint(output, entry.Original.Destination, nat.HasPorts ? nat.OriginalDestinationPort : null);
        if (nat.DestinationTranslated)
        {
            Append(output, " was sent to ");
            AppendEndpoint(output, entry.Reply.Source, nat.HasPorts ? nat.TranslatedDestinationPort : null);
        }
        if (nat.SourceTranslated)
        {
            Append(output, nat.DestinationTranslated ? " from " : " was sent from ");
            AppendEndpoint(output, entry.Reply.Destination, nat.HasPorts ? nat.TranslatedSourcePort : null);
        }
    }

    private static void AppendEndpoint(IBufferWriter<char> output, IPAddress address, int? port)
    {
        bool brackets = port is not null && address.AddressFamily == AddressFamily.InterNetworkV6;
        if (brackets)
        {
            Append(output, "[");
        }
        Span<char> span = output.GetSpan(46);
        if (!address.TryFormat(span, out int written))
        {
            throw new InvalidOperationException("an IP address longer than 45 characters");
        }
        output.Advance(written);
        if (brackets)
        {
            Append(output, "]");
        }
        if (port is int p)
        {
            Append(output, ":");
            AppendNumber(output, p);
        }
    }

    private static void Append(IBufferWriter<char> output, string text) => output.Write(text.AsSpan());

    private static void AppendNumber<T>(IBufferWriter<char> output, T? value)
        where T : struct, ISpanFormattable
    {
        if (value is T v)
        {
            AppendNumber(output, v);
        }
    }

    private static void AppendNumber<T>(IBufferWriter<char> output, T value)
        where T : ISpanFormattable
    {
        Span<char> span = output.GetSpan(20);
        value.TryFormat(span, out int written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }
}
