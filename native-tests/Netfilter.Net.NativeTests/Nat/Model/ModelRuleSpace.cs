using System.Net;
using CsCheck;
using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// A small space of typed rules chosen to collide, over the addresses of <see cref="ModelNetwork"/>
/// (so that any rule can be proven with a connection): three targets (two IPv4 on one server,
/// one IPv6), public ports 80, 81, 80-81, 81-90 and every port, target ports 22, 23 or kept,
/// destinations that are the router's (10.0.1.1, 10.0.2.1, fd01::1) or passing through it
/// (10.0.2.2), the client's interface and one that does not exist, nested, disjoint and
/// mixed-family source prefixes, with and without masquerade, hairpin and local; redirects to
/// 8080/8081, tproxy to 8443 with marks 1 and 2, snat to 10.0.4.100/.101 (and a range) or
/// fd04::100/::101, masquerade through wan, an absent wan2 or any interface. Nulls are weighted so
/// that identities repeat often.
/// </summary>
internal static class ModelRuleSpace
{
    private static readonly IPAddress[] Targets = { IPAddress.Parse("10.0.2.2"), IPAddress.Parse("10.0.2.3"), IPAddress.Parse("fd02::2") };
    private static readonly PortRange?[] Ports = { PortRange.Single(80), PortRange.Single(80), PortRange.Single(81), new PortRange(80, 81), new PortRange(81, 90), null };
    private static readonly PortRange?[] TargetPorts = { null, null, PortRange.Single(22), PortRange.Single(23) };
    private static readonly IPAddress?[] Destinations = { null, null, null, null, IPAddress.Parse("10.0.1.1"), IPAddress.Parse("10.0.2.1"), IPAddress.Parse("10.0.2.2"), IPAddress.Parse("fd01::1") };
    private static readonly string?[] Interfaces = { null, null, null, null, "lan", "lan2" };
    private static readonly string?[] OutputInterfaces = { null, "wan", "wan", "wan2" };
    private static readonly IPNetwork[][] SourceSets =
    {
        Array.Empty<IPNetwork>(), Array.Empty<IPNetwork>(), Array.Empty<IPNetwork>(), Array.Empty<IPNetwork>(), Array.Empty<IPNetwork>(),
        new[] { IPNetwork.Parse("10.0.1.0/24") },
        new[] { IPNetwork.Parse("10.0.1.0/25") },
        new[] { IPNetwork.Parse("10.0.3.0/24") },
        new[] { IPNetwork.Parse("10.0.2.0/24") },
        new[] { IPNetwork.Parse("fd01::/64") },
        new[] { IPNetwork.Parse("fd02::/64") },
        new[] { IPNetwork.Parse("10.0.1.0/24"), IPNetwork.Parse("fd01::/64") },
        new[] { IPNetwork.Parse("10.0.1.0/25"), IPNetwork.Parse("10.0.3.0/24") },
    };
    private static readonly TransportProtocol[] Protocols = { TransportProtocol.Tcp, TransportProtocol.Tcp, TransportProtocol.Udp, TransportProtocol.Both };
    private static readonly IPAddress?[] TproxyAddresses = { null, null, IPAddress.Parse("10.0.1.1"), IPAddress.Parse("fd01::1") };
    private static readonly IPAddress[] SnatAddresses = { IPAddress.Parse("10.0.4.100"), IPAddress.Parse("10.0.4.101"), IPAddress.Parse("fd04::100"), IPAddress.Parse("fd04::101") };

    /// <summary>A sequence of <paramref name="mutations"/> library calls, with a probe after every <paramref name="probeEvery"/> of them and one at the end.</summary>
    public static Gen<List<ModelOp>> Sequence(int mutations, int probeEvery) =>
        Gen.Int[0, int.MaxValue - 1].Array[mutations].Select(raw => Build(raw, probeEvery));

