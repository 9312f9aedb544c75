using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables;

/// <summary>
/// Receives a ruleset part by part, in the order a transaction can recreate it: for each table,
/// the table, its chains, its stateful objects, its flowtables, its sets (each followed by its
/// elements and <see cref="EndSet"/>), its rules in chain order, then <see cref="EndTable"/>.
/// The whole walk is framed by <see cref="BeginRuleset"/> and <see cref="EndRuleset"/>.
/// </summary>
/// <remarks>
/// <para>
/// Sources: <see cref="NfTablesClient.ReadRulesetAsync"/> streams what the kernel holds,
/// <see cref="RulesetDocument.ReadAsync(System.IO.Stream, RulesetVisitor, RulesetDocumentReadOptions?, CancellationToken)"/>
/// streams a saved document, and <see cref="Ruleset.Accept"/> walks a ruleset in memory. None of them
/// holds more than the part being visited (and the set list of one table), so a visitor that
/// writes as it receives runs in memory that does not grow with the ruleset.
/// </para>
/// <para>
/// Override only what you need; every method does nothing by default. A visitor that writes
/// to a stream buffers in its <c>Visit*</c> methods and writes the buffer out in
/// <see cref="FlushAsync"/>, which the sources call every few hundred parts and at the end.
/// </para>
/// </remarks>
public abstract class RulesetVisitor
{
    /// <summary>Initializes the visitor.</summary>
    protected RulesetVisitor()
    {
    }

    /// <summary>The walk starts; <paramref name="generation"/> is the ruleset generation it reads (0 when unknown).</summary>
    public virtual void BeginRuleset(uint generation)
    {
    }

    /// <summary>A table; its chains, objects, flowtables, sets and rules follow, then <see cref="EndTable"/>.</summary>
    public virtual void VisitTable(Table table)
    {
    }

    /// <summary>A chain of the current table.</summary>
    public virtual void VisitChain(Chain chain)
    {
    }

    /// <summary>A stateful object (counter, quota, limit, ct helper, ...) of the current table.</summary>
    public virtual void VisitObject(NftObject obj)
    {
    }

    /// <summary>A flowtable of the current table.</summary>
    public virtual void VisitFlowtable(Flowtable flowtable)
    {
    }

    /// <summary>A set or map of the current table; its elements follow, then <see cref="EndSet"/>.</summary>
    public virtual void VisitSet(Set set)
    {
    }

    /// <summary>An element of <paramref name="set"/>.</summary>
    public virtual void VisitElement(Set set, SetElement element)
    {
    }

    /// <summary>The last element of <paramref name="set"/> has been visited.</summary>
    public virtual void EndSet(Set set)
    {
    }

    /// <summary>A rule of the current table, in chain order.</summary>
    public virtual void VisitRule(Rule rule)
    {
    }

    /// <summary>Everything of <paramref name="table"/> has been visited.</summary>
    public virtual void EndTable(Table table)
    {
    }

    /// <summary>The walk is complete.</summary>
    public virtual void EndRuleset()
    {
    }

    /// <summary>Writes out what the visitor buffered; called every few hundred parts and after <see cref="EndRuleset"/>.</summary>
    /// <param name="cancellationToken">Stops the write.</param>
    public virtual ValueTask FlushAsync(CancellationToken cancellationToken) => default;
}
