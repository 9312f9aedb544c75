using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// What one way through a rule requires of a packet, as far as the doctor reads it: the IP
/// version, the transport protocol, the destination port, the interfaces. Every other condition
/// (source addresses, marks, rates, xtables matches...) is not evaluated: it only makes the
/// match <see cref="Narrowed"/>, meaning "some of these packets, maybe not all".
/// </summary>
internal sealed record PacketMatch
{
    public static PacketMatch Any { get; } = new();

    /// <summary>Transport protocol numbers (IPPROTO_*); null when any.</summary>
    public IReadOnlyList<byte>? Protocols { get; init; }

    /// <summary>Destination ports.</summary>
    public PortRanges Ports { get; init; } = PortRanges.All;

    public IpFamilies Families { get; init; } = IpFamilies.Both;

    /// <summary>iifname: an exact name, or a prefix ending in '*'; null when any.</summary>
    public string? InputInterface { get; init; }

    /// <summary>oifname: an exact name, or a prefix ending in '*'; null when any.</summary>
    public string? OutputInterface { get; init; }

    /// <summary>Tests of the connection's ct status bits, evaluated against what the probe knows of them.</summary>
    public IReadOnlyList<CtStatusTest> CtStatus { get; init; } = Array.Empty<CtStatusTest>();

    /// <summary>What else the rule checks that the doctor does not evaluate (empty: nothing).</summary>
    public IReadOnlyList<string> OtherConditions { get; init; } = Array.Empty<string>();

    /// <summary>True when the rule checks something the doctor does not evaluate.</summary>
    public bool Narrowed => OtherConditions.Count > 0;

    /// <summary>True when no packet can match (contradictory conditions).</summary>
    public bool Impossible => Ports.IsEmpty || Families == IpFamilies.None || Protocols is { Count: 0 } || Unmatchable;

    /// <summary>Set when a condition can never hold for the packets the doctor asks about (e.g. ct state established for a new connection).</summary>
    public bool Unmatchable { get; init; }

    public PacketMatch WithProtocols(IEnumerable<byte> protocols)
    {
        IEnumerable<byte> set = Protocols is null ? protocols : Protocols.Intersect(protocols);
        return this with { Protocols = set.Distinct().OrderBy(p => p).ToArray() };
    }

    public PacketMatch WithoutProtocol(byte protocol) =>
        Protocols is null ? Narrow($"meta l4proto != {ProtocolName(protocol)}") : this with { Protocols = Protocols.Where(p => p != protocol).ToArray() };

    public PacketMatch Narrow(string condition)
    {
        if (OtherConditions.Contains(condition))
        {
            return this;
        }
        return this with { OtherConditions = OtherConditions.Append(condition).ToArray() };
    }

    /// <summary>True when some packet of <paramref name="probe"/> can match.</summary>
    public bool Overlaps(Probe probe) =>
        !Impossible
        && CtStatus.All(t => !t.IsKnownFor(probe) || t.Holds(probe))
        && (Families & probe.Family) != 0
        && (Protocols is null || Protocols.Contains(probe.Protocol))
        && Ports.Overlaps(probe.FirstPort, probe.LastPort)
        && InterfaceCompatible(InputInterface, probe.InputInterface)
        && InterfaceCompatible(OutputInterface, probe.OutputInterface);

    /// <summary>True when every packet of <paramref name="probe"/> matches.</summary>
    public bool Covers(Probe probe) =>
        Overlaps(probe)
        && !Narrowed
        && CtStatus.All(t => t.IsKnownFor(probe))
        && Ports.Covers(probe.FirstPort, probe.LastPort)
        && InterfaceCovers(InputInterface, probe.InputInterface)
        && InterfaceCovers(OutputInterface, probe.OutputInterface);

    private static bool InterfaceCompatible(string? pattern, string? name) => pattern is null || name is null || NameMatches(pattern, name);

    private static bool InterfaceCovers(string? pattern, string? name) => pattern is null || (name is not null && NameMatches(pattern, name));

    /// <summary>nft's interface name match: exact, or a prefix when the pattern ends in '*'.</summary>
    public static bool NameMatches(string pattern, string name) =>
        pattern.EndsWith('*') ? name.StartsWith(pattern[..^1], StringComparison.Ordinal) : string.Equals(pattern, name, StringComparison.Ordinal);

    public static string ProtocolName(byte protocol) => protocol switch
    {
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        33 => "dccp",
        58 => "icmpv6",
        132 => "sctp",
        _ => protocol.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Close to how nft would write the conditions: <c>ip tcp dport 2222 iifname "eth0" (and: ip saddr)</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Families == IpFamilies.IPv4) parts.Add("ip");
        if (Families == IpFamilies.IPv6) parts.Add("ip6");
        if (InputInterface is not null) parts.Add($"iifname \"{InputInterface}\"");
        if (OutputInterface is not null) parts.Add($"oifname \"{OutputInterface}\"");
        string proto = Protocols is null ? "th" : Protocols.Count == 1 ? ProtocolName(Protocols[0]) : "{ " + string.Join(", ", Protocols.Select(ProtocolName)) + " }";
        if (!Ports.IsAll)
        {
            parts.Add($"{proto} dport {Ports}");
        }
        else if (Protocols is not null)
        {
            parts.Add($"meta l4proto {proto}");
        }
        foreach (CtStatusTest test in CtStatus)
        {
            parts.Add(test.ToString());
        }
        var sb = new StringBuilder(parts.Count == 0 ? "every packet" : string.Join(' ', parts));
        if (Narrowed)
        {
            sb.Append(" (and ").Append(string.Join(", ", OtherConditions)).Append(')');
        }
        return sb.ToString();
    }
}

/// <summary>
/// One test of the conntrack status bits (uapi nf_conntrack_common.h, enum ip_conntrack_status):
/// <c>(status &amp; Mask) == Value</c> is expected to be <see cref="Equal"/>. nft writes
/// <c>ct status dnat</c> as exactly such a mask and compare.
/// </summary>
internal readonly record struct CtStatusTest(uint Mask, uint Value, bool Equal)
{
    public bool IsKnownFor(Probe probe) => (Mask & ~probe.CtStatusKnown) == 0;

    public bool Holds(Probe probe) => ((probe.CtStatus & Mask) == Value) == Equal;

    public override string ToString() => Mask switch
    {
        // IPS_DST_NAT 0x20, IPS_SRC_NAT 0x10: nft's "dnat" and "snat".
        0x20 when Value == 0 => Equal ? "ct status != dnat" : "ct status dnat",
        0x10 when Value == 0 => Equal ? "ct status != snat" : "ct status snat",
        _ => $"ct status & 0x{Mask:x} {(Equal ? "==" : "!=")} 0x{Value:x}",
    };
}
