using System.Collections.Generic;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables;

/// <summary>
/// A consistent copy of the whole ruleset (or one family's): every table, chain, set with its
/// elements, rule, stateful object and flowtable, all read at the same <see cref="Generation"/>.
/// </summary>
public sealed class Ruleset
{
    internal Ruleset(uint generation, IReadOnlyList<Table> tables, IReadOnlyList<Chain> chains, IReadOnlyList<Set> sets, IReadOnlyDictionary<(ProtocolFamily, string, string), IReadOnlyList<SetElement>> elements, IReadOnlyList<Rule> rules,
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
    public IReadOnlyDictionary<(ProtocolFamily Family, string Table, string Set), IReadOnlyList<SetElement>> Elements { get; }

    /// <summary>The rules, in kernel order (chain by chain).</summary>
    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>The stateful objects (counters, quotas, limits, ct helpers, ...), in kernel order.</summary>
    public IReadOnlyList<NftObject> Objects { get; }

    /// <summary>The flowtables, in kernel order.</summary>
    public IReadOnlyList<Flowtable> Flowtables { get; }

    /// <summary>The elements of <paramref name="set"/>, or an empty list.</summary>
    public IReadOnlyList<SetElement> ElementsOf(Set set) =>
        Elements.TryGetValue((set.Family, set.Table, set.Name), out IReadOnlyList<SetElement>? list) ? list : System.Array.Empty<SetElement>();
}
