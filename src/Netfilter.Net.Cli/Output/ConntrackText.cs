using System.Collections.Generic;
using System.Globalization;
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

    public static List<string> Status(ConntrackStatus status)
    {
        var names = new List<string>();
        uint rest = (uint)status;
        foreach ((ConntrackStatus bit, string name) in s_statusNames)
        {
            if ((status & bit) != 0)
            {
                names.Add(name);
                rest &= ~(uint)bit;
            }
        }
        for (int i = 0; i < 32; i++)
        {
            if ((rest & (1u << i)) != 0)
            {
                names.Add("BIT" + i.ToString(CultureInfo.InvariantCulture));
            }
        }
        return names;
    }

    /// <summary>
    /// One readable line: "tcp 10.0.1.2:40000 -> 10.0.1.1:2222 was sent to 10.0.2.2:22 from 10.0.2.1:40000
    /// ESTABLISHED timeout 117s [SEEN_REPLY ASSURED CONFIRMED SRC_NAT DST_NAT ...] mark 0x1 zone 2".
    /// </summary>
    public static string Line(ConntrackEntry entry)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(Protocol(entry.Protocol)).Append(' ');
        if (entry.Translation is ConntrackNat nat)
        {
            sb.Append(nat);
        }
        else
        {
            string tuple = entry.Original.ToString();
            sb.Append(tuple.Substring(tuple.IndexOf(' ', System.StringComparison.Ordinal) + 1));
        }
        if (entry.TcpState is TcpConntrackState state)
        {
            sb.Append(' ').Append(State(state));
        }
        if (entry.Timeout is System.TimeSpan timeout)
        {
            sb.Append(" timeout ").Append(((long)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)).Append('s');
        }
        List<string> status = Status(entry.Status);
        if (status.Count > 0)
        {
            sb.Append(" [").Append(string.Join(' ', status)).Append(']');
        }
        if (entry.Mark != 0)
        {
            sb.Append(" mark 0x").Append(entry.Mark.ToString("x", CultureInfo.InvariantCulture));
        }
        if (entry.Zone != 0)
        {
            sb.Append(" zone ").Append(entry.Zone.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
