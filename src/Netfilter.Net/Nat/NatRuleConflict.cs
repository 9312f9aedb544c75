using System;
using System.Collections.Generic;

namespace Netfilter.Net.Nat;

/// <summary>
/// Two typed rules that cannot share a table, and why: what <see cref="NatTable.ApplyAsync"/>
/// refuses (it names the first such pair), listed in full by <see cref="FindAll"/> so that a
/// caller holding many rules (a file of rules, a configuration) can point at every clash at once.
/// </summary>
public sealed class NatRuleConflict
{
    private NatRuleConflict(NatRule first, NatRule second, string reason)
    {
        First = first;
        Second = second;
        Reason = reason;
    }

    /// <summary>The rule that comes first in the list given to <see cref="FindAll"/>.</summary>
    public NatRule First { get; }

    /// <summary>The rule that comes later.</summary>
    public NatRule Second { get; }

    /// <summary>Why they clash, a clause: "both claim tcp port 2222 of ipv4 connections (prerouting)", "they have the same match (...) with other options".</summary>
    public string Reason { get; }

    /// <summary>
    /// Every pair of <paramref name="rules"/> that cannot share a table, each pair once, ordered by
    /// where its rules stand in the list. Equal rules (the same canonical text) are one rule, not
    /// a conflict: the first of them stands for the others. The same rules in a
    /// <see cref="NatTable.ApplyAsync"/> call are refused with the first pair found here.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> or one of its rules is null.</exception>
    public static IReadOnlyList<NatRuleConflict> FindAll(IEnumerable<NatRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var conflicts = new List<NatRuleConflict>();
        foreach ((NatRule a, NatRule b, string why) in NatConflicts.Within(Distinct(rules, nameof(rules))))
        {
            conflicts.Add(new NatRuleConflict(a, b, why));
        }
        return conflicts;
    }

    /// <summary>The rules in order, each canonical text once (the first stands for equal ones).</summary>
    internal static List<NatRule> Distinct(IEnumerable<NatRule> rules, string parameterName)
    {
        var distinct = new List<NatRule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (NatRule rule in rules)
        {
            ArgumentNullException.ThrowIfNull(rule, parameterName);
            if (seen.Add(rule.Text))
            {
                distinct.Add(rule);
            }
        }
        return distinct;
    }

    /// <summary>"'A' and 'B' cannot share a table: REASON".</summary>
    public override string ToString() => $"'{First}' and '{Second}' cannot share a table: {Reason}";
}