    /// <summary>Builds the operations from one random number per step; each step may refer back to rules of earlier steps.</summary>
    public static List<ModelOp> Build(int[] raw, int probeEvery)
    {
        var ops = new List<ModelOp>();
        var pool = new List<NatRule>();
        for (int i = 0; i < raw.Length; i++)
        {
            var rng = new Random(raw[i]);
            int kind = rng.Next(100);
            if (kind < 12)
            {
                // Now and then the set of the last apply again: unchanged when nothing moved since.
                ApplyOp? last = ops.OfType<ApplyOp>().LastOrDefault();
                ops.Add(last is not null && rng.Next(100) < 15 ? new ApplyOp(last.Rules) : new ApplyOp(DesiredSet(rng, pool)));
            }
            else if (kind < 57)
            {
                int how = rng.Next(100);
                NatRule rule = pool.Count == 0 || how < 40 ? Fresh(rng)
                    : how < 60 ? Recent(rng, pool)
                    : how < 80 ? OtherOptions(rng, Recent(rng, pool))
                    : Neighbour(rng, Recent(rng, pool));
                ops.Add(new AddOp(rule));
            }
            else
            {
                int how = rng.Next(100);
                NatRule rule = pool.Count == 0 || how < 15 ? Fresh(rng)
                    : how < 50 ? Recent(rng, pool, 10)
                    : how < 80 ? OtherOptions(rng, Recent(rng, pool, 10))
                    : Neighbour(rng, Recent(rng, pool));
                ops.Add(new RemoveOp(rule));
            }
            pool.AddRange(ops[^1] switch
            {
                ApplyOp a => a.Rules,
                AddOp a => new[] { a.Rule },
                RemoveOp r => new[] { r.Rule },
                _ => Array.Empty<NatRule>(),
            });
            if ((i + 1) % probeEvery == 0 || i == raw.Length - 1)
            {
                ops.Add(new ProbeOp(rng.Next(1000), rng.Next(1000)));
            }
        }
        return ops;
    }

    /// <summary>
    /// The calls of <paramref name="writers"/> concurrent writers, <paramref name="calls"/> each,
    /// over one small pool (a few fresh rules and the same identities with other options) so that
    /// writers add, remove and apply the same and conflicting rules: what lost updates and
    /// half-applied changes would show in.
    /// </summary>
    public static List<List<ModelOp>> Writers(Random rng, int writers, int calls)
    {
        var pool = new List<NatRule>();
        for (int i = 0; i < 4; i++)
        {
            NatRule rule = Fresh(rng);
            pool.Add(rule);
            pool.Add(OtherOptions(rng, rule));
        }
        var result = new List<List<ModelOp>>();
        for (int w = 0; w < writers; w++)
        {
            var ops = new List<ModelOp>();
            for (int i = 0; i < calls; i++)
            {
                int kind = rng.Next(100);
                ops.Add(kind < 15 ? new ApplyOp(DesiredSet(rng, pool))
                    : kind < 60 ? new AddOp(pool[rng.Next(pool.Count)])
                    : new RemoveOp(pool[rng.Next(pool.Count)]));
            }
            result.Add(ops);
        }
        return result;
    }

    private static NatRule Recent(Random rng, List<NatRule> pool, int window = 30) => pool[pool.Count - 1 - rng.Next(Math.Min(pool.Count, window))];

    /// <summary>
    /// A desired set: recent and fresh rules, sometimes one given twice; most sets are made
    /// conflict-free with the model's conflict rule (dropping later rules that conflict with
    /// earlier ones), the rest are left as drawn, so that ApplyAsync must refuse them.
    /// </summary>
    private static List<NatRule> DesiredSet(Random rng, List<NatRule> pool)
    {
        int size = rng.Next(7);
        var rules = new List<NatRule>();
        for (int i = 0; i < size; i++)
        {
            rules.Add(pool.Count > 0 && rng.Next(100) < 60 ? Recent(rng, pool) : Fresh(rng));
        }
        if (rules.Count > 0 && rng.Next(100) < 15)
        {
            rules.Insert(rng.Next(rules.Count + 1), rules[rng.Next(rules.Count)]);
        }
        if (rng.Next(100) < 70)
        {
            var kept = new List<NatRule>();
            foreach (NatRule rule in rules)
            {
                var model = ModelRule.Of(rule);
                if (!kept.Any(k => k.ToString() != rule.ToString() && ModelConflicts.Conflict(ModelRule.Of(k), model)))
                {
                    kept.Add(rule);
                }
            }
            rules = kept;
        }
        return rules;
    }

