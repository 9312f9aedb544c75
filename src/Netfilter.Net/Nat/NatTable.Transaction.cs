using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

public sealed partial class NatTable
{
    /// <summary>What one attempt of a change decided: the transaction to send (empty: nothing to do), its result, and what to do once it landed.</summary>
    private sealed record Plan<T>(NfTablesTransaction Transaction, T Result, Func<CancellationToken, Task>? Committed = null);

    /// <summary>
    /// Runs a change as one transaction with a generation check: <paramref name="plan"/> reads the
    /// kernel and builds the transaction with <see cref="NfTablesTransaction.ExpectedGeneration"/>
    /// set to a generation read before everything it read; when another writer changed the ruleset
    /// in between, the kernel refuses the commit and the change is read again, up to
    /// <see cref="NatTableOptions.ApplyAttempts"/> times. Without <paramref name="commit"/> it
    /// stops after the first plan and sends nothing (a dry run).
    /// </summary>
    private async Task<(T Result, int Attempts, bool Sent)> TransactAsync<T>(string operation, Func<CancellationToken, Task<Plan<T>>> plan, CancellationToken cancellationToken, bool commit = true)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                Plan<T> p = await plan(cancellationToken).ConfigureAwait(false);
                if (p.Transaction.Count == 0 || !commit)
                {
                    return (p.Result, attempt, false);
                }
                if (p.Transaction.ExpectedGeneration is null)
                {
                    throw new InvalidOperationException("every NAT table change is committed with a generation check");
                }
                if (_options.BeforeCommit is { } beforeCommit)
                {
                    await beforeCommit(cancellationToken).ConfigureAwait(false);
                }
                try
                {
                    await _client.CommitAsync(p.Transaction, cancellationToken).ConfigureAwait(false);
                }
                catch (NfTablesGenerationException) when (attempt < _options.ApplyAttempts)
                {
                    if (_logger is not null)
                    {
                        NatLog.Retry(_logger, Name, operation, attempt, _options.ApplyAttempts);
                    }
                    continue;
                }
                if (p.Committed is not null)
                {
                    await p.Committed(cancellationToken).ConfigureAwait(false);
                }
                return (p.Result, attempt, true);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Throws for a table that is not ours.</summary>
    private static void RefuseForeign(NatTableContents contents)
    {
        if (contents.Ownership == NatTableOwnership.Foreign)
        {
            throw new NatTableNotOwnedException(contents.Table, contents.NotOwnedMessage!);
        }
    }

    /// <summary>The table with its ownership marker (and the owner flag when the table belongs to this process).</summary>
    private Table TableDefinition() => new(NetfilterFamily.Inet, Name)
    {
        Flags = _options.Lifetime == NatTableLifetime.OwnedByProcess ? TableFlags.Owner : TableFlags.None,
        UserData = UserData.Comment(NatTableLayout.OwnerComment(Name)),
    };

    /// <summary>
    /// Adds to <paramref name="tx"/> what the layout lacks: the table itself, missing chains and
    /// sets, and the fixed rules of base chains that are missing or changed (flushed and written
    /// again). Returns what it repaired, in words.
    /// </summary>
    private List<string> AddLayout(NfTablesTransaction tx, NatTableContents contents)
    {
        var repaired = new List<string>();
        if (!contents.Exists)
        {
            tx.AddTable(TableDefinition());
            repaired.Add($"created table inet {Name} (layout {NatTableLayout.Version})");
        }
        foreach (Chain chain in contents.MissingChains)
        {
            tx.AddChain(chain);
        }
        foreach (Set set in contents.MissingSets)
        {
            tx.AddSet(set);
        }
        var missingChains = new HashSet<string>(contents.MissingChains.Select(c => c.Name), StringComparer.Ordinal);
        foreach (string chain in contents.BaseChainsToRebuild)
        {
            tx.FlushChain(NetfilterFamily.Inet, Name, chain);
        }
        foreach (Rule rule in NatTableLayout.RuleDefinitions(Name))
        {
            if (missingChains.Contains(rule.Chain) || contents.BaseChainsToRebuild.Contains(rule.Chain))
            {
                tx.AddRule(rule);
            }
        }
        if (contents.Exists)
        {
            repaired.AddRange(contents.LayoutProblems.Select(p => "repaired: " + p));
        }
        return repaired;
    }

