using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// The reference model's own reading of one typed rule: its identity and the packets it claims,
/// written from the documentation (README "Typed NAT rules: identity, conflicts, removal", the XML
/// docs of <see cref="NatRuleIdentity"/>, <see cref="DnatRule"/>, <see cref="RedirectRule"/>,
/// <see cref="TproxyRule"/>, <see cref="SnatRule"/>, <see cref="MasqueradeRule"/>) and from the
/// rule's public properties only. It never calls <c>NatRule.Identity</c>, <c>NatClaim</c>,
/// <c>NatConflicts</c> or the compiler: the point of the model is to be a second, independent
/// reading of the documented semantics.
/// </summary>
/// <remarks>
/// The canonical text (<see cref="NatRule.ToString"/>, documented as the rule's canonical,
/// parseable text and the comment nft shows) is what the model compares rules by, as sets.
/// </remarks>
internal sealed class ModelRule
{
    private ModelRule(NatRule rule)
    {
        Rule = rule;
        Text = rule.ToString();
    }

    /// <summary>The library's rule object, what the runner hands to the library.</summary>
    public NatRule Rule { get; }

    /// <summary>The canonical text.</summary>
    public string Text { get; }

    public NatRuleKind Kind { get; private init; }

    /// <summary>Redirect, forward and tproxy pick a connection's destination; snat and masquerade its source.</summary>
    public bool PicksDestination => Kind is NatRuleKind.Redirect or NatRuleKind.Dnat or NatRuleKind.Tproxy;

    public bool V4 { get; private init; }

    public bool V6 { get; private init; }

    public bool Tcp { get; private init; }

    public bool Udp { get; private init; }

    /// <summary>The public ports, 1-65535 for a forward of every port.</summary>
    public int FirstPort { get; private init; }

    public int LastPort { get; private init; }

    /// <summary>Claimed in prerouting (every destination-picking rule).</summary>
    public bool Prerouting { get; private init; }

    /// <summary>Claimed in output too (the local option).</summary>
    public bool Output { get; private init; }

    public string? InputInterface { get; private init; }

    public IPAddress? Destination { get; private init; }

    /// <summary>The source prefixes, empty for every source.</summary>
    public IReadOnlyList<IPNetwork> Sources { get; private init; } = Array.Empty<IPNetwork>();

    public string? OutputInterface { get; private init; }

    /// <summary>A forward's target address; null for other kinds.</summary>
    public IPAddress? Target { get; private init; }

    /// <summary>A forward's target ports (its toPorts, else its public ports); null: every port.</summary>
    public (int First, int Last)? TargetPorts { get; private init; }

    /// <summary>
    /// The identity, as the README's table defines it: the kind, the family, and the match
    /// (protocol, public ports, destination, input interface, sources; for snat and masquerade the
    /// output interface and the sources). Options (targets, masquerade, hairpin, local, ports of
    /// the listener, marks, flags) are not part of it.
    /// </summary>
    public string Identity { get; private init; } = "";