    public static NatRule Fresh(Random rng)
    {
        for (int attempt = 0; ; attempt++)
        {
            int kind = rng.Next(100);
            var spec = new RuleSpec
            {
                Kind = kind < 25 ? NatRuleKind.Redirect : kind < 70 ? NatRuleKind.Dnat : kind < 80 ? NatRuleKind.Tproxy : kind < 88 ? NatRuleKind.Snat : NatRuleKind.Masquerade,
                Protocol = Pick(rng, Protocols),
                Ports = Pick(rng, Ports),
                ToPorts = Pick(rng, TargetPorts),
                Destination = Pick(rng, Destinations),
                InputInterface = Pick(rng, Interfaces),
                OutputInterface = Pick(rng, OutputInterfaces),
                Sources = Pick(rng, SourceSets),
                Masquerade = rng.Next(100) < 40,
                Hairpin = rng.Next(100) < 20,
                Local = rng.Next(100) < 25,
                Persistent = rng.Next(100) < 5,
                ToPort = rng.Next(2) == 0 ? 8080 : 8081,
                Mark = rng.Next(2) == 0 ? 1u : 2u,
                FullyRandom = rng.Next(100) < 10,
            };
            spec = spec.Kind switch
            {
                NatRuleKind.Dnat => spec with { Address = Pick(rng, Targets) },
                NatRuleKind.Tproxy => spec with { Address = Pick(rng, TproxyAddresses), ToPort = 8443 },
                NatRuleKind.Snat => spec with { Address = Pick(rng, SnatAddresses) },
                _ => spec,
            };
            if (spec.Ports is PortRange { IsSingle: false } range && rng.Next(100) < 30)
            {
                spec = spec with { ToPorts = range, Random = rng.Next(100) < 30 };
            }
            if (spec.Kind == NatRuleKind.Snat && spec.Address!.Equals(SnatAddresses[0]) && rng.Next(100) < 25)
            {
                spec = spec with { Last = SnatAddresses[1] };
            }
            if (spec.Kind == NatRuleKind.Masquerade)
            {
                spec = spec with { Random = rng.Next(100) < 20 };
            }
            if (spec.Build() is NatRule rule)
            {
                return rule;
            }
            if (attempt > 100)
            {
                throw new InvalidOperationException("the rule space builds no valid rule");
            }
        }
    }

    /// <summary>The same identity with other options, when the rule has options to change; the rule itself otherwise.</summary>
    public static NatRule OtherOptions(Random rng, NatRule rule)
    {
        RuleSpec spec = RuleSpec.Of(rule);
        for (int attempt = 0; attempt < 20; attempt++)
        {
            RuleSpec other = spec.Kind switch
            {
                NatRuleKind.Dnat => spec with
                {
                    Address = Targets.Where(t => t.AddressFamily == spec.Address!.AddressFamily).ElementAt(rng.Next(Targets.Count(t => t.AddressFamily == spec.Address!.AddressFamily))),
                    ToPorts = spec.Ports is null ? null : Pick(rng, TargetPorts),
                    Masquerade = rng.Next(2) == 0,
                    Hairpin = rng.Next(4) == 0,
                    Local = rng.Next(3) == 0,
                    Persistent = false,
                    Random = false,
                },
                NatRuleKind.Redirect => spec with { ToPort = rng.Next(2) == 0 ? 8080 : 8081, Local = rng.Next(2) == 0 },
                NatRuleKind.Tproxy => spec with { Mark = spec.Mark == 1 ? 2u : 1u },
                NatRuleKind.Snat => spec with
                {
                    Address = SnatAddresses.Where(a => a.AddressFamily == spec.Address!.AddressFamily).ElementAt(rng.Next(2)),
                    Last = null,
                },
                _ => spec with { Random = rng.Next(2) == 0, FullyRandom = rng.Next(2) == 0 },
            };
            if (other.Build() is NatRule built && built.ToString() != rule.ToString())
            {
                return built;
            }
        }
        return rule;
    }

    /// <summary>A rule of another identity whose claim is likely to meet this one's: one dimension of the match (or the kind) moved to a neighbouring value.</summary>
    public static NatRule Neighbour(Random rng, NatRule rule)
    {
        RuleSpec spec = RuleSpec.Of(rule);
        for (int attempt = 0; attempt < 20; attempt++)
        {
            RuleSpec other = rng.Next(8) switch
            {
                0 => spec with { Ports = Pick(rng, Ports) ?? PortRange.Single(80) },
                1 => spec with { Protocol = Pick(rng, Protocols) },
                2 => spec.Kind switch
                {
                    NatRuleKind.Redirect => rng.Next(2) == 0
                        ? spec with { Kind = NatRuleKind.Dnat, Address = Pick(rng, Targets) }
                        : spec with { Kind = NatRuleKind.Tproxy, Address = Pick(rng, TproxyAddresses), ToPort = 8443 },
                    NatRuleKind.Dnat => rng.Next(2) == 0
                        ? spec with { Kind = NatRuleKind.Redirect, Address = null, Ports = spec.Ports ?? PortRange.Single(80), ToPort = 8080 }
                        : spec with { Kind = NatRuleKind.Tproxy, Address = Pick(rng, TproxyAddresses), Ports = spec.Ports ?? PortRange.Single(80), ToPort = 8443 },
                    NatRuleKind.Tproxy => spec with { Kind = NatRuleKind.Redirect, Address = null, ToPort = 8080 },
                    NatRuleKind.Snat => spec with { Kind = NatRuleKind.Masquerade, Address = null },
                    _ => spec with { Kind = NatRuleKind.Snat, Address = SnatAddresses[rng.Next(SnatAddresses.Length)] },
                },
                3 => spec with { InputInterface = Pick(rng, Interfaces) },
                4 => spec with { Sources = Pick(rng, SourceSets) },
                5 => spec with { Destination = Pick(rng, Destinations) },
                6 => spec with { OutputInterface = Pick(rng, OutputInterfaces) },
                // The same target told apart by the input interface only.
                _ => spec with { InputInterface = spec.InputInterface is null ? "lan" : spec.InputInterface == "lan" ? "lan2" : null },
            };
            if (other.Build() is NatRule built && ModelRule.Of(built).Identity != ModelRule.Of(rule).Identity)
            {
                return built;
            }
        }
        return Fresh(rng);
    }