    /// <summary>
    /// Replaces the table, in one transaction, with a new one in the current layout holding exactly
    /// <paramref name="rules"/>: how a table in an earlier layout (1 or 2) is migrated and a damaged layout repaired.
    /// </summary>
    private void Rebuild(NfTablesTransaction tx, NatTableContents contents, IEnumerable<CompiledNatRule> rules)
    {
        if (contents.Exists)
        {
            tx.DeleteTable(NetfilterFamily.Inet, Name);
        }
        tx.AddTable(TableDefinition());
        foreach (Chain chain in NatTableLayout.ChainDefinitions(Name))
        {
            tx.AddChain(chain);
        }
        foreach (Set set in NatTableLayout.SetDefinitions(Name))
        {
            tx.AddSet(set);
        }
        foreach (Rule rule in NatTableLayout.RuleDefinitions(Name))
        {
            tx.AddRule(rule);
        }
        var elements = new List<(string, SetElement)>();
        foreach (CompiledNatRule compiled in rules)
        {
            foreach (Rule rule in compiled.Rules)
            {
                tx.AddRule(rule);
            }
            elements.AddRange(compiled.Elements);
        }
        AddElements(tx, elements);
    }

    /// <summary>What a rebuild says it did.</summary>
    private List<string> RebuildReason(NatTableContents contents) => contents.Ownership == NatTableOwnership.Legacy
        ? new List<string> { $"migrated table inet {Name} from layout {contents.LayoutVersion} to layout {NatTableLayout.Version}" }
        : new List<string> { $"rebuilt table inet {Name}: {string.Join(", ", contents.Damaged)} did not match the layout" };

    /// <summary>
    /// The changes that turn what the kernel holds into exactly <paramref name="want"/> (deletes
    /// first, then adds), collected into <paramref name="changes"/>. Found pieces that match are
    /// left alone.
    /// </summary>
    private static void Diff(NatFoundRule? found, CompiledNatRule? want, Changes changes)
    {
        // A rule on one side only (every rule of a first apply, every removed one) has nothing to
        // match: its pieces are written or deleted as they are, without building the lookups below
        // (a dictionary, a set and a list per rule: 30,000 of them for a first apply of 10,000).
        if (found is null)
        {
            if (want is not null)
            {
                changes.AddElements.AddRange(want.Elements);
                changes.AddRules.AddRange(want.Rules);
            }
            return;
        }
        if (want is null)
        {
            changes.DeleteElements.AddRange(found.Elements);
            changes.DeleteRules.AddRange(found.Rules);
            return;
        }
        var wantedElements = new Dictionary<(string, NftData), SetElement>();
        if (want is not null)
        {
            foreach ((string set, SetElement element) in want.Elements)
            {
                wantedElements[(set, element.Key)] = element;
            }
        }
        var kept = new HashSet<(string, NftData)>();
        var wantedRules = want is null ? new List<Rule>() : new List<Rule>(want.Rules);
        if (found is not null)
        {
            foreach ((string set, SetElement element) in found.Elements)
            {
                if (wantedElements.TryGetValue((set, element.Key), out SetElement? w) && Equals(w.Data, element.Data) && kept.Add((set, element.Key)))
                {
                    continue;
                }
                changes.DeleteElements.Add((set, element));
            }
            foreach (Rule rule in found.Rules)
            {
                string text = NatTableReader.Text(rule);
                int match = wantedRules.FindIndex(r => r.Chain == rule.Chain && NatTableReader.Text(r) == text);
                if (match >= 0)
                {
                    wantedRules.RemoveAt(match);
                }
                else
                {
                    changes.DeleteRules.Add(rule);
                }
            }
        }
        if (want is not null)
        {
            foreach ((string set, SetElement element) in want.Elements)
            {
                if (!kept.Contains((set, element.Key)))
                {
                    changes.AddElements.Add((set, element));
                }
            }
            changes.AddRules.AddRange(wantedRules);
        }
    }

