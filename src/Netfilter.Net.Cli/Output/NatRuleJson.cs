using System.Linq;
using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Output;

/// <summary>
/// One typed rule in <c>nfnet list --json</c>. <see cref="Kind"/> says which fields apply; fields
/// that do not apply are left out. <see cref="Text"/> is the rule's canonical text (the comment
/// nft shows). The shape is documented in the README and kept stable.
/// </summary>
internal sealed record NatRuleJson
{
    /// <summary>"redirect", "forward", "masquerade", "snat" or "tproxy" (the nfnet command that makes it).</summary>
    public required string Kind { get; init; }

    public required string Text { get; init; }

    /// <summary>"tcp", "udp" or "both".</summary>
    public string? Protocol { get; init; }

    /// <summary>"80" or "8000-8100"; null for a forward of every port.</summary>
    public string? Ports { get; init; }

    public int? ToPort { get; init; }

    public string? ToAddress { get; init; }

    public string? ToAddressLast { get; init; }

    /// <summary>The target port or range of a forward; null when the public port is kept.</summary>
    public string? ToPorts { get; init; }

    public string? Destination { get; init; }

    public string? InputInterface { get; init; }

    public string? OutputInterface { get; init; }

    public string[]? Sources { get; init; }

    public uint? Mark { get; init; }

    public bool? Local { get; init; }

    public bool? Masquerade { get; init; }

    public bool? Hairpin { get; init; }

    public bool? Persistent { get; init; }

    public bool? Random { get; init; }

    public bool? FullyRandom { get; init; }

    /// <summary>With --stats: what the rule's counters hold (new connections, or packets for tproxy); absent without --stats or when the kernel keeps no counter.</summary>
    public ulong? Packets { get; init; }

    /// <summary>With --stats: the bytes of those packets.</summary>
    public ulong? Bytes { get; init; }

    /// <summary>With --stats: what <see cref="Packets"/> counts, "connections" or "packets" (tproxy).</summary>
    public string? Counts { get; init; }

    /// <summary>The rule with its counters (<c>nfnet list --stats --json</c>).</summary>
    public static NatRuleJson From(NatRuleStatistics statistics)
    {
        NatRuleJson json = From(statistics.Rule);
        return statistics.Packets is null ? json : json with
        {
            Packets = statistics.Packets,
            Bytes = statistics.Bytes,
            Counts = statistics.CountsConnections ? "connections" : "packets",
        };
    }

    public static NatRuleJson From(NatRule rule) => rule switch
    {
        RedirectRule r => new NatRuleJson
        {
            Kind = "redirect",
            Text = r.ToString(),
            Protocol = r.Protocol.ToString(),
            Ports = r.Ports.ToString(),
            ToPort = r.ToPort,
            Destination = r.Destination?.ToString(),
            InputInterface = r.InputInterface,
            Sources = Prefixes(r.Sources),
            Local = r.IncludeLocal,
        },
        DnatRule d => new NatRuleJson
        {
            Kind = "forward",
            Text = d.ToString(),
            Protocol = d.Protocol.ToString(),
            Ports = d.Ports?.ToString(),
            ToAddress = d.ToAddress.ToString(),
            ToPorts = d.ToPorts?.ToString(),
            Destination = d.Destination?.ToString(),
            InputInterface = d.InputInterface,
            Sources = Prefixes(d.Sources),
            Masquerade = d.Masquerade,
            Hairpin = d.Hairpin,
            Persistent = d.Persistent,
            Random = d.Random,
            Local = d.IncludeLocal,
        },
        MasqueradeRule m => new NatRuleJson
        {
            Kind = "masquerade",
            Text = m.ToString(),
            OutputInterface = m.OutputInterface,
            Sources = Prefixes(m.Sources),
            Random = m.Random,
            FullyRandom = m.FullyRandom,
        },
        SnatRule s => new NatRuleJson
        {
            Kind = "snat",
            Text = s.ToString(),
            ToAddress = s.ToAddress.ToString(),
            ToAddressLast = s.ToAddressLast?.ToString(),
            OutputInterface = s.OutputInterface,
            Sources = Prefixes(s.Sources),
        },
        TproxyRule t => new NatRuleJson
        {
            Kind = "tproxy",
            Text = t.ToString(),
            Protocol = t.Protocol.ToString(),
            Ports = t.Ports.ToString(),
            ToPort = t.ToPort,
            ToAddress = t.ToAddress?.ToString(),
            Mark = t.Mark,
        },
        _ => new NatRuleJson { Kind = "unknown", Text = rule.ToString() },
    };

    private static string[] Prefixes(System.Collections.Generic.IReadOnlyList<IPNetwork> sources) =>
        sources.Select(s => s.ToString()).ToArray();
}
