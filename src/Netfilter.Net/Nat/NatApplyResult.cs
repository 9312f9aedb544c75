using System;
using System.Collections.Generic;
using System.Text;

namespace Netfilter.Net.Nat;

/// <summary>What <see cref="NatTable.ApplyAsync"/> changed, or what <see cref="NatTable.PlanAsync"/> found it would change.</summary>
public sealed class NatApplyResult
{
    internal NatApplyResult(IReadOnlyList<NatRule> added, IReadOnlyList<NatRule> removed, IReadOnlyList<NatRule> repaired, IReadOnlyList<string> foreignRemoved,
        IReadOnlyList<string> layoutRepaired, int unchanged, IReadOnlyList<NatWarning> warnings, int attempts, bool changed, bool dryRun = false)
    {
        Added = added;
        Removed = removed;
        Repaired = repaired;
        ForeignRemoved = foreignRemoved;
        LayoutRepaired = layoutRepaired;
        Unchanged = unchanged;
        Warnings = warnings;
        Attempts = attempts;
        Changed = changed;
        DryRun = dryRun;
    }

    /// <summary>Rules that were not in the kernel and now are (a rule whose options changed is removed and added).</summary>
    public IReadOnlyList<NatRule> Added { get; }

    /// <summary>Rules that were in the kernel (whole or partial) and no longer are.</summary>
    public IReadOnlyList<NatRule> Removed { get; }

    /// <summary>Wanted rules that were there but partial (pieces missing or extra, edited by hand) or stale (a hairpin rule whose connected network changed), and are now whole.</summary>
    public IReadOnlyList<NatRule> Repaired { get; }

    /// <summary>Pieces of the table that no typed rule accounts for (added by hand), removed, in nft's words.</summary>
    public IReadOnlyList<string> ForeignRemoved { get; }

    /// <summary>What was done to the table itself: created, layout pieces put back, migrated from layout 1, rebuilt.</summary>
    public IReadOnlyList<string> LayoutRepaired { get; }

    /// <summary>Rules that were already there, whole, untouched.</summary>
    public int Unchanged { get; }

    /// <summary>True when a transaction was sent to the kernel; false when everything was already as wanted. For a <see cref="DryRun"/>: whether <see cref="NatTable.ApplyAsync"/> would send one.</summary>
    public bool Changed { get; }

    /// <summary>
    /// True for the result of <see cref="NatTable.PlanAsync"/>: nothing was sent, and the lists say
    /// what <see cref="NatTable.ApplyAsync"/> of the same rules would add, remove, repair and keep,
    /// against the table as it was read.
    /// </summary>
    public bool DryRun { get; }

    /// <summary>
    /// Things on this host that will stop a rule from working, e.g. "IPv4 forwarding is off", each
    /// with its kind and rule as data (<see cref="NatWarning.Kind"/>) and its words (<see cref="NatWarning.Message"/>).
    /// </summary>
    public IReadOnlyList<NatWarning> Warnings { get; }

    /// <summary>How many read-compute-commit rounds it took (more than 1 when someone else changed the ruleset meanwhile).</summary>
    public int Attempts { get; }

    /// <summary>One line: <c>added 1, removed 0, repaired 0, foreign removed 0, unchanged 3 (1 attempt)</c>, then the layout repairs and warnings; a dry run says <c>would add 1, ...</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (DryRun)
        {
            sb.Append("would add ").Append(Added.Count).Append(", remove ").Append(Removed.Count)
                .Append(", repair ").Append(Repaired.Count).Append(", remove foreign ").Append(ForeignRemoved.Count)
                .Append(", keep ").Append(Unchanged).Append(Changed ? " (dry run: nothing sent)" : " (dry run: nothing to send)");
            AppendNotes(sb);
            return sb.ToString();
        }
        sb.Append("added ").Append(Added.Count).Append(", removed ").Append(Removed.Count)
            .Append(", repaired ").Append(Repaired.Count).Append(", foreign removed ").Append(ForeignRemoved.Count)
            .Append(", unchanged ").Append(Unchanged)
            .Append(" (").Append(Attempts).Append(Attempts == 1 ? " attempt" : " attempts").Append(Changed ? ")" : ", nothing sent)");
        AppendNotes(sb);
        return sb.ToString();
    }

    private void AppendNotes(StringBuilder sb)
    {
        if (LayoutRepaired.Count > 0)
        {
            sb.Append("; table: ").Append(string.Join("; ", LayoutRepaired));
        }
        if (Warnings.Count > 0)
        {
            sb.Append("; ").Append(Warnings.Count).Append(Warnings.Count == 1 ? " warning" : " warnings");
        }
    }

    internal static readonly IReadOnlyList<string> None = Array.Empty<string>();
}
