using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables.Internal.Documents;

/// <summary>Passes every part on to another visitor and counts the parts: what each ruleset source returns as its <see cref="RulesetSummary"/>.</summary>
internal sealed class CountingVisitor : RulesetVisitor
{
    private readonly RulesetVisitor _inner;
    private uint _generation;
    private int _tables, _chains, _objects, _flowtables, _sets, _rules;
    private long _elements;

    public CountingVisitor(RulesetVisitor inner) => _inner = inner;

    /// <summary>Parts visited since the last flush: the sources flush every <see cref="FlushEvery"/> parts.</summary>
    public int SinceFlush { get; private set; }

    /// <summary>How many parts a source passes on between two <see cref="RulesetVisitor.FlushAsync"/> calls.</summary>
    public const int FlushEvery = 256;

    public RulesetSummary Summary => new(_generation, _tables, _chains, _objects, _flowtables, _sets, _elements, _rules);

    public override void BeginRuleset(uint generation)
    {
        _generation = generation;
        _inner.BeginRuleset(generation);
    }

    public override void VisitTable(Table table)
    {
        _tables++;
        SinceFlush++;
        _inner.VisitTable(table);
    }

    public override void VisitChain(Chain chain)
    {
        _chains++;
        SinceFlush++;
        _inner.VisitChain(chain);
    }

    public override void VisitObject(NftObject obj)
    {
        _objects++;
        SinceFlush++;
        _inner.VisitObject(obj);
    }

    public override void VisitFlowtable(Flowtable flowtable)
    {
        _flowtables++;
        SinceFlush++;
        _inner.VisitFlowtable(flowtable);
    }

    public override void VisitSet(Set set)
    {
        _sets++;
        SinceFlush++;
        _inner.VisitSet(set);
    }

    public override void VisitElement(Set set, SetElement element)
    {
        _elements++;
        SinceFlush++;
        _inner.VisitElement(set, element);
    }

    public override void EndSet(Set set) => _inner.EndSet(set);

    public override void VisitRule(Rule rule)
    {
        _rules++;
        SinceFlush++;
        _inner.VisitRule(rule);
    }

    public override void EndTable(Table table) => _inner.EndTable(table);

    public override void EndRuleset() => _inner.EndRuleset();

    public override ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        SinceFlush = 0;
        return _inner.FlushAsync(cancellationToken);
    }

    /// <summary>Flushes when <see cref="FlushEvery"/> parts have passed since the last flush.</summary>
    public ValueTask FlushIfDueAsync(CancellationToken cancellationToken) =>
        SinceFlush >= FlushEvery ? FlushAsync(cancellationToken) : default;
}
