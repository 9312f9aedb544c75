using System;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;

namespace ConntrackWatch;

/// <summary>
/// One line per NAT'd flow: a mark (<c>=</c> already there, <c>+</c> new, <c>-</c> gone), the
/// protocol, and the translation in plain words, e.g.
/// <c>+ tcp 10.0.1.2:40312 -&gt; 10.0.1.1:2222 was sent to 10.0.2.2:22 from 10.0.2.1:40312</c>.
/// </summary>
internal static class FlowPrinter
{
    /// <summary>The line for <paramref name="entry"/>, or null when conntrack did not translate it.</summary>
    public static string? Line(char mark, ConntrackEntry entry)
    {
        if (entry.Translation is not ConntrackNat nat)
        {
            return null;
        }
        return $"{mark} {Protocol(entry.Protocol)} {nat}";
    }

    private static string Protocol(ProtocolType protocol) => protocol switch
    {
        ProtocolType.Tcp => "tcp",
        ProtocolType.Udp => "udp",
        ProtocolType.Icmp => "icmp",
        ProtocolType.IcmpV6 => "icmpv6",
        _ => ((int)protocol).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static void Print(string line) => Console.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
}
