using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

/// <summary>
/// Reads what the kernel holds for one NAT table into <see cref="NatTableContents"/>: whose table
/// it is (the comment marker), whether the layout is complete, and every piece grouped by its
/// comment into typed rules, each compared with what that rule compiles to. Pure: it works on
/// what was read (a whole-table snapshot, or the layout plus the elements a change looked up).
/// </summary>
/// <remarks>
/// A rule is whole when every piece of its compiled form is present with its comment and nothing
/// else carries that comment; partial otherwise. Rules are compared with their counters but not
/// the counters' values; elements by key and data, whatever expressions they carry (a kernel that
/// keeps no per-element counter leaves them without one). A table in an earlier layout (1 or 2)
/// is read from its pieces' comments, as the rules a migration carries over. Pieces of our chains and maps without a
/// parseable typed-rule comment, and chains or sets that are not part of the layout, are foreign.
/// A hairpin forward is compiled with the network its hairpin rules match in the kernel, so it is
/// whole whatever the host's addresses are now; given <c>connectedNetwork</c>, a whole hairpin
/// forward whose network is no longer the host's is marked stale.
/// </remarks>
internal static class NatTableReader
{
    /// <summary>Reads a snapshot of the table (<see cref="NfTablesClient.GetTableSnapshotAsync"/> or the layout one).</summary>
    public static NatTableContents Read(string table, Ruleset snapshot, Func<IPAddress, IPNetwork?>? connectedNetwork = null)
    {
        var elements = new List<(string, SetElement)>();
        foreach (Set set in snapshot.Sets)
        {
            foreach (SetElement element in snapshot.ElementsOf(set))
            {
                elements.Add((set.Name, element));
            }
        }
        return Read(table, snapshot.Generation, snapshot.Tables.FirstOrDefault(t => t.Name == table), snapshot.Chains, snapshot.Sets, elements, snapshot.Rules, connectedNetwork);
    }

    /// <summary>Reads the given pieces of the table; <paramref name="elements"/> are those that were read (all, or the ones looked up).</summary>
    public static NatTableContents Read(string table, uint generation, Table? kernelTable, IReadOnlyList<Chain> chains, IReadOnlyList<Set> sets,
        IEnumerable<(string Set, SetElement Element)> elements, IReadOnlyList<Rule> rules, Func<IPAddress, IPNetwork?>? connectedNetwork = null)
    {
        if (kernelTable is null)
        {
            var missing = new NatTableContents(table, generation, NatTableOwnership.Missing);
            missing.MissingChains.AddRange(NatTableLayout.ChainDefinitions(table));
            missing.MissingSets.AddRange(NatTableLayout.SetDefinitions(table));
            return missing;
        }
        string? comment = kernelTable.UserData.IsEmpty ? null : UserData.ReadComment(kernelTable.UserData.Span);
        int? earlier = comment == NatTableLayout.LegacyOwnerComment(table) ? 1
            : comment == NatTableLayout.OwnerComment(table, 2) ? 2
            : null;
        if (earlier is int version)
        {
            var legacy = new NatTableContents(table, generation, NatTableOwnership.Legacy) { LayoutVersion = version, TableComment = comment };
            ReadLegacy(legacy, elements, rules);
            string why = version == 1 ? "written before typed rules owned their pieces" : "written before typed rules counted what they translate";
            legacy.LayoutProblems.Add($"the table is in layout {version} ({why}): the next change migrates it to layout {NatTableLayout.Version} in one transaction");
            return legacy;
        }
        if (comment != NatTableLayout.OwnerComment(table))
        {
            return Foreign(table, generation, comment, chains);
        }
        var contents = new NatTableContents(table, generation, NatTableOwnership.Owned) { LayoutVersion = NatTableLayout.Version, TableComment = comment };
        ReadLayout(contents, chains, sets);
        ReadPieces(contents, chains, sets, elements, rules);
        foreach (NatFoundRule found in contents.Rules)
        {
            Compare(table, found);
            if (connectedNetwork is not null && found.IsWhole && found.Rule is DnatRule { Hairpin: true } hairpin)
            {
                found.IsStale = !Equals(connectedNetwork(hairpin.ToAddress), found.HairpinNetwork);
            }
        }
        return contents;
    }

    private static NatTableContents Foreign(string table, uint generation, string? comment, IReadOnlyList<Chain> chains)
    {
        int? version = null;
        string prefix = $"nfnet NAT table {table} layout ";
        if (comment is not null && comment.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(comment.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int v))
        {
            version = v;
        }
        string message;
        if (version > NatTableLayout.Version)
        {
            message = $"table inet {table} was written by a newer Netfilter.Net (layout {version}; this version knows layout {NatTableLayout.Version} and will not change it): use the newer version, or choose another table name";
        }
        else
        {
            string what = comment is null ? "it has no comment" : $"its comment is \"{comment}\"";
            string holds = chains.Count == 0
                ? "no chains"
                : string.Join(", ", chains.Select(c => NatForeignPiece.OfChain(c).Description));
            message = $"table inet {table} exists but was not made by NatTable ({what}, not \"{NatTableLayout.OwnerComment(table)}\"; it holds {holds}): "
                + $"it will not be adopted or changed. Choose another table name (the name a NatTable is created with), or delete that table (nft delete table inet {table}) if nothing needs it";
        }
        return new NatTableContents(table, generation, NatTableOwnership.Foreign) { LayoutVersion = version, TableComment = comment, NotOwnedMessage = message };
    }

