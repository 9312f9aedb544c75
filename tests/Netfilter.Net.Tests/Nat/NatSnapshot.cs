using System.Net;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Tests.Nat;

/// <summary>
/// A NAT table as the kernel would dump it, built without a kernel: the layout plus each typed
/// rule compiled, with handles numbered in order; then edited the way a person with nft would.
/// </summary>
internal sealed class NatSnapshot
{
    private readonly string _table;
    private readonly List<Chain> _chains = new();
    private readonly List<Set> _sets = new();
    private readonly Dictionary<string, List<SetElement>> _elements = new(StringComparer.Ordinal);
    private readonly List<Rule> _rules = new();
    private ulong _handle = 1;
    private Table? _kernelTable;

    public NatSnapshot(string table = "t", string? comment = null, Func<IPAddress, IPNetwork?>? connectedNetwork = null, params NatRule[] rules)
    {
        _table = table;
        _kernelTable = new Table(NetfilterFamily.Inet, table) { UserData = UserData.Comment(comment ?? NatTableLayout.OwnerComment(table)) };
        _chains.AddRange(NatTableLayout.ChainDefinitions(table));
        foreach (Set set in NatTableLayout.SetDefinitions(table))
        {
            _sets.Add(set);
            _elements[set.Name] = new List<SetElement>();
        }
        var compiledRules = new List<Rule>();
        foreach (NatRule rule in rules)
        {
            CompiledNatRule compiled = NatRuleCompiler.Compile(table, rule, connectedNetwork ?? NatRuleSpace.ConnectedNetwork);
            compiledRules.AddRange(compiled.Rules);
            foreach ((string set, SetElement element) in compiled.Elements)
            {
                _elements[set].Add(element);
            }
        }
        foreach (Chain chain in NatTableLayout.ChainDefinitions(table))
        {
            foreach (Rule rule in NatTableLayout.RuleDefinitions(table).Concat(compiledRules).Where(r => r.Chain == chain.Name))
            {
                AddRule(rule);
            }
        }
    }

    public Ruleset Build() => new(7,
        _kernelTable is null ? new List<Table>() : new List<Table> { _kernelTable },
        _kernelTable is null ? new List<Chain>() : _chains.ToList(),
        _kernelTable is null ? new List<Set>() : _sets.ToList(),
        _kernelTable is null ? new Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>>() : _elements.ToDictionary(p => (NetfilterFamily.Inet, _table, p.Key), p => (IReadOnlyList<SetElement>)p.Value.ToList()),
        _kernelTable is null ? new List<Rule>() : _rules.ToList());

    public NatTableContents Read(Func<IPAddress, IPNetwork?>? connectedNetwork = null) => NatTableReader.Read(_table, Build(), connectedNetwork);

    public NatSnapshot WithoutTable()
    {
        _kernelTable = null;
        return this;
    }

    /// <summary>nft delete element inet t SET { KEY } for the element whose text is <paramref name="text"/>.</summary>
    public NatSnapshot DeleteElement(string set, string text)
    {
        _elements[set].RemoveAll(e => NatElementText.Format(set, e) == text).Should().Be(1, $"{text} is in {set}");
        return this;
    }

    /// <summary>nft add element inet t SET { ... } [comment "..."].</summary>
    public NatSnapshot AddElement(string set, SetElement element)
    {
        _elements[set].Add(element);
        return this;
    }

    /// <summary>nft delete rule inet t CHAIN handle H, for the rules of <paramref name="chain"/> that match.</summary>
    public NatSnapshot DeleteRules(string chain, Func<Rule, bool> which)
    {
        _rules.RemoveAll(r => r.Chain == chain && which(r)).Should().BeGreaterThan(0);
        return this;
    }

    public NatSnapshot AddRule(Rule rule)
    {
        _rules.Add(rule with { Handle = _handle++ });
        return this;
    }

    public NatSnapshot AddChain(Chain chain)
    {
        _chains.Add(chain);
        return this;
    }

    public NatSnapshot ReplaceSet(Set set)
    {
        _sets.RemoveAll(s => s.Name == set.Name);
        _sets.Add(set);
        return this;
    }

    /// <summary>
    /// What the kernel dumps after traffic: every counter, in elements and rules, holding
    /// <paramref name="packets"/> and <paramref name="bytes"/>.
    /// </summary>
    public NatSnapshot Counted(ulong packets, ulong bytes)
    {
        NftExpression Fill(NftExpression e) => e is CounterExpression ? new CounterExpression(packets, bytes) : e;
        foreach (List<SetElement> elements in _elements.Values)
        {
            for (int i = 0; i < elements.Count; i++)
            {
                if (elements[i].Expressions is { } expressions)
                {
                    elements[i] = elements[i] with { Expressions = expressions.Select(Fill).ToList() };
                }
            }
        }
        for (int i = 0; i < _rules.Count; i++)
        {
            _rules[i] = _rules[i] with { Expressions = _rules[i].Expressions.Select(Fill).ToList() };
        }
        return this;
    }

    /// <summary>What a kernel that keeps no per-element counter dumps (before Linux 5.7): elements without expressions.</summary>
    public NatSnapshot WithoutElementCounters()
    {
        foreach (List<SetElement> elements in _elements.Values)
        {
            for (int i = 0; i < elements.Count; i++)
            {
                elements[i] = elements[i] with { Expressions = null };
            }
        }
        return this;
    }

    public static NftExpression[] AcceptTcp(ushort port) => new NftExpression[]
    {
        MetaExpression.Load(MetaKey.L4Proto, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(6)),
        PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort(port)),
        new ImmediateExpression(Verdict.Accept),
    };
}
