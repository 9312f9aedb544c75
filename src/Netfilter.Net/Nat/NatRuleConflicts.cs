using System;
using System.Collections.Generic;

namespace Netfilter.Net.Nat;

/// <summary>
/// Which typed rules cannot share a table, decided without the kernel: the check
/// <see cref="INatTable.ApplyAsync"/> makes before it sends anything, for code that validates a
/// set of rules first (a configuration file, a request) and wants to say which entries clash.
/// </summary>
/// <remarks>
/// Two rules conflict when they would compete for the same packets (see <see cref="NatTable"/>'s
/// remarks on identity and conflicts); the reason says what they both claim. Identical rules
/// (same canonical text) do not conflict: <see cref="INatTable.ApplyAsync"/> keeps one of them.
/// </remarks>
public static class NatRuleConflicts
{
    /// <summary>Why <paramref name="first"/> and <paramref name="second"/> cannot share a table, or null when they can (or are identical).</summary>
    /// <exception cref="ArgumentNullException">A rule is null.</exception>
    public static string? Between(NatRule first, NatRule second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return first.Equals(second) ? null : NatConflicts.Between(first, second);
    }

    /// <summary>
    /// Every pair of <paramref name="rules"/> that cannot share a table, as indexes into
    /// <paramref name="rules"/> (<c>First</c> &lt; <c>Second</c>) with the reason, in input order.
    /// A rule that repeats an earlier one's canonical text is skipped, as ApplyAsync skips it. Empty
    /// when <see cref="INatTable.ApplyAsync"/> would accept the rules.
    /// </summary>
    /// <exception cref="ArgumentNullException">The list or one of its rules is null.</exception>
    public static IReadOnlyList<(int First, int Second, string Reason)> Within(IReadOnlyList<NatRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var distinct = new List<NatRule>(rules.Count);
        var indexOf = new Dictionary<NatRule, int>(ReferenceEqualityComparer.Instance);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < rules.Count; i++)
        {
            NatRule rule = rules[i] ?? throw new ArgumentNullException(nameof(rules), $"rules[{i}] is null");
            if (seen.Add(rule.Text) && indexOf.TryAdd(rule, i))
            {
                distinct.Add(rule);
            }
        }
        var conflicts = new List<(int, int, string)>();
        foreach ((NatRule a, NatRule b, string why) in NatConflicts.Within(distinct))
        {
            int x = indexOf[a], y = indexOf[b];
            conflicts.Add(x < y ? (x, y, why) : (y, x, why));
        }
        conflicts.Sort((p, q) => p.Item1 != q.Item1 ? p.Item1.CompareTo(q.Item1) : p.Item2.CompareTo(q.Item2));
        return conflicts;
    }
}
