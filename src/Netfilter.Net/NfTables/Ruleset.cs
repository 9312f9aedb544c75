using System;
using System.Collections.Generic;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables;

/// <summary>
/// A consistent copy of the whole ruleset (or one family's): every table, chain, set with its
/// elements, rule, stateful object and flowtable, all read at the same <see cref="Generation"/>.
/// </summary>
public sealed class Ruleset
{
    internal Ruleset(uint generation, IReadOnlyList<Table> tables, IReadOnlyList<Chain> chains, IReadOnlyList<Set> sets, IReadOnlyDictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>> elements, IReadOnlyList<Rule> rules,
        IReadOnlyList<NftObject>? objects = null, IReadOnlyList<Flowtable>? flowtables = null)
    {
        Generation = generation;
        Tables = tables;
        Chains = chains;
        Sets = sets;
        Elements = elements;
        Rules = rules;
        Objects = objects ?? System.Array.Empty<NftObject>();
        Flowtables = flowtables ?? System.Array.Empty<Flowtable>();
    }

    /// <summary>The generation every part was read at.</summary>
    public uint Generation { get; }

    /// <summary>The tables, in kernel order.</summary>
    public IReadOnlyList<Table> Tables { get; }

    /// <summary>The chains, in kernel order.</summary>
    public IReadOnlyList<Chain> Chains { get; }

    /// <summary>The sets and maps (anonymous ones included), in kernel order.</summary>
    public IReadOnlyList<Set> Sets { get; }

    /// <summary>The elements of each set, keyed by (family, table, set).</summary>
    public IReadOnlyDictionary<(NetfilterFamily Family, string Table, string Set), IReadOnlyList<SetElement>> Elements { get; }

    /// <summary>The rules, in kernel order (chain by chain).</summary>
    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>The stateful objects (counters, quotas, limits, ct helpers, ...), in kernel order.</summary>
    public IReadOnlyList<NftObject> Objects { get; }

    /// <summary>The flowtables, in kernel order.</summary>
    public IReadOnlyList<Flowtable> Flowtables { get; }

    /// <summary>The elements of <paramref name="set"/>, or an empty list.</summary>
    public IReadOnlyList<SetElement> ElementsOf(Set set) =>
        Elements.TryGetValue((set.Family, set.Table, set.Name), out IReadOnlyList<SetElement>? list) ? list : System.Array.Empty<SetElement>();

    /// <summary>
    /// Walks the ruleset table by table, in the order a transaction can recreate it (see
    /// <see cref="RulesetVisitor"/>): <see cref="RulesetVisitor.BeginRuleset"/>, then for each
    /// table its chains, objects, flowtables, sets with their elements and rules, then
    /// <see cref="RulesetVisitor.EndRuleset"/>. <see cref="RulesetVisitor.FlushAsync"/> is not
    /// called: nothing here waits.
    /// </summary>
    /// <exception cref="InvalidOperationException">A part belongs to a table the ruleset does not list (a ruleset read from the kernel or from a document never has one).</exception>
    public void Accept(RulesetVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        Dictionary<(NetfilterFamily, string), List<Chain>> chains = ByTable(Chains, c => (c.Family, c.Table));
        Dictionary<(NetfilterFamily, string), List<NftObject>> objects = ByTable(Objects, o => (o.Family, o.Table));
        Dictionary<(NetfilterFamily, string), List<Flowtable>> flowtables = ByTable(Flowtables, f => (f.Family, f.Table));
        Dictionary<(NetfilterFamily, string), List<Set>> sets = ByTable(Sets, s => (s.Family, s.Table));
        Dictionary<(NetfilterFamily, string), List<Rule>> rules = ByTable(Rules, r => (r.Family, r.Table));
        visitor.BeginRuleset(Generation);
        foreach (Table table in Tables)
        {
            (NetfilterFamily, string) key = (table.Family, table.Name);
            visitor.VisitTable(table);
            foreach (Chain chain in Take(chains, key))
            {
                visitor.VisitChain(chain);
            }
            foreach (NftObject obj in Take(objects, key))
            {
                visitor.VisitObject(obj);
            }
            foreach (Flowtable flowtable in Take(flowtables, key))
            {
                visitor.VisitFlowtable(flowtable);
            }
            foreach (Set set in Take(sets, key))
            {
                visitor.VisitSet(set);
                foreach (SetElement element in ElementsOf(set))
                {
                    visitor.VisitElement(set, element);
                }
                visitor.EndSet(set);
            }
            foreach (Rule rule in Take(rules, key))
            {
                visitor.VisitRule(rule);
            }
            visitor.EndTable(table);
        }
        if (FirstOrphan(chains, objects, flowtables, sets, rules) is (NetfilterFamily orphanFamily, string orphanTable))
        {
            throw new InvalidOperationException($"the ruleset holds parts of table {FamilyNames.Of(orphanFamily)} {orphanTable}, which it does not list");
        }
        visitor.EndRuleset();
    }

    private static Dictionary<(NetfilterFamily, string), List<T>> ByTable<T>(IReadOnlyList<T> items, Func<T, (NetfilterFamily, string)> tableOf)
    {
        var result = new Dictionary<(NetfilterFamily, string), List<T>>();
        foreach (T item in items)
        {
            (NetfilterFamily, string) key = tableOf(item);
            if (!result.TryGetValue(key, out List<T>? list))
            {
                result[key] = list = new List<T>();
            }
            list.Add(item);
        }
        return result;
    }

    private static List<T> Take<T>(Dictionary<(NetfilterFamily, string), List<T>> byTable, (NetfilterFamily, string) key) =>
        byTable.Remove(key, out List<T>? list) ? list : new List<T>();

    /// <summary>A table that parts are left over for once every listed table took its own, or null.</summary>
    private static (NetfilterFamily, string)? FirstOrphan(params System.Collections.IDictionary[] left)
    {
        foreach (System.Collections.IDictionary byTable in left)
        {
            foreach (object key in byTable.Keys)
            {
                return ((NetfilterFamily, string))key;
            }
        }
        return null;
    }
}
