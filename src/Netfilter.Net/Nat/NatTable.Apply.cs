using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

public sealed partial class NatTable
{
    /// <summary>
    /// Makes the table hold exactly <paramref name="desired"/>, whole: it reads the whole table
    /// from the kernel (it does not trust memory), and commits the difference as one transaction
    /// with a generation check, re-reading and retrying when someone else changed the ruleset
    /// meanwhile. The difference includes removing pieces no typed rule accounts for (added by
    /// hand), making partial rules whole, refreshing hairpin rules whose connected network changed,
    /// and putting back missing layout; a table in layout 1 is migrated. When everything is
    /// already whole and equal, nothing is sent. <see cref="PlanAsync"/> computes the same
    /// difference without sending it.
    /// </summary>
    /// <exception cref="ArgumentException">Two desired rules claim the same packets (the message names both; <see cref="NatRuleConflict.FindAll"/> lists every pair), or a rule is null.</exception>
    /// <exception cref="InvalidOperationException">A hairpin rule's target is on no network this host is attached to.</exception>
    /// <exception cref="NatTableNotOwnedException">A table with this name exists but is not a NatTable's; nothing was sent.</exception>
    /// <exception cref="NfTablesException">The kernel refused the change; nothing was applied.</exception>
    public Task<NatApplyResult> ApplyAsync(IEnumerable<NatRule> desired, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(desired, commit: true, cancellationToken);

    /// <summary>
    /// What <see cref="ApplyAsync"/> of <paramref name="desired"/> would do now, computed by the
    /// same code from the same reading of the kernel, and not sent: the rules it would add,
    /// remove and repair, the foreign pieces it would remove, the layout it would put back, how
    /// many rules it would keep, and (<see cref="NatApplyResult.Changed"/>) whether it would send
    /// a transaction at all. The result's <see cref="NatApplyResult.DryRun"/> is true. Nothing in
    /// the kernel changes, not even a missing table.
    /// </summary>
    /// <exception cref="ArgumentException">Two desired rules claim the same packets, or a rule is null.</exception>
    /// <exception cref="InvalidOperationException">A hairpin rule's target is on no network this host is attached to.</exception>
    /// <exception cref="NatTableNotOwnedException">A table with this name exists but is not a NatTable's.</exception>
    public Task<NatApplyResult> PlanAsync(IEnumerable<NatRule> desired, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(desired, commit: false, cancellationToken);

    private async Task<NatApplyResult> ApplyCoreAsync(IEnumerable<NatRule> desired, bool commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        List<NatRule> wanted = NatRuleConflict.Distinct(desired, nameof(desired));
        foreach ((NatRule a, NatRule b, string why) in NatConflicts.Within(wanted).Take(1))
        {
            throw new ArgumentException($"'{a}' and '{b}' cannot share a table: {why}. Keep one", nameof(desired));
        }
        NatHostInfo host = await _client.ReadHostAsync(cancellationToken).ConfigureAwait(false);
        var compiled = new Dictionary<string, CompiledNatRule>(StringComparer.Ordinal);
        foreach (NatRule rule in wanted)
        {
            compiled[rule.Text] = NatRuleCompiler.Compile(Name, rule, host.ConnectedNetwork);
        }
        List<NatWarning> warnings = host.Warnings(wanted, _options.Namespace);

        (NatApplyResult result, int attempts, bool sent) = await TransactAsync("apply", async ct =>
        {
            Ruleset snapshot = await _client.GetTableSnapshotAsync(NetfilterFamily.Inet, Name, ct).ConfigureAwait(false);
            NatTableContents contents = NatTableReader.Read(Name, snapshot, host.ConnectedNetwork);
            RefuseForeign(contents);
            var tx = new NfTablesTransaction { ExpectedGeneration = snapshot.Generation };
            var added = new List<NatRule>();
            var removed = new List<NatRule>();
            var repaired = new List<NatRule>();
            var foreign = new List<string>();
            List<string> layout;
            int unchanged = 0;
            if (contents.Ownership == NatTableOwnership.Legacy || contents.Damaged.Count > 0)
            {
                IEnumerable<NatRule> before = contents.Ownership == NatTableOwnership.Legacy ? contents.LegacyRules : contents.Rules.Select(r => r.Rule);
                var had = before.ToDictionary(r => r.Text, StringComparer.Ordinal);
                added.AddRange(wanted.Where(r => !had.ContainsKey(r.Text)));
                removed.AddRange(had.Values.Where(r => !compiled.ContainsKey(r.Text)));
                unchanged = wanted.Count - added.Count;
                foreign.AddRange(contents.Foreign.Select(f => f.Description));
                layout = RebuildReason(contents);
                Rebuild(tx, contents, wanted.Select(r => compiled[r.Text]));
            }
            else
            {
                layout = AddLayout(tx, contents);
                var changes = new Changes();
                foreach (NatForeignPiece piece in contents.Foreign)
                {
                    Remove(piece, changes);
                    foreign.Add(piece.Description);
                }
                foreach (NatFoundRule found in contents.Rules)
                {
                    if (!compiled.TryGetValue(found.Text, out CompiledNatRule? want))
                    {
                        Diff(found, null, changes);
                        removed.Add(found.Rule);
                        continue;
                    }
                    int before = changes.AddElements.Count + changes.AddRules.Count + changes.DeleteElements.Count + changes.DeleteRules.Count;
                    Diff(found, want, changes);
                    if (changes.AddElements.Count + changes.AddRules.Count + changes.DeleteElements.Count + changes.DeleteRules.Count == before)
                    {
                        unchanged++;
                    }
                    else
                    {
                        repaired.Add(found.Rule);
                    }
                }
                foreach (NatRule rule in wanted)
                {
                    if (contents.Find(rule.Text) is null)
                    {
                        Diff(null, compiled[rule.Text], changes);
                        added.Add(rule);
                    }
                }
                Write(tx, changes, contents);
            }
            var result = new NatApplyResult(added, removed, repaired, foreign, layout, unchanged, warnings, 0, tx.Count > 0);
            return new Plan<NatApplyResult>(tx, result, async done =>
            {
                Log(added, removed, repaired, foreign, layout);
                await AfterRemovalAsync(removed, done).ConfigureAwait(false);
            });
        }, cancellationToken, commit).ConfigureAwait(false);
        LogWarnings(warnings);
        return commit
            ? new NatApplyResult(result.Added, result.Removed, result.Repaired, result.ForeignRemoved, result.LayoutRepaired, result.Unchanged, warnings, attempts, sent)
            : new NatApplyResult(result.Added, result.Removed, result.Repaired, result.ForeignRemoved, result.LayoutRepaired, result.Unchanged, warnings, 0, result.Changed, dryRun: true);
    }
}