    private static T Pick<T>(Random rng, T[] values) => values[rng.Next(values.Length)];
}

/// <summary>Every field any typed rule has, so that the generator can move one of them and build again (null when a constructor refuses).</summary>
internal sealed record RuleSpec
{
    public NatRuleKind Kind { get; init; }
    public TransportProtocol Protocol { get; init; } = TransportProtocol.Tcp;
    public PortRange? Ports { get; init; }
    /// <summary>A forward's target, a tproxy listener's address, snat's address.</summary>
    public IPAddress? Address { get; init; }
    public IPAddress? Last { get; init; }
    public PortRange? ToPorts { get; init; }
    public int ToPort { get; init; } = 8080;
    public IPAddress? Destination { get; init; }
    public string? InputInterface { get; init; }
    public string? OutputInterface { get; init; }
    public IReadOnlyList<IPNetwork> Sources { get; init; } = Array.Empty<IPNetwork>();
    public bool Masquerade { get; init; }
    public bool Hairpin { get; init; }
    public bool Local { get; init; }
    public bool Persistent { get; init; }
    public bool Random { get; init; }
    public bool FullyRandom { get; init; }
    public uint Mark { get; init; } = 1;

    public static RuleSpec Of(NatRule rule) => rule switch
    {
        DnatRule d => new RuleSpec
        {
            Kind = NatRuleKind.Dnat,
            Protocol = d.Protocol,
            Ports = d.Ports,
            Address = d.ToAddress,
            ToPorts = d.ToPorts,
            Destination = d.Destination,
            InputInterface = d.InputInterface,
            Sources = d.Sources,
            Masquerade = d.Masquerade,
            Hairpin = d.Hairpin,
            Local = d.IncludeLocal,
            Persistent = d.Persistent,
            Random = d.Random,
        },
        RedirectRule r => new RuleSpec
        {
            Kind = NatRuleKind.Redirect,
            Protocol = r.Protocol,
            Ports = r.Ports,
            ToPort = r.ToPort,
            Destination = r.Destination,
            InputInterface = r.InputInterface,
            Sources = r.Sources,
            Local = r.IncludeLocal,
        },
        TproxyRule t => new RuleSpec { Kind = NatRuleKind.Tproxy, Protocol = t.Protocol, Ports = t.Ports, ToPort = t.ToPort, Mark = t.Mark, Address = t.ToAddress },
        SnatRule s => new RuleSpec { Kind = NatRuleKind.Snat, Address = s.ToAddress, Last = s.ToAddressLast, OutputInterface = s.OutputInterface, Sources = s.Sources },
        MasqueradeRule m => new RuleSpec { Kind = NatRuleKind.Masquerade, OutputInterface = m.OutputInterface, Sources = m.Sources, Random = m.Random, FullyRandom = m.FullyRandom },
        _ => throw new ArgumentException($"unknown rule type {rule.GetType().Name}", nameof(rule)),
    };

    public NatRule? Build()
    {
        try
        {
            return Kind switch
            {
                NatRuleKind.Dnat => Address is null ? null : new DnatRule(Protocol, Ports, Address, ToPorts, Destination, InputInterface, Sources, Persistent, Random, Masquerade, Hairpin, Local),
                NatRuleKind.Redirect => Ports is PortRange p ? new RedirectRule(Protocol, p, ToPort, Destination, InputInterface, Sources, Local) : null,
                NatRuleKind.Tproxy => Ports is PortRange q ? new TproxyRule(Protocol, q, ToPort, Mark, Address) : null,
                NatRuleKind.Snat => Address is null ? null : new SnatRule(Address, Last, OutputInterface, Sources),
                _ => new MasqueradeRule(OutputInterface, Sources, Random, FullyRandom),
            };
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
