using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Netfilter.Net.Nat;

/// <summary>
/// Exactly what the kernel holds for a NAT table (<see cref="NatTable.InspectAsync"/>): the whole
/// typed rules, the partial ones with what they lack, the stale ones, the pieces no typed rule
/// accounts for, what the layout lacks, and whose table it is.
/// </summary>
public sealed class NatTableReport
{
    internal NatTableReport(string table, uint generation, NatTableOwnership ownership, int? layoutVersion, IReadOnlyList<NatRule> rules, IReadOnlyList<NatPartialRule> partial,
        IReadOnlyList<NatRule> stale, IReadOnlyList<string> foreign, IReadOnlyList<string> layoutProblems, string? notOwnedReason,
        IReadOnlyList<NatRuleStatistics>? statistics = null)
    {
        Table = table;
        Generation = generation;
        Ownership = ownership;
        LayoutVersion = layoutVersion;
        Rules = rules;
        Partial = partial;
        Stale = stale;
        Foreign = foreign;
        LayoutProblems = layoutProblems;
        NotOwnedReason = notOwnedReason;
        Statistics = statistics ?? rules.Select(r => new NatRuleStatistics(r, null, null)).ToList();
    }

    /// <summary>The table's name (family inet).</summary>
    public string Table { get; }

    /// <summary>The ruleset generation the report was read at.</summary>
    public uint Generation { get; }

    /// <summary>Missing, owned (current layout), legacy (an earlier layout, migrated by the next change) or foreign (never changed).</summary>
    public NatTableOwnership Ownership { get; }

    /// <summary>The layout version of the table (3 now, 1 or 2 for a legacy table); null when missing or foreign without a marker.</summary>
    public int? LayoutVersion { get; }

    /// <summary>The typed rules that are whole in the kernel, in the order they were found (what <see cref="NatTable.ListAsync"/> returns). For a legacy table: the rules its comments name. Their counters: <see cref="Statistics"/>.</summary>
    public IReadOnlyList<NatRule> Rules { get; }

    /// <summary>
    /// Each rule of <see cref="Rules"/>, in the same order, with what its pieces' counters say it
    /// translated: new connections for redirects, forwards, snat and masquerade (nat chains see only
    /// a connection's first packet), every packet for tproxy. See <see cref="NatRuleStatistics"/>
    /// for exactly what is counted. Null figures for a table in an earlier layout, which had no counters.
    /// </summary>
    public IReadOnlyList<NatRuleStatistics> Statistics { get; }

    /// <summary>Typed rules only part of which is in the kernel (<see cref="NatTable.ApplyAsync"/> repairs them, <see cref="NatTable.RemoveAsync"/> removes what is there).</summary>
    public IReadOnlyList<NatPartialRule> Partial { get; }

    /// <summary>Whole hairpin forwards whose hairpin rules match a network the host is no longer attached to as it was (<see cref="NatTable.ApplyAsync"/> refreshes them). Also in <see cref="Rules"/>.</summary>
    public IReadOnlyList<NatRule> Stale { get; }

    /// <summary>Pieces of the table no typed rule accounts for (elements or rules without a typed-rule comment, chains and sets outside the layout), in nft's words.</summary>
    public IReadOnlyList<string> Foreign { get; }

    /// <summary>What the table's fixed layout lacks or has changed (chains, maps, the base chains' rules).</summary>
    public IReadOnlyList<string> LayoutProblems { get; }

    /// <summary>For a foreign table: why it is not adopted, and how to fix that.</summary>
    public string? NotOwnedReason { get; }

    /// <summary>True when the table is ours (or absent) and holds exactly whole typed rules and its complete layout.</summary>
    public bool IsIntact => Ownership is NatTableOwnership.Owned or NatTableOwnership.Missing
        && Partial.Count == 0 && Stale.Count == 0 && Foreign.Count == 0 && LayoutProblems.Count == 0;

    internal static NatTableReport From(NatTableContents contents)
    {
        if (contents.Ownership == NatTableOwnership.Legacy)
        {
            return new NatTableReport(contents.Table, contents.Generation, contents.Ownership, contents.LayoutVersion, contents.LegacyRules.ToList(),
                Array.Empty<NatPartialRule>(), Array.Empty<NatRule>(), Array.Empty<string>(), contents.LayoutProblems.ToList(), null);
        }
        return new NatTableReport(contents.Table, contents.Generation, contents.Ownership, contents.LayoutVersion,
            contents.Whole.Select(r => r.Rule).ToList(),
            contents.Partial.Select(r => new NatPartialRule(r.Rule, r.Problems())).ToList(),
            contents.Whole.Where(r => r.IsStale).Select(r => r.Rule).ToList(),
            contents.Foreign.Select(f => f.Description).ToList(),
            contents.LayoutProblems.ToList(),
            contents.NotOwnedMessage,
            contents.Whole.Select(r => r.Statistics()).ToList());
    }

    /// <summary>The rules one per line, then partial, stale and foreign pieces and layout problems as <c># ...</c> lines.</summary>
    public override string ToString() => ToString(withStatistics: false);

    /// <summary>
    /// <see cref="ToString()"/>, and with <paramref name="withStatistics"/> each rule followed by its
    /// figures as a comment (<c>RULE  # 3 connections (180 bytes)</c>): still a list of rules.
    /// </summary>
    /// <param name="withStatistics">True to append each rule's <see cref="NatRuleStatistics.Figures"/> (what <c>nfnet list --stats</c> prints).</param>
    public string ToString(bool withStatistics)
    {
        var sb = new StringBuilder();
        if (NotOwnedReason is not null)
        {
            sb.Append("# ").Append(NotOwnedReason).Append('\n');
        }
        for (int i = 0; i < Rules.Count; i++)
        {
            sb.Append(Rules[i]);
            if (withStatistics)
            {
                sb.Append("  # ").Append(Statistics[i].Figures);
            }
            sb.Append('\n');
        }
        foreach (NatPartialRule partial in Partial)
        {
            sb.Append("# partial: ").Append(partial).Append('\n');
        }
        foreach (NatRule rule in Stale)
        {
            sb.Append("# stale: ").Append(rule).Append(" (its hairpin network is no longer this host's connected network)\n");
        }
        foreach (string piece in Foreign)
        {
            sb.Append("# foreign: ").Append(piece).Append('\n');
        }
        foreach (string problem in LayoutProblems)
        {
            sb.Append("# layout: ").Append(problem).Append('\n');
        }
        return sb.ToString();
    }
}
