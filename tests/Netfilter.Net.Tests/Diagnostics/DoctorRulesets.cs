using System.Net;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Routing;

namespace Netfilter.Net.Tests.Diagnostics;

/// <summary>
/// Builds rulesets as the kernel would dump them, without a kernel: a NAT table exactly as
/// NatTable writes it (the layout plus each typed rule compiled by NatRuleCompiler), plus any
/// other tables a test adds. Handles are numbered in order, as the kernel does.
/// </summary>
internal sealed class DoctorRulesets
{
    private readonly List<Table> _tables = new();
    private readonly List<Chain> _chains = new();
    private readonly List<Set> _sets = new();
    private readonly Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>> _elements = new();
    private readonly List<Rule> _rules = new();
    private ulong _handle = 1;

    /// <summary>Our table "nfnet" holding <paramref name="rules"/>, laid out as NatTable lays it out.</summary>
    public DoctorRulesets WithNatTable(params NatRule[] rules) => WithNatTable("nfnet", rules);

    public DoctorRulesets WithNatTable(string table, params NatRule[] rules)
    {
        // With NatTable's ownership marker, as NatTable creates it.
        _tables.Add(new Table(NetfilterFamily.Inet, table) { UserData = UserData.Comment(NatTableLayout.OwnerComment(table)) });
        _chains.AddRange(NatTableLayout.ChainDefinitions(table));
        var elements = new Dictionary<string, List<SetElement>>();
        foreach (Set set in NatTableLayout.SetDefinitions(table))
        {
            _sets.Add(set);
            elements[set.Name] = new List<SetElement>();
        }
        var compiledRules = new List<Rule>();
        foreach (NatRule rule in rules)
        {
            // Hairpin needs the connected network; these tests put servers in 10.0.2.0/24.
            CompiledNatRule compiled = NatRuleCompiler.Compile(table, rule, _ => IPNetwork.Parse("10.0.2.0/24"));
            compiledRules.AddRange(compiled.Rules);
            foreach ((string set, SetElement element) in compiled.Elements)
            {
                elements[set].Add(element);
            }
        }
        foreach ((string name, List<SetElement> list) in elements)
        {
            _elements[(NetfilterFamily.Inet, table, name)] = list;
        }
        foreach (Chain chain in NatTableLayout.ChainDefinitions(table))
        {
            foreach (Rule rule in NatTableLayout.RuleDefinitions(table).Concat(compiledRules).Where(r => r.Chain == chain.Name))
            {
                AddRule(rule);
            }
        }
        return this;
    }

    /// <summary>Another table with one base chain and its rules (each a list of expressions).</summary>
    public DoctorRulesets WithBaseChain(NetfilterFamily family, string table, string chain, uint hook, int priority, string type = "filter", VerdictKind policy = VerdictKind.Accept, params NftExpression[][] rules)
    {
        if (!_tables.Any(t => t.Family == family && t.Name == table))
        {
            _tables.Add(new Table(family, table));
        }
        _chains.Add(new Chain(family, table, chain) { Hook = new ChainHook(hook, priority), Type = type, Policy = policy });
        foreach (NftExpression[] expressions in rules)
        {
            AddRule(new Rule(family, table, chain, expressions));
        }
        return this;
    }

    /// <summary>A regular chain (reached by jump or goto).</summary>
    public DoctorRulesets WithRegularChain(NetfilterFamily family, string table, string chain, params NftExpression[][] rules)
    {
        _chains.Add(new Chain(family, table, chain));
        foreach (NftExpression[] expressions in rules)
        {
            AddRule(new Rule(family, table, chain, expressions));
        }
        return this;
    }

    public DoctorRulesets WithSet(Set set, params SetElement[] elements)
    {
        _sets.Add(set);
        _elements[(set.Family, set.Table, set.Name)] = elements;
        return this;
    }

    private void AddRule(Rule rule) => _rules.Add(rule with { Handle = _handle++ });

    public Ruleset Build() => new(1, _tables.ToList(), _chains.ToList(), _sets.ToList(), new Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>>(_elements), _rules.ToList());

    /// <summary>Facts for our table "nfnet" over this ruleset, read back the way the doctor reads it.</summary>
    public DoctorFacts Facts(Func<DoctorFacts, DoctorFacts>? adjust = null, string table = "nfnet")
    {
        Ruleset ruleset = Build();
        (bool exists, List<NatRule> rules, List<string> missing, NatTableReport report) = DoctorFactsReader.ReadTable(ruleset, table);
        var facts = new DoctorFacts(table, ruleset)
        {
            NamespaceName = "router",
            TableExists = exists,
            Rules = rules,
            MissingLayout = missing,
            TableReport = report,
            Forwarding = new global::Netfilter.Net.Sysctl.ForwardingStatus(true, true),
        };
        return adjust is null ? facts : adjust(facts);
    }

    // Expression helpers, each with the line nft --debug=netlink prints for it.

    /// <summary>[ meta load l4proto => reg 1 ] [ cmp eq reg 1 P ]</summary>
    public static NftExpression[] L4Proto(byte protocol) => new NftExpression[]
    {
        MetaExpression.Load(MetaKey.L4Proto, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(protocol)),
    };

    /// <summary>[ payload load 2b @ transport header + 2 => reg 1 ] [ cmp eq reg 1 PORT ]</summary>
    public static NftExpression[] DestinationPort(ushort port) => new NftExpression[]
    {
        PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort(port)),
    };

    /// <summary>[ payload load 4b @ network header + 12 => reg 1 ] [ cmp eq reg 1 ADDR ] (ip saddr in an ip table)</summary>
    public static NftExpression[] SourceAddress(string address) => new NftExpression[]
    {
        PayloadExpression.Load(PayloadBase.Network, 12, 4, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromIPAddress(IPAddress.Parse(address))),
    };

    public static NftExpression Verdict(global::Netfilter.Net.NfTables.Verdict verdict) => new ImmediateExpression(verdict);

    /// <summary>An iptables-nft xtables target, as the kernel dumps it: NFTA_TARGET_NAME, NFTA_TARGET_REV, NFTA_TARGET_INFO.</summary>
    public static NftExpression XtTarget(string name)
    {
        using var writer = new NetlinkWriter(64);
        writer.WriteStringZ(1, name);
        writer.WriteUInt32BigEndian(2, 0);
        writer.WriteBytes(3, new byte[8]);
        return ExpressionRegistry.Decode("target", writer.WrittenSpan);
    }

    public static NftExpression[] Concat(params NftExpression[][] parts) => parts.SelectMany(p => p).ToArray();

    public static RouteLookup Route(string target, string oif, string? gateway = null, string source = "10.0.2.1") =>
        new(IPAddress.Parse(target), RouteType.Unicast, 3, oif, gateway is null ? null : IPAddress.Parse(gateway), IPAddress.Parse(source));

    public static RouteLookup LocalRoute(string target) => new(IPAddress.Parse(target), RouteType.Local, 1, "lo", null, IPAddress.Parse(target));
}
