using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

public sealed partial class NatTable
{
    /// <summary>
    /// Makes the table hold exactly <paramref name="desired"/>. It reads what the kernel holds
    /// (it does not trust memory), computes the smallest difference, and commits it as one
    /// transaction with a generation check, re-reading and retrying when someone else changed the
    /// ruleset meanwhile. Run twice with the same input, the second run sends nothing.
    /// </summary>
    /// <exception cref="ArgumentException">Two rules claim the same public port of the same protocol (or another conflict).</exception>
    /// <exception cref="NfTablesException">The kernel refused the change; nothing was applied.</exception>
    public async Task<NatApplyResult> ApplyAsync(IEnumerable<NatRule> desired, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var wanted = new List<NatRule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (NatRule rule in desired)
        {
            ArgumentNullException.ThrowIfNull(rule, nameof(desired));
            if (seen.Add(rule.ToString()))
            {
                wanted.Add(rule);
            }
        }
        NatHostInfo host = await NatHostInfo.ReadAsync(_options.Namespace, cancellationToken).ConfigureAwait(false);
        Dictionary<string, CompiledNatRule> compiled = CompileAll(wanted, host);
        List<string> warnings = host.Warnings(wanted, _options.Namespace);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                NatTableState state = await ReadStateAsync(cancellationToken).ConfigureAwait(false);
                var added = new List<NatRule>();
                var removed = new List<NatRule>();
                int unchanged = 0;
                var tx = new NfTablesTransaction { ExpectedGeneration = state.Generation };
                AddLayout(tx, state);
                foreach (NatTableState.Pieces pieces in state.Rules())
                {
                    string key = pieces.Rule.ToString();
                    if (compiled.TryGetValue(key, out CompiledNatRule? want) && IsComplete(pieces, want))
                    {
                        unchanged++;
                        continue;
                    }
                    RemovePieces(tx, pieces);
                    if (!compiled.ContainsKey(key))
                    {
                        removed.Add(pieces.Rule);
                    }
                }
                foreach (NatRule rule in wanted)
                {
                    string key = rule.ToString();
                    if (state.Found.TryGetValue(key, out NatTableState.Pieces? have) && IsComplete(have, compiled[key]))
                    {
                        continue;
                    }
                    AddPieces(tx, compiled[key]);
                    if (!state.Found.ContainsKey(key))
                    {
                        added.Add(rule);
                    }
                }
                if (tx.Count == 0)
                {
                    LogWarnings(warnings);
                    return new NatApplyResult(added, removed, unchanged, warnings, attempt);
                }
                try
                {
                    await _client.CommitAsync(tx, cancellationToken).ConfigureAwait(false);
                }
                catch (NfTablesGenerationException) when (attempt < _options.ApplyAttempts)
                {
                    if (_logger is not null)
                    {
                        NatLog.Retry(_logger, Name, attempt);
                    }
                    continue;
                }
                _layoutVerified = true;
                Log(added, removed);
                LogWarnings(warnings);
                await AfterRemovalAsync(removed, cancellationToken).ConfigureAwait(false);
                return new NatApplyResult(added, removed, unchanged, warnings, attempt);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Compiles every rule and refuses two rules that claim the same map slot.</summary>
    private Dictionary<string, CompiledNatRule> CompileAll(IReadOnlyList<NatRule> rules, NatHostInfo host)
    {
        var compiled = new Dictionary<string, CompiledNatRule>(StringComparer.Ordinal);
        var slots = new Dictionary<(string Set, string Key), NatRule>();
        foreach (NatRule rule in rules)
        {
            CompiledNatRule c = NatRuleCompiler.Compile(Name, rule, host.ConnectedNetwork);
            foreach ((string set, SetElement element) in c.Elements)
            {
                if (set is NatTableLayout.Masq4 or NatTableLayout.Masq6)
                {
                    continue;
                }
                if (slots.TryGetValue((set, element.Key.ToString()), out NatRule? other) && !other.Equals(rule))
                {
                    throw new ArgumentException($"'{rule}' and '{other}' both claim the same public port and protocol: keep one", "desired");
                }
                slots[(set, element.Key.ToString())] = rule;
            }
            compiled[rule.ToString()] = c;
        }
        return compiled;
    }

    /// <summary>True when the kernel holds every piece the rule compiles into.</summary>
    private static bool IsComplete(NatTableState.Pieces have, CompiledNatRule want)
    {
        if (have.Rules.Count != want.Rules.Count || have.Elements.Count != want.Elements.Count)
        {
            return false;
        }
        foreach ((string set, SetElement element) in want.Elements)
        {
            bool found = false;
            foreach ((string haveSet, SetElement haveElement) in have.Elements)
            {
                if (haveSet == set && haveElement.Key.Equals(element.Key) && Equals(haveElement.Data, element.Data))
                {
                    found = true;
                    break;
                }
            }
            if (!found)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Adds the table, chains, sets and layout rules that are missing.</summary>
    private void AddLayout(NfTablesTransaction tx, NatTableState state)
    {
        if (state.TableExists && state.LayoutComplete(Name))
        {
            return;
        }
        if (!state.TableExists)
        {
            tx.AddTable(new Table(ProtocolFamily.Inet, Name)
            {
                Flags = _options.Lifetime == NatTableLifetime.OwnedByProcess ? TableFlags.Owner : TableFlags.None,
                UserData = UserData.Comment("nfnet NAT table " + Name),
            });
        }
        foreach (Chain chain in NatTableLayout.ChainDefinitions(Name))
        {
            if (!state.Chains.Contains(chain.Name))
            {
                tx.AddChain(chain);
            }
        }
        foreach (Set set in NatTableLayout.SetDefinitions(Name))
        {
            if (!state.Sets.Contains(set.Name))
            {
                tx.AddSet(set);
            }
        }
        // Base chains hold only layout rules. If any is missing, rebuild that chain's rules in order.
        var rebuilt = new HashSet<string>(StringComparer.Ordinal);
        foreach (Rule rule in NatTableLayout.RuleDefinitions(Name))
        {
            bool present = state.LayoutRules.TryGetValue(rule.Chain, out List<string>? list) && list.Contains(rule.Comment!);
            if (!present && rebuilt.Add(rule.Chain) && state.Chains.Contains(rule.Chain))
            {
                tx.FlushChain(ProtocolFamily.Inet, Name, rule.Chain);
            }
        }
        foreach (Rule rule in NatTableLayout.RuleDefinitions(Name))
        {
            if (rebuilt.Contains(rule.Chain))
            {
                tx.AddRule(rule);
            }
        }
    }

    private void RemovePieces(NfTablesTransaction tx, NatTableState.Pieces pieces)
    {
        foreach ((string chain, ulong handle) in pieces.Rules)
        {
            tx.DeleteRule(ProtocolFamily.Inet, Name, chain, handle);
        }
        foreach (IGrouping group in Group(pieces.Elements))
        {
            tx.DeleteElements(new Set(ProtocolFamily.Inet, Name, group.Set), group.Elements);
        }
    }

    private void AddPieces(NfTablesTransaction tx, CompiledNatRule compiled)
    {
        foreach (Rule rule in compiled.Rules)
        {
            tx.AddRule(rule);
        }
        foreach (IGrouping group in Group(compiled.Elements))
        {
            tx.AddElements(new Set(ProtocolFamily.Inet, Name, group.Set), group.Elements);
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

    private void Log(List<NatRule> added, List<NatRule> removed)
    {
        if (_logger is null)
        {
            return;
        }
        foreach (NatRule rule in removed)
        {
            NatLog.Removed(_logger, Name, rule.ToString());
        }
        foreach (NatRule rule in added)
        {
            NatLog.Added(_logger, Name, rule.ToString());
        }
    }

    private void LogWarnings(List<string> warnings)
    {
        if (_logger is null)
        {
            return;
        }
        foreach (string warning in warnings)
        {
            NatLog.Warning(_logger, Name, warning);
        }
    }

    /// <summary>
    /// Drops the flows of removed forwards and redirects: through the owner's callback when given,
    /// otherwise through conntrack (when <see cref="NatTableOptions.FlushConntrackOnChange"/>).
    /// </summary>
    private async Task AfterRemovalAsync(IReadOnlyList<NatRule> removed, CancellationToken cancellationToken)
    {
        Conntrack.ConntrackClient? conntrack = null;
        try
        {
            foreach (NatRule rule in removed)
            {
                if (rule is not (DnatRule or RedirectRule))
                {
                    continue;
                }
                if (_options.OnForwardRemoved is { } callback)
                {
                    await callback(rule, cancellationToken).ConfigureAwait(false);
                }
                else if (_options.FlushConntrackOnChange)
                {
                    conntrack ??= new Conntrack.ConntrackClient(_options.Namespace, _logger, _options.Timeout);
                    await NatConntrackCleanup.DeleteFlowsAsync(conntrack, rule, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            conntrack?.Dispose();
        }
    }
}
