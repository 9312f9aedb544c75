using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

public sealed partial class NatTable
{
    /// <summary>
    /// Above this many (protocol, port) keys a change reads the whole table instead of looking
    /// the keys up one by one in the maps.
    /// </summary>
    private const int MaxKeysLookedUp = 16;

    /// <summary>
    /// Adds one rule, as one transaction with a generation check that also creates the table and
    /// its layout when they are missing. Its cost does not grow with the number of forwards in
    /// the maps: it reads the layout, the conditional rules and the map elements the rule's
    /// ports touch.
    /// </summary>
    /// <returns>True when the rule was added (or a partial or stale copy of the same rule was made whole); false when the same rule is already whole.</returns>
    /// <exception cref="NatRuleConflictException">Another rule (or a piece added by hand) holds some of the same packets, or a rule with the same identity but other options is there; nothing was sent. The message names it.</exception>
    /// <exception cref="InvalidOperationException">A hairpin rule's target is on no network this host is attached to; or a layout-1 table holds two conflicting rules and cannot be migrated as it is.</exception>
    /// <exception cref="NatTableNotOwnedException">A table with this name exists but is not a NatTable's.</exception>
    /// <exception cref="NfTablesException">The kernel refused; nothing was applied.</exception>
    public async Task<bool> AddAsync(NatRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        // Forwards need to know the host (warnings, hairpin); redirects and the rest do not.
        NatHostInfo? host = rule is DnatRule ? await _client.ReadHostAsync(cancellationToken).ConfigureAwait(false) : null;
        CompiledNatRule want = NatRuleCompiler.Compile(Name, rule, a => host?.ConnectedNetwork(a));
        if (host is not null)
        {
            LogWarnings(host.Warnings(new[] { rule }, _options.Namespace));
        }
        string text = rule.Text;
        (bool added, _, _) = await TransactAsync("add", async ct =>
        {
            NatTableContents contents = await ReadAroundAsync(rule, host is null ? null : host.ConnectedNetwork, ct).ConfigureAwait(false);
            RefuseForeign(contents);
            var tx = new NfTablesTransaction { ExpectedGeneration = contents.Generation };
            if (contents.Ownership == NatTableOwnership.Legacy || contents.Damaged.Count > 0)
            {
                List<NatRule> rules = ExistingRules(contents);
                bool isNew = !rules.Any(r => r.Text == text);
                foreach (NatRule other in rules)
                {
                    if (other.Text != text && NatConflicts.Between(other, rule) is string why)
                    {
                        throw new NatRuleConflictException(Name, rule, other, $"'{other}'", why, removing: false);
                    }
                }
                if (isNew)
                {
                    rules.Add(rule);
                }
                List<CompiledNatRule> all = await CompileForRebuildAsync(rules, rule, want, contents, ct).ConfigureAwait(false);
                List<string> layout = RebuildReason(contents);
                Rebuild(tx, contents, all);
                return new Plan<bool>(tx, isNew, _ =>
                {
                    Log(isNew ? new[] { rule } : Array.Empty<NatRule>(), Array.Empty<NatRule>(), Array.Empty<NatRule>(), contents.Foreign.Select(f => f.Description), layout);
                    return Task.CompletedTask;
                });
            }
            NatFoundRule? same = contents.Find(text);
            foreach (NatFoundRule other in contents.Rules)
            {
                if (other != same && NatConflicts.Between(other.Rule, rule) is string why)
                {
                    throw new NatRuleConflictException(Name, rule, other.Rule, Holder(other), why, removing: false);
                }
            }
            if (ForeignOverlap(contents, rule) is (NatForeignPiece piece, string overlap))
            {
                throw new NatRuleConflictException(Name, rule, null, $"a piece no typed rule accounts for ({piece.Description})", $"it claims {overlap}", removing: false);
            }
            if (same is { IsWhole: true, IsStale: false })
            {
                return new Plan<bool>(tx, false);
            }
            List<string> repairedLayout = AddLayout(tx, contents);
            var changes = new Changes();
            Diff(same, want, changes);
            Write(tx, changes, contents);
            return new Plan<bool>(tx, true, _ =>
            {
                Log(same is null ? new[] { rule } : Array.Empty<NatRule>(), Array.Empty<NatRule>(), same is null ? Array.Empty<NatRule>() : new[] { rule }, Array.Empty<string>(), repairedLayout);
                return Task.CompletedTask;
            });
        }, cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <summary>
    /// Removes the rule whose identity (<see cref="NatRule.Identity"/>: kind and match) equals
    /// <paramref name="rule"/>'s, whatever options it carries: all its pieces, in one transaction
    /// with a generation check, never half of them. A partial rule is removed with whatever of it
    /// is there. Its cost does not grow with the number of forwards in the maps.
    /// </summary>
    /// <returns>The rule that was removed (as it was in the kernel, with its own options), or null when no rule claims any of the same packets.</returns>
    /// <exception cref="NatRuleConflictException">No rule has that identity, but another rule (or a piece added by hand) claims some of the same packets: the message shows what is there, and nothing was removed.</exception>
    /// <exception cref="NatTableNotOwnedException">A table with this name exists but is not a NatTable's.</exception>
    /// <exception cref="NfTablesException">The kernel refused; nothing was applied.</exception>
    public async Task<NatRule?> RemoveAsync(NatRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        (NatRule? removed, _, _) = await TransactAsync("remove", async ct =>
        {
            NatTableContents contents = await ReadAroundAsync(rule, null, ct).ConfigureAwait(false);
            RefuseForeign(contents);
            var tx = new NfTablesTransaction { ExpectedGeneration = contents.Generation };
            if (!contents.Exists)
            {
                return new Plan<NatRule?>(tx, null);
            }
            if (contents.Ownership == NatTableOwnership.Legacy || contents.Damaged.Count > 0)
            {
                List<NatRule> rules = ExistingRules(contents);
                NatRule? match = rules.FirstOrDefault(r => r.Identity.Equals(rule.Identity));
                if (match is null)
                {
                    if (rules.FirstOrDefault(r => NatConflicts.Overlap(r.Claim, rule.Claim, ignoreInputInterface: false) is not null) is NatRule holder)
                    {
                        throw new NatRuleConflictException(Name, rule, holder, $"'{holder}'", NatConflicts.Overlap(holder.Claim, rule.Claim, false)!, removing: true);
                    }
                    return new Plan<NatRule?>(tx, null);
                }
                rules.RemoveAll(r => r.Identity.Equals(rule.Identity));
                NatHostInfo? rebuildHost = rules.Any(r => r is DnatRule { Hairpin: true }) ? await _client.ReadHostAsync(ct).ConfigureAwait(false) : null;
                List<string> layout = RebuildReason(contents);
                Rebuild(tx, contents, rules.Select(r => CompileExisting(r, contents, rebuildHost)).ToList());
                return new Plan<NatRule?>(tx, match, async done =>
                {
                    Log(Array.Empty<NatRule>(), new[] { match }, Array.Empty<NatRule>(), contents.Foreign.Select(f => f.Description), layout);
                    await AfterRemovalAsync(new[] { match }, done).ConfigureAwait(false);
                });
            }
            List<NatFoundRule> matches = contents.Rules.Where(r => r.Rule.Identity.Equals(rule.Identity)).OrderByDescending(r => r.IsWhole).ToList();
            if (matches.Count == 0)
            {
                foreach (NatFoundRule other in contents.Rules)
                {
                    if (NatConflicts.Overlap(other.Rule.Claim, rule.Claim, ignoreInputInterface: false) is string overlap)
                    {
                        throw new NatRuleConflictException(Name, rule, other.Rule, Holder(other), $"it claims {overlap}", removing: true);
                    }
                }
                if (ForeignOverlap(contents, rule) is (NatForeignPiece piece, string foreignOverlap))
                {
                    throw new NatRuleConflictException(Name, rule, null, $"a piece no typed rule accounts for ({piece.Description})", $"it claims {foreignOverlap}", removing: true);
                }
                return new Plan<NatRule?>(tx, null);
            }
            List<string> repairedLayout = AddLayout(tx, contents);
            var changes = new Changes();
            foreach (NatFoundRule match in matches)
            {
                Diff(match, null, changes);
            }
            Write(tx, changes, contents);
            NatRule removedRule = matches[0].Rule;
            return new Plan<NatRule?>(tx, removedRule, async done =>
            {
                Log(Array.Empty<NatRule>(), matches.Select(m => m.Rule), Array.Empty<NatRule>(), Array.Empty<string>(), repairedLayout);
                await AfterRemovalAsync(matches.Select(m => m.Rule).ToList(), done).ConfigureAwait(false);
            });
        }, cancellationToken).ConfigureAwait(false);
        return removed;
    }

    /// <summary>How a conflict message names a rule found in the kernel: its text, and what it lacks when it is partial.</summary>
    private static string Holder(NatFoundRule found) =>
        found.IsWhole ? $"'{found.Text}'" : $"'{found.Text}' (partial: {string.Join("; ", found.Problems())})";

    /// <summary>
    /// A foreign element in our maps whose packets overlap <paramref name="rule"/>'s, with the
    /// overlap in words. A foreign masquerade element matters only to a forward to its target.
    /// </summary>
    private static (NatForeignPiece Piece, string Overlap)? ForeignOverlap(NatTableContents contents, NatRule rule)
    {
        foreach (NatForeignPiece piece in contents.Foreign)
        {
            if (piece.Element is not (string set, SetElement element) || NatClaim.OfElement(set, element.Key) is not NatClaim claim)
            {
                continue;
            }
            if (set is NatTableLayout.Masq4 or NatTableLayout.Masq6
                && !(rule is DnatRule d && element.Key.Span.Length >= 12 && element.Key.Span[8..^4].SequenceEqual(d.ToAddress.GetAddressBytes())))
            {
                continue;
            }
            if (NatConflicts.Overlap(claim, rule.Claim, ignoreInputInterface: false) is string overlap)
            {
                return (piece, overlap);
            }
        }
        return null;
    }

    /// <summary>The typed rules a rebuild carries over: a layout-1 table's, or every rule (whole or partial) of a damaged one.</summary>
    private static List<NatRule> ExistingRules(NatTableContents contents) =>
        contents.Ownership == NatTableOwnership.Legacy ? new List<NatRule>(contents.LegacyRules) : contents.Rules.Select(r => r.Rule).ToList();

    /// <summary>Compiles the rules a rebuild writes; refuses a set of rules that conflict among themselves.</summary>
    private async Task<List<CompiledNatRule>> CompileForRebuildAsync(List<NatRule> rules, NatRule changed, CompiledNatRule compiledChange, NatTableContents contents, CancellationToken cancellationToken)
    {
        foreach ((NatRule a, NatRule b, string why) in NatConflicts.Within(rules).Take(1))
        {
            throw new InvalidOperationException($"table inet {Name} is in layout {contents.LayoutVersion} and holds '{a}' and '{b}', which cannot share a table ({why}), so it cannot be rebuilt in layout {NatTableLayout.Version} as it is: remove one of them first (RemoveAsync), or ApplyAsync the rules you want");
        }
        NatHostInfo? host = rules.Any(r => r is DnatRule { Hairpin: true } && !ReferenceEquals(r, changed)) ? await _client.ReadHostAsync(cancellationToken).ConfigureAwait(false) : null;
        return rules.Select(r => ReferenceEquals(r, changed) ? compiledChange : CompileExisting(r, contents, host)).ToList();
    }

    /// <summary>Compiles a rule that is already in the table, keeping the hairpin network it has there when the host has none for it.</summary>
    private CompiledNatRule CompileExisting(NatRule rule, NatTableContents contents, NatHostInfo? host)
    {
        IPNetwork? kept = contents.Find(rule.Text)?.HairpinNetwork;
        return NatRuleCompiler.Compile(Name, rule, a => host?.ConnectedNetwork(a) ?? kept ?? new IPNetwork(a, a.GetAddressBytes().Length * 8));
    }

    /// <summary>
    /// Reads what a change of <paramref name="rule"/> needs, at a cost that does not grow with the
    /// number of plain forwards: the layout and every rule of the table's chains (one snapshot,
    /// whose generation the change commits against), the map elements at the (protocol, port)
    /// keys the rule's claim covers, the rule's own compiled elements, and then every element of
    /// each typed rule found there (so each is judged whole or partial). A rule whose ports cover
    /// too many keys (a forward of every port, a wide range) reads the whole table instead.
    /// </summary>
    private async Task<NatTableContents> ReadAroundAsync(NatRule rule, Func<IPAddress, IPNetwork?>? connectedNetwork, CancellationToken cancellationToken)
    {
        // The layout snapshot and the element lookups after it are separate requests: an answer
        // that sends nothing (already there, refused, nothing to remove) must come from one state
        // of the table, so the reading is taken again when another writer committed in between.
        // A change that commits is checked by its generation anyway.
        for (int attempt = 1; attempt < NfTablesClient.SnapshotAttempts; attempt++)
        {
            NatTableContents contents = await ReadAroundOnceAsync(rule, connectedNetwork, cancellationToken).ConfigureAwait(false);
            if (await _client.GetGenerationIdAsync(cancellationToken).ConfigureAwait(false) == contents.Generation)
            {
                return contents;
            }
        }
        // The table keeps changing: one whole snapshot, consistent by its own retries.
        Ruleset whole = await _client.GetTableSnapshotAsync(NetfilterFamily.Inet, Name, cancellationToken).ConfigureAwait(false);
        return NatTableReader.Read(Name, whole, connectedNetwork);
    }

    private async Task<NatTableContents> ReadAroundOnceAsync(NatRule rule, Func<IPAddress, IPNetwork?>? connectedNetwork, CancellationToken cancellationToken)
    {
        List<(string Set, NftData Key)>? keys = ClaimKeys(rule);
        if (keys is null)
        {
            Ruleset all = await _client.GetTableSnapshotAsync(NetfilterFamily.Inet, Name, cancellationToken).ConfigureAwait(false);
            return NatTableReader.Read(Name, all, connectedNetwork);
        }
        Ruleset layout = await _client.GetLayoutSnapshotAsync(NetfilterFamily.Inet, Name, NatTableLayout.AllChains, cancellationToken).ConfigureAwait(false);
        Table? table = layout.Tables.FirstOrDefault(t => t.Name == Name);
        NatTableContents first = NatTableReader.Read(Name, layout.Generation, table, layout.Chains, layout.Sets, Array.Empty<(string, SetElement)>(), layout.Rules);
        if (first.Ownership is NatTableOwnership.Missing or NatTableOwnership.Foreign)
        {
            return first;
        }
        if (first.Ownership == NatTableOwnership.Legacy || first.Damaged.Count > 0)
        {
            // Migrating or rebuilding rewrites every rule: read them all.
            Ruleset all = await _client.GetTableSnapshotAsync(NetfilterFamily.Inet, Name, cancellationToken).ConfigureAwait(false);
            return NatTableReader.Read(Name, all, connectedNetwork);
        }
        var sets = new HashSet<string>(layout.Sets.Select(s => s.Name), StringComparer.Ordinal);
        var looked = new HashSet<(string, NftData)>();
        var elements = new List<(string Set, SetElement Element)>();
        async Task LookUpAsync(IEnumerable<(string Set, NftData Key)> wanted)
        {
            foreach ((string set, NftData key) in wanted)
            {
                if (sets.Contains(set) && looked.Add((set, key))
                    && await _client.GetElementAsync(NetfilterFamily.Inet, Name, set, key, cancellationToken).ConfigureAwait(false) is SetElement element)
                {
                    elements.Add((set, element));
                }
            }
        }
        await LookUpAsync(keys).ConfigureAwait(false);
        // Every typed rule met so far, complete: its own elements, wherever they are.
        var complete = new HashSet<string>(StringComparer.Ordinal);
        for (int round = 0; round < 2; round++)
        {
            NatTableContents partial = NatTableReader.Read(Name, layout.Generation, table, layout.Chains, layout.Sets, elements, layout.Rules);
            var more = new List<(string, NftData)>();
            foreach (NatFoundRule found in partial.Rules)
            {
                if (complete.Add(found.Text))
                {
                    more.AddRange(found.Expected.Elements.Select(e => (e.Set, e.Element.Key)));
                }
            }
            if (more.Count == 0)
            {
                break;
            }
            await LookUpAsync(more).ConfigureAwait(false);
        }
        return NatTableReader.Read(Name, layout.Generation, table, layout.Chains, layout.Sets, elements, layout.Rules, connectedNetwork);
    }

    /// <summary>
    /// The map and set keys whose elements could hold packets of <paramref name="rule"/>'s claim,
    /// plus its own compiled keys; null when there are too many to look up one by one.
    /// </summary>
    private List<(string Set, NftData Key)>? ClaimKeys(NatRule rule)
    {
        NatClaim claim = rule.Claim;
        var keys = new List<(string, NftData)>();
        if (claim.Group == NatClaimGroup.Destination)
        {
            ReadOnlySpan<byte> protocols = claim.Protocols!.Value.Numbers();
            if (claim.Ports.Count * protocols.Length > MaxKeysLookedUp)
            {
                return null;
            }
            var maps = new List<string> { NatTableLayout.RedirectPre, NatTableLayout.RedirectOut };
            if ((claim.Families & NatFamilies.IPv4) != 0)
            {
                maps.Add(NatTableLayout.Dnat4Pre);
                maps.Add(NatTableLayout.Dnat4Out);
            }
            if ((claim.Families & NatFamilies.IPv6) != 0)
            {
                maps.Add(NatTableLayout.Dnat6Pre);
                maps.Add(NatTableLayout.Dnat6Out);
            }
            foreach (byte protocol in protocols)
            {
                for (int port = claim.Ports.First; port <= claim.Ports.Last; port++)
                {
                    NftData key = NatRuleCompiler.Key(protocol, port);
                    keys.AddRange(maps.Select(m => (m, key)));
                    if (rule is DnatRule d)
                    {
                        // Whoever masquerades this forward's connections, masquerade option or not.
                        keys.Add((d.IsIPv6 ? NatTableLayout.Masq6 : NatTableLayout.Masq4,
                            NatRuleCompiler.MasqueradeKey(protocol, port, d.ToAddress, d.TargetPortFor(port))));
                    }
                }
            }
        }
        CompiledNatRule own = NatRuleCompiler.Compile(Name, rule, a => new IPNetwork(a, a.GetAddressBytes().Length * 8));
        keys.AddRange(own.Elements.Select(e => (e.Set, e.Element.Key)));
        return keys;
    }
}
