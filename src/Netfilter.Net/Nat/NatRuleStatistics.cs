using System.Globalization;

namespace Netfilter.Net.Nat;

/// <summary>
/// What one typed rule has translated, read from the counters of its pieces in the kernel
/// (<see cref="NatTableReport.Statistics"/>, <see cref="INatTable.ListStatisticsAsync"/>).
/// </summary>
/// <remarks>
/// <para><b>What is counted.</b> Every piece that translates the rule's own packets carries a
/// counter, and the rule's figures are the sum over those pieces: both protocols of a
/// <c>both</c> rule, the prerouting and output pieces of a <c>local</c> one, one piece per source
/// prefix of a conditional one. The return-path pieces of a forward (its masquerade and hairpin)
/// are not counted: they see the same connections again.</para>
/// <para><b>New connections, not traffic.</b> The kernel runs a nat chain only for a connection's
/// first packet; every later packet follows the translation conntrack recorded. So for
/// redirects, forwards, snat and masquerade, <see cref="Packets"/> is the number of new
/// connections the rule translated, and <see cref="Bytes"/> the size of those first packets (a TCP
/// SYN is about 60 bytes): not the bytes the connections carried. A first packet dropped after the
/// translation and sent again counts again. For the traffic of each connection read conntrack's accounting
/// (<c>net.netfilter.nf_conntrack_acct</c>, <c>nfnet conntrack list</c>). A <see cref="TproxyRule"/> is the exception: its chain is a filter chain that sees
/// every packet, so its figures are every packet and byte it diverted
/// (<see cref="CountsConnections"/> is false).</para>
/// <para>Counters start at zero when the rule's pieces are written (added, replaced, repaired,
/// or the table rebuilt or migrated) and live in the kernel only.</para>
/// </remarks>
public sealed record NatRuleStatistics
{
    /// <summary>The statistics of <paramref name="rule"/>; null figures mean the kernel kept no counter for it.</summary>
    public NatRuleStatistics(NatRule rule, ulong? packets, ulong? bytes)
    {
        System.ArgumentNullException.ThrowIfNull(rule);
        Rule = rule;
        Packets = packets;
        Bytes = bytes;
    }

    /// <summary>The rule, as it is in the kernel.</summary>
    public NatRule Rule { get; }

    /// <summary>
    /// New connections the rule translated (every packet for a <see cref="TproxyRule"/>); null when
    /// none of its pieces has a counter (a table in an earlier layout, or a kernel before Linux 5.7,
    /// which keeps no counter per map element).
    /// </summary>
    public ulong? Packets { get; }

    /// <summary>The bytes of the packets in <see cref="Packets"/> (IP header included); null when <see cref="Packets"/> is.</summary>
    public ulong? Bytes { get; }

    /// <summary>True when <see cref="Packets"/> counts new connections (every rule but <see cref="TproxyRule"/>, which counts every packet).</summary>
    public bool CountsConnections => Rule is not TproxyRule;

    /// <summary><c>3 connections (180 bytes)</c>, <c>57 packets (4560 bytes)</c>, or <c>no counters</c>: the figures alone.</summary>
    public string Figures => Packets is ulong p
        ? string.Create(CultureInfo.InvariantCulture, $"{p} {(CountsConnections ? (p == 1 ? "connection" : "connections") : (p == 1 ? "packet" : "packets"))} ({Bytes} bytes)")
        : "no counters";

    /// <summary><c>RULE: 3 connections (180 bytes)</c>, <c>RULE: 57 packets (4560 bytes)</c>, or <c>RULE: no counters</c>.</summary>
    public override string ToString() => $"{Rule}: {Figures}";
}
