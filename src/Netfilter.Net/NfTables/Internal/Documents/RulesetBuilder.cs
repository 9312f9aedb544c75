using System.Collections.Generic;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables.Internal.Documents;

/// <summary>Collects what it visits into a <see cref="Ruleset"/>.</summary>
internal sealed class RulesetBuilder : RulesetVisitor
{
    private readonly List<Table> _tables = new();
    private readonly List<Chain> _chains = new();
    private readonly List<Set> _sets = new();
    private readonly Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>> _elements = new();
    private readonly List<Rule> _rules = new();
    private readonly List<NftObject> _objects = new();
    private readonly List<Flowtable> _flowtables = new();
    private List<SetElement> _current = new();
    private uint _generation;

    public Ruleset Ruleset => new(_generation, _tables, _chains, _sets, _elements, _rules, _objects, _flowtables);

    public override void BeginRuleset(uint generation) => _generation = generation;

    public override void VisitTable(Table table) => _tables.Add(table);

    public override void VisitChain(Chain chain) => _chains.Add(chain);

    public override void VisitObject(NftObject obj) => _objects.Add(obj);

    public override void VisitFlowtable(Flowtable flowtable) => _flowtables.Add(flowtable);

    public override void VisitSet(Set set)
    {
        _sets.Add(set);
        _current = new List<SetElement>();
    }

    public override void VisitElement(Set set, SetElement element) => _current.Add(element);

    public override void EndSet(Set set) => _elements[(set.Family, set.Table, set.Name)] = _current;

    public override void VisitRule(Rule rule) => _rules.Add(rule);
}