    /// <summary>Pieces to delete and to add, written into a transaction in an order the kernel accepts.</summary>
    private sealed class Changes
    {
        public List<Rule> DeleteRules { get; } = new();

        public List<(string Set, SetElement Element)> DeleteElements { get; } = new();

        public List<Chain> DeleteChains { get; } = new();

        public List<Set> DeleteSets { get; } = new();

        public List<(string Set, SetElement Element)> AddElements { get; } = new();

        public List<Rule> AddRules { get; } = new();

        public bool IsEmpty => DeleteRules.Count == 0 && DeleteElements.Count == 0 && DeleteChains.Count == 0 && DeleteSets.Count == 0 && AddElements.Count == 0 && AddRules.Count == 0;
    }

    /// <summary>
    /// Writes <paramref name="changes"/> after the layout repairs already in <paramref name="tx"/>:
    /// deleted rules (not those of chains the layout repair flushes), foreign chains and sets,
    /// deleted elements, then the new elements and rules.
    /// </summary>
    private void Write(NfTablesTransaction tx, Changes changes, NatTableContents contents)
    {
        var flushed = new HashSet<string>(contents.BaseChainsToRebuild, StringComparer.Ordinal);
        var dropped = new HashSet<string>(changes.DeleteChains.Select(c => c.Name), StringComparer.Ordinal);
        foreach (Rule rule in changes.DeleteRules)
        {
            if (!flushed.Contains(rule.Chain) && !dropped.Contains(rule.Chain))
            {
                tx.DeleteRule(NetfilterFamily.Inet, Name, rule.Chain, rule.Handle);
            }
        }
        foreach (Chain chain in changes.DeleteChains)
        {
            tx.FlushChain(NetfilterFamily.Inet, Name, chain.Name);
        }
        foreach (Chain chain in changes.DeleteChains)
        {
            tx.DeleteChain(NetfilterFamily.Inet, Name, chain.Name);
        }
        foreach (Set set in changes.DeleteSets)
        {
            tx.DeleteSet(NetfilterFamily.Inet, Name, set.Name);
        }
        // Deleting needs the key only (what nft sends); an element read back also carries read-only attributes.
        foreach (IGrouping group in Group(changes.DeleteElements.Select(e => (e.Set, new SetElement(e.Element.Key) { KeyEnd = e.Element.KeyEnd })).ToList()))
        {
            tx.DeleteElements(new Set(NetfilterFamily.Inet, Name, group.Set), group.Elements);
        }
        AddElements(tx, changes.AddElements);
        foreach (Rule rule in changes.AddRules)
        {
            tx.AddRule(rule);
        }
    }

    private void AddElements(NfTablesTransaction tx, List<(string Set, SetElement Element)> elements)
    {
        foreach (IGrouping group in Group(elements))
        {
            tx.AddElements(new Set(NetfilterFamily.Inet, Name, group.Set), group.Elements);
        }
    }

    /// <summary>Adds a foreign piece's removal to <paramref name="changes"/>.</summary>
    private static void Remove(NatForeignPiece piece, Changes changes)
    {
        if (piece.Element is (string set, SetElement element))
        {
            changes.DeleteElements.Add((set, element));
        }
        else if (piece.Rule is Rule rule)
        {
            changes.DeleteRules.Add(rule);
        }
        else if (piece.Chain is Chain chain)
        {
            changes.DeleteChains.Add(chain);
        }
        else if (piece.Set is Set s)
        {
            changes.DeleteSets.Add(s);
        }
    }

    private readonly record struct IGrouping(string Set, List<SetElement> Elements);

    /// <summary>Elements grouped by set, in first-seen order (one message per set).</summary>
    private static List<IGrouping> Group(List<(string Set, SetElement Element)> elements)
    {
        var groups = new List<IGrouping>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach ((string set, SetElement element) in elements)
        {
            if (!index.TryGetValue(set, out int i))
            {
                index[set] = i = groups.Count;
                groups.Add(new IGrouping(set, new List<SetElement>()));
            }
            groups[i].Elements.Add(element);
        }
        return groups;
    }
}
