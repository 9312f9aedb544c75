using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

public sealed partial class NatTable
{
    /// <summary>
    /// Adds one rule: its map elements or rules only, never a rewrite of the table. Returns
    /// false when the same rule is already there.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another rule already holds the same public port and protocol.</exception>
    /// <exception cref="NfTablesException">The kernel refused; nothing was applied.</exception>
    public async Task<bool> AddAsync(NatRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        // Forwards need to know the host (warnings, hairpin); redirects and the rest do not.
        NatHostInfo? host = rule is DnatRule ? await NatHostInfo.ReadAsync(_options.Namespace, cancellationToken).ConfigureAwait(false) : null;
        CompiledNatRule compiled = NatRuleCompiler.Compile(Name, rule, a => host?.ConnectedNetwork(a));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (host is not null)
            {
                LogWarnings(host.Warnings(new[] { rule }, _options.Namespace));
            }
            await EnsureLayoutAsync(cancellationToken).ConfigureAwait(false);
            if (compiled.Rules.Count > 0 && await FindRulePiecesAsync(compiled, cancellationToken).ConfigureAwait(false) is { Count: > 0 })
            {
                return false;
            }
            bool anyNew = compiled.Elements.Count == 0;
            foreach ((string set, SetElement element) in compiled.Elements)
            {
                SetElement? existing = await _client.GetElementAsync(ProtocolFamily.Inet, Name, set, element.Key, cancellationToken).ConfigureAwait(false);
                if (existing is null)
                {
                    anyNew = true;
                }
                else if (!Equals(existing.Data, element.Data))
                {
                    throw new InvalidOperationException($"'{existing.Comment ?? "another rule"}' already holds this public port and protocol in table {Name}: remove it before adding '{rule}'");
                }
            }
            if (!anyNew)
            {
                return false;
            }
            var tx = new NfTablesTransaction();
            AddPieces(tx, compiled);
            await _client.CommitAsync(tx, cancellationToken).ConfigureAwait(false);
            Log(new List<NatRule> { rule }, new List<NatRule>());
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes one rule: its map elements or rules only. Returns false when it was not there.</summary>
    /// <exception cref="NfTablesException">The kernel refused; nothing was applied.</exception>
    public async Task<bool> RemoveAsync(NatRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        NatHostInfo? host = rule is DnatRule { Hairpin: true } ? await NatHostInfo.ReadAsync(_options.Namespace, cancellationToken).ConfigureAwait(false) : null;
        CompiledNatRule compiled = NatRuleCompiler.Compile(Name, rule, a => host?.ConnectedNetwork(a));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var tx = new NfTablesTransaction();
            if (compiled.Rules.Count > 0)
            {
                foreach ((string chain, ulong handle) in await FindRulePiecesAsync(compiled, cancellationToken).ConfigureAwait(false))
                {
                    tx.DeleteRule(ProtocolFamily.Inet, Name, chain, handle);
                }
            }
            var elements = new List<(string Set, SetElement Element)>();
            foreach ((string set, SetElement element) in compiled.Elements)
            {
                SetElement? existing;
                try
                {
                    existing = await _client.GetElementAsync(ProtocolFamily.Inet, Name, set, element.Key, cancellationToken).ConfigureAwait(false);
                }
                catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
                {
                    existing = null; // the table or set does not exist
                }
                // Only this rule's element: same key and same target.
                if (existing is not null && Equals(existing.Data, element.Data))
                {
                    elements.Add((set, element));
                }
            }
            foreach (IGrouping group in Group(elements))
            {
                tx.DeleteElements(new Set(ProtocolFamily.Inet, Name, group.Set), group.Elements);
            }
            if (tx.Count == 0)
            {
                return false;
            }
            await _client.CommitAsync(tx, cancellationToken).ConfigureAwait(false);
            Log(new List<NatRule>(), new List<NatRule> { rule });
            await AfterRemovalAsync(new[] { rule }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Handles of the rules carrying <paramref name="compiled"/>'s comment in the chains it compiles into.</summary>
    private async Task<List<(string Chain, ulong Handle)>> FindRulePiecesAsync(CompiledNatRule compiled, CancellationToken cancellationToken)
    {
        string comment = compiled.Source.ToString();
        var chains = new HashSet<string>(StringComparer.Ordinal);
        foreach (Rule rule in compiled.Rules)
        {
            chains.Add(rule.Chain);
        }
        var found = new List<(string, ulong)>();
        foreach (string chain in chains)
        {
            try
            {
                await foreach (Rule rule in _client.ListRulesAsync(ProtocolFamily.Inet, Name, chain, cancellationToken).ConfigureAwait(false))
                {
                    if (rule.Comment == comment)
                    {
                        found.Add((chain, rule.Handle));
                    }
                }
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
            {
                // No table or chain yet: nothing of this rule exists.
            }
        }
        return found;
    }

    /// <summary>
    /// Makes sure the table and its layout exist, reading only the layout (chains, sets and the
    /// base chains' few rules), never the elements: the cost does not grow with the number of forwards.
    /// </summary>
    private async Task EnsureLayoutAsync(CancellationToken cancellationToken)
    {
        if (_layoutVerified)
        {
            return;
        }
        for (int attempt = 1; ; attempt++)
        {
            Ruleset layout = await _client.GetLayoutSnapshotAsync(ProtocolFamily.Inet, Name, NatTableLayout.BaseChains, cancellationToken).ConfigureAwait(false);
            NatTableState state = NatTableState.Read(layout, Name);
            var tx = new NfTablesTransaction { ExpectedGeneration = state.Generation };
            AddLayout(tx, state);
            if (tx.Count > 0)
            {
                try
                {
                    await _client.CommitAsync(tx, cancellationToken).ConfigureAwait(false);
                }
                catch (NfTablesGenerationException) when (attempt < _options.ApplyAttempts)
                {
                    continue;
                }
            }
            _layoutVerified = true;
            return;
        }
    }
}