    private static void ReadLegacy(NatTableContents contents, IEnumerable<(string Set, SetElement Element)> elements, IReadOnlyList<Rule> rules)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<string?> comments = rules.Select(r => r.Comment).Concat(elements.Select(e => e.Element.Comment));
        foreach (string? comment in comments)
        {
            if (comment is not null && !comment.StartsWith(NatTableLayout.LayoutCommentPrefix, StringComparison.Ordinal)
                && NatRuleParser.TryParse(comment, out NatRule? rule, out _) && rule is not null && seen.Add(rule.Text))
            {
                contents.LegacyRules.Add(rule);
            }
        }
    }

    private static void ReadLayout(NatTableContents contents, IReadOnlyList<Chain> chains, IReadOnlyList<Set> sets)
    {
        string table = contents.Table;
        var expectedChains = NatTableLayout.ChainDefinitions(table).ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (Chain want in expectedChains.Values)
        {
            Chain? have = chains.FirstOrDefault(c => c.Name == want.Name);
            if (have is null)
            {
                contents.MissingChains.Add(want);
                contents.LayoutProblems.Add($"chain {want.Name} is missing");
                contents.Lacks.Add($"chain {want.Name}");
            }
            else if (!SameChain(have, want))
            {
                contents.Damaged.Add($"chain {want.Name}");
                contents.Lacks.Add($"chain {want.Name} as the layout defines it");
                contents.LayoutProblems.Add($"chain {want.Name} is not defined as the layout defines it ({NatForeignPiece.OfChain(have).Description})");
            }
        }
        foreach (Chain chain in chains.Where(c => !expectedChains.ContainsKey(c.Name)))
        {
            contents.Foreign.Add(NatForeignPiece.OfChain(chain));
        }
        var expectedSets = NatTableLayout.SetDefinitions(table).ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (Set want in expectedSets.Values)
        {
            Set? have = sets.FirstOrDefault(s => s.Name == want.Name);
            if (have is null)
            {
                contents.MissingSets.Add(want);
                contents.LayoutProblems.Add($"{NatFoundRule.SetWord(want.Name)} {want.Name} is missing");
                contents.Lacks.Add($"{NatFoundRule.SetWord(want.Name)} {want.Name}");
            }
            else if (!SameSet(have, want))
            {
                contents.Damaged.Add($"{NatFoundRule.SetWord(want.Name)} {want.Name}");
                contents.Lacks.Add($"{NatFoundRule.SetWord(want.Name)} {want.Name} with the layout's key and data types");
                contents.LayoutProblems.Add($"{NatFoundRule.SetWord(want.Name)} {want.Name} does not have the layout's key and data types");
            }
        }
        foreach (Set set in sets.Where(s => !expectedSets.ContainsKey(s.Name)))
        {
            contents.Foreign.Add(NatForeignPiece.OfSet(set));
        }
    }

    private static void ReadPieces(NatTableContents contents, IReadOnlyList<Chain> chains, IReadOnlyList<Set> sets,
        IEnumerable<(string Set, SetElement Element)> elements, IReadOnlyList<Rule> rules)
    {
        string table = contents.Table;
        var groups = new Dictionary<string, NatFoundRule>(StringComparer.Ordinal);
        var parsed = new Dictionary<string, NatRule?>(StringComparer.Ordinal);
        NatFoundRule? Group(string? comment)
        {
            if (comment is null)
            {
                return null;
            }
            if (!parsed.TryGetValue(comment, out NatRule? rule))
            {
                parsed[comment] = rule = NatRuleParser.TryParse(comment, out NatRule? r, out _) ? r : null;
            }
            if (rule is null)
            {
                return null;
            }
            string key = rule.Text;
            if (!groups.TryGetValue(key, out NatFoundRule? found))
            {
                groups[key] = found = new NatFoundRule(rule);
                contents.Rules.Add(found);
            }
            return found;
        }

        var layoutSets = new HashSet<string>(NatTableLayout.Sets, StringComparer.Ordinal);
        foreach ((string set, SetElement element) in elements)
        {
            if (!layoutSets.Contains(set))
            {
                continue; // the foreign set itself is reported
            }
            if (Group(element.Comment) is NatFoundRule found)
            {
                found.Elements.Add((set, element));
            }
            else
            {
                contents.Foreign.Add(NatForeignPiece.OfElement(set, element));
            }
        }

        var layoutChains = new HashSet<string>(NatTableLayout.AllChains, StringComparer.Ordinal);
        var expectedLayout = NatTableLayout.RuleDefinitions(table).GroupBy(r => r.Chain).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var layoutFound = new Dictionary<string, List<Rule>>(StringComparer.Ordinal);
        foreach (Rule rule in rules)
        {
            if (!layoutChains.Contains(rule.Chain))
            {
                continue; // the foreign chain itself is reported
            }
            string? comment = rule.Comment;
            if (comment is not null && comment.StartsWith(NatTableLayout.LayoutCommentPrefix, StringComparison.Ordinal) && expectedLayout.ContainsKey(rule.Chain))
            {
                if (!layoutFound.TryGetValue(rule.Chain, out List<Rule>? list))
                {
                    layoutFound[rule.Chain] = list = new List<Rule>();
                }
                list.Add(rule);
                continue;
            }
            if (Group(comment) is NatFoundRule found)
            {
                found.Rules.Add(rule);
            }
            else
            {
                contents.Foreign.Add(NatForeignPiece.OfRule(rule));
            }
        }
        foreach ((string chain, List<Rule> expected) in expectedLayout)
        {
            if (!chains.Any(c => c.Name == chain))
            {
                continue; // a missing chain is created with its rules
            }
            List<Rule> found = layoutFound.TryGetValue(chain, out List<Rule>? f) ? f : new List<Rule>();
            if (found.Select(Text).SequenceEqual(expected.Select(Text), StringComparer.Ordinal)
                && found.Select(r => r.Comment).SequenceEqual(expected.Select(r => r.Comment), StringComparer.Ordinal))
            {
                continue;
            }
            contents.BaseChainsToRebuild.Add(chain);
            var missing = expected.Where(e => !found.Any(r => r.Comment == e.Comment && Text(r) == Text(e))).ToList();
            if (missing.Count == 0)
            {
                contents.Lacks.Add($"the layout rules of chain {chain} in their order");
                contents.LayoutProblems.Add($"the layout rules of chain {chain} are out of order");
            }
            foreach (Rule rule in missing)
            {
                string what = $"rule \"{rule.Comment![(NatTableLayout.LayoutCommentPrefix.Length + 1)..]}\" in chain {chain}";
                contents.Lacks.Add(what);
                contents.LayoutProblems.Add(what + " is missing or changed");
            }
        }
    }

    /// <summary>Compiles the found rule and sorts its pieces into present, missing and unexpected.</summary>
    private static void Compare(string table, NatFoundRule found)
    {
        foreach (Rule rule in found.Rules)
        {
            if (rule.Chain == NatTableLayout.PostForward && NatRuleCompiler.HairpinNetwork(rule) is IPNetwork network)
            {
                found.HairpinNetwork = network;
                break;
            }
        }
        NatRule typed = found.Rule;
        // Without a hairpin rule in the kernel any network will do: the hairpin rules are missing either way.
        found.Expected = NatRuleCompiler.Compile(table, typed, address => found.HairpinNetwork ?? new IPNetwork(address, address.GetAddressBytes().Length * 8));

        var expectedElements = new Dictionary<(string, NftData), SetElement>();
        foreach ((string set, SetElement element) in found.Expected.Elements)
        {
            expectedElements[(set, element.Key)] = element;
        }
        var present = new HashSet<(string, NftData)>();
        foreach ((string set, SetElement element) in found.Elements)
        {
            if (expectedElements.TryGetValue((set, element.Key), out SetElement? want) && Equals(want.Data, element.Data) && present.Add((set, element.Key)))
            {
                continue;
            }
            found.UnexpectedElements.Add((set, element));
        }
        foreach ((string set, SetElement element) in found.Expected.Elements)
        {
            if (!present.Contains((set, element.Key)))
            {
                found.MissingElements.Add((set, element));
            }
        }

        var expectedRules = new List<Rule>(found.Expected.Rules);
        foreach (Rule rule in found.Rules)
        {
            int match = expectedRules.FindIndex(r => r.Chain == rule.Chain && Text(r) == Text(rule));
            if (match >= 0)
            {
                expectedRules.RemoveAt(match);
            }
            else
            {
                found.UnexpectedRules.Add(rule);
            }
        }
        found.MissingRules.AddRange(expectedRules);
    }

    /// <summary>A rule's expressions in libnftnl's notation: what two rules are compared by.</summary>
    internal static string Text(Rule rule) => NatRuleText.Of(rule);

    private static bool SameChain(Chain have, Chain want) =>
        want.Hook is null
            ? have.Hook is null
            : have.Hook is ChainHook hook && hook.HookNumber == want.Hook.HookNumber && hook.Priority == want.Hook.Priority
              && have.Type == want.Type && (have.Policy ?? VerdictKind.Accept) == (want.Policy ?? VerdictKind.Accept);

    private static bool SameSet(Set have, Set want) =>
        have.IsMap == want.IsMap && have.KeyType == want.KeyType && have.KeyLength == want.KeyLength
        && (!want.IsMap || (have.DataType == want.DataType && have.DataLength == want.DataLength));
}
