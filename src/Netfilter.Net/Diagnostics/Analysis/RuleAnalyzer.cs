using System;
using System.Collections.Generic;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Reads a rule's expressions the way the kernel runs them (nft_do_chain), following what each
/// register holds, and says which packets the rule matches and what it does with them
/// (<see cref="RuleAlternative"/>). Only what decides where a new connection goes is evaluated
/// exactly: IP version (<c>meta nfproto</c>, <c>meta protocol</c>, the table family), transport
/// protocol (<c>meta l4proto</c>, <c>ip protocol</c>, <c>ip6 nexthdr</c>), destination port
/// (cmp, range, sets, interval sets, concatenations, maps and verdict maps), interface names,
/// and <c>ct state</c> for the first packet of a connection. Anything else narrows the match.
/// </summary>
/// <remarks>
/// Expressions this class does not model are handled conservatively: they overwrite every
/// register (so nothing is read from a stale one), and the ones that are conditions by
/// themselves (limit, quota, connlimit, unknown kernel expressions) narrow the match, as do
/// xtables matches. xtables targets are read by name (iptables-nft keeps DNAT, REDIRECT,
/// MASQUERADE, REJECT... as <c>target</c> expressions).
/// </remarks>
internal static class RuleAnalyzer
{
    /// <summary>Expressions that are conditions by themselves: a packet may stop matching there.</summary>
    private static readonly HashSet<string> s_conditions = new(StringComparer.Ordinal) { "limit", "quota", "connlimit", "synproxy", "inner" };

    /// <summary>Expressions with no effect on where a packet goes (they count, log, mark, remember).</summary>
    private static readonly HashSet<string> s_effectless = new(StringComparer.Ordinal) { "counter", "log", "last", "dynset", "notrack", "objref", "dup", "flow_offload" };

    /// <summary>Expressions that load something into a register (their comparison narrows the match).</summary>
    private static readonly HashSet<string> s_loaders = new(StringComparer.Ordinal) { "rt", "socket", "hash", "numgen", "exthdr", "xfrm", "osf", "tunnel", "byteorder" };

    public static IReadOnlyList<RuleAlternative> Analyze(Rule rule, Ruleset ruleset)
    {
        ArgumentNullException.ThrowIfNull(rule);
        IpFamilies families = rule.Family switch
        {
            NetfilterFamily.IPv4 => IpFamilies.IPv4,
            NetfilterFamily.IPv6 => IpFamilies.IPv6,
            NetfilterFamily.Inet => IpFamilies.Both,
            _ => IpFamilies.None,
        };
        var paths = new List<PathState> { new() { Match = PacketMatch.Any with { Families = families } } };
        foreach (NftExpression expression in rule.Expressions)
        {
            var next = new List<PathState>(paths.Count);
            foreach (PathState path in paths)
            {
                if (path.Action is not null)
                {
                    next.Add(path);
                    continue;
                }
                foreach (PathState result in Step(path, expression, rule, ruleset))
                {
                    if (!result.Match.Impossible && !result.Dead)
                    {
                        next.Add(result);
                    }
                }
            }
            paths = next;
            if (paths.Count == 0)
            {
                break;
            }
        }
        var alternatives = new List<RuleAlternative>(paths.Count);
        foreach (PathState path in paths)
        {
            RuleAction action = path.Action ?? RuleAction.Continue;
            if (path.Tproxy && action.Kind is RuleActionKind.Continue or RuleActionKind.Accept)
            {
                action = new RuleAction(RuleActionKind.Tproxy, "tproxy");
            }
            alternatives.Add(new RuleAlternative(path.Match, action, rule, path.Element));
        }
        return alternatives;
    }

    /// <summary>Runs one expression on one path: the paths it leads to (several where a map forks it).</summary>
    private static IEnumerable<PathState> Step(PathState path, NftExpression expression, Rule rule, Ruleset ruleset)
    {
        if (expression is LookupExpression lookup)
        {
            return SetLookups.Apply(path, lookup, rule, ruleset);
        }
        if (!RegisterLoads.TryApply(path, expression) && !ActionExpressions.TryApply(path, expression) && !FieldConditions.TryApply(path, expression))
        {
            Unmodelled(path, expression);
        }
        return new[] { path };
    }

    /// <summary>An expression the analysis does not model: it may have written any register, and unless it only counts, logs or remembers, it narrows the match.</summary>
    private static void Unmodelled(PathState path, NftExpression expression)
    {
        string name = expression.Name;
        if (!s_effectless.Contains(name))
        {
            // Whatever else this expression does, it may have written any register.
            path.Clobber(name);
            if (s_conditions.Contains(name) || !s_loaders.Contains(name))
            {
                path.Match = path.Match.Narrow(name);
            }
        }
    }
}