    public static ModelRule Of(NatRule rule)
    {
        switch (rule)
        {
            case DnatRule d:
                {
                    bool v4 = d.ToAddress.AddressFamily == AddressFamily.InterNetwork;
                    (int, int)? target = d.ToPorts is PortRange t ? (t.First, t.Last) : d.Ports is PortRange p ? (p.First, p.Last) : null;
                    return new ModelRule(rule)
                    {
                        Kind = NatRuleKind.Dnat,
                        V4 = v4,
                        V6 = !v4,
                        Tcp = d.Protocol.Contains(ProtocolType.Tcp),
                        Udp = d.Protocol.Contains(ProtocolType.Udp),
                        FirstPort = d.Ports?.First ?? 1,
                        LastPort = d.Ports?.Last ?? 65535,
                        Prerouting = true,
                        Output = d.IncludeLocal,
                        InputInterface = d.InputInterface,
                        Destination = d.Destination,
                        Sources = Sorted(d.Sources),
                        Target = d.ToAddress,
                        TargetPorts = target,
                        Identity = IdentityOf("dnat", v4, !v4, d.Protocol, d.Ports, d.Destination, d.InputInterface, null, d.Sources),
                    };
                }
            case RedirectRule r:
                {
                    // Family: of the destination, else of the sources, else both (README table).
                    (bool v4, bool v6) = r.Destination is not null ? FamilyOf(r.Destination) : FamiliesOf(r.Sources);
                    return new ModelRule(rule)
                    {
                        Kind = NatRuleKind.Redirect,
                        V4 = v4,
                        V6 = v6,
                        Tcp = r.Protocol.Contains(ProtocolType.Tcp),
                        Udp = r.Protocol.Contains(ProtocolType.Udp),
                        FirstPort = r.Ports.First,
                        LastPort = r.Ports.Last,
                        Prerouting = true,
                        Output = r.IncludeLocal,
                        InputInterface = r.InputInterface,
                        Destination = r.Destination,
                        Sources = Sorted(r.Sources),
                        Identity = IdentityOf("redirect", v4, v6, r.Protocol, r.Ports, r.Destination, r.InputInterface, null, r.Sources),
                    };
                }
            case TproxyRule t:
                {
                    // Family: of the listener address, else both. No destination, interface or sources.
                    (bool v4, bool v6) = t.ToAddress is not null ? FamilyOf(t.ToAddress) : (true, true);
                    return new ModelRule(rule)
                    {
                        Kind = NatRuleKind.Tproxy,
                        V4 = v4,
                        V6 = v6,
                        Tcp = t.Protocol.Contains(ProtocolType.Tcp),
                        Udp = t.Protocol.Contains(ProtocolType.Udp),
                        FirstPort = t.Ports.First,
                        LastPort = t.Ports.Last,
                        Prerouting = true,
                        Identity = IdentityOf("tproxy", v4, v6, t.Protocol, t.Ports, null, null, null, Array.Empty<IPNetwork>()),
                    };
                }
            case SnatRule s:
                {
                    (bool v4, bool v6) = FamilyOf(s.ToAddress);
                    return new ModelRule(rule)
                    {
                        Kind = NatRuleKind.Snat,
                        V4 = v4,
                        V6 = v6,
                        Sources = Sorted(s.Sources),
                        OutputInterface = s.OutputInterface,
                        Identity = IdentityOf("snat", v4, v6, null, null, null, null, s.OutputInterface, s.Sources),
                    };
                }
            case MasqueradeRule m:
                {
                    (bool v4, bool v6) = FamiliesOf(m.Sources);
                    return new ModelRule(rule)
                    {
                        Kind = NatRuleKind.Masquerade,
                        V4 = v4,
                        V6 = v6,
                        Sources = Sorted(m.Sources),
                        OutputInterface = m.OutputInterface,
                        Identity = IdentityOf("masquerade", v4, v6, null, null, null, null, m.OutputInterface, m.Sources),
                    };
                }
            default:
                throw new ArgumentException($"unknown rule type {rule.GetType().Name}", nameof(rule));
        }
    }

    /// <summary>Does this rule take packets of the family (it is of that family, and when it lists sources, some are of that family)?</summary>
    public bool Takes(bool v6) => (v6 ? V6 : V4) && (Sources.Count == 0 || Sources.Any(s => IsV6(s.BaseAddress) == v6));

    /// <summary>The rule's source prefixes of one family; null when the rule lists no sources (every source).</summary>
    public IReadOnlyList<IPNetwork>? SourcesOf(bool v6) => Sources.Count == 0 ? null : Sources.Where(s => IsV6(s.BaseAddress) == v6).ToList();

    public override string ToString() => Text;

    internal static bool IsV6(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6;

    private static (bool V4, bool V6) FamilyOf(IPAddress address) => IsV6(address) ? (false, true) : (true, false);

    private static (bool V4, bool V6) FamiliesOf(IReadOnlyList<IPNetwork> sources) =>
        sources.Count == 0 ? (true, true) : (sources.Any(s => !IsV6(s.BaseAddress)), sources.Any(s => IsV6(s.BaseAddress)));

    private static IReadOnlyList<IPNetwork> Sorted(IReadOnlyList<IPNetwork> sources) =>
        sources.Distinct().OrderBy(s => s.ToString(), StringComparer.Ordinal).ToList();

    private static string IdentityOf(string kind, bool v4, bool v6, TransportProtocol? protocol, PortRange? ports, IPAddress? destination, string? iif, string? oif, IReadOnlyList<IPNetwork> sources)
    {
        string family = v4 && v6 ? "ipv4+ipv6" : v4 ? "ipv4" : "ipv6";
        string proto = protocol?.ToString() ?? "-";
        string portText = ports is PortRange p ? string.Create(CultureInfo.InvariantCulture, $"{p.First}-{p.Last}") : protocol is null ? "-" : "all";
        return string.Join('|', kind, family, proto, portText, destination?.ToString() ?? "*", iif ?? "*", oif ?? "*",
            string.Join(',', Sorted(sources).Select(s => s.ToString())));
    }
}
