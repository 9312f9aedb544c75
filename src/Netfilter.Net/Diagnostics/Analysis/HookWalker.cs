using System;
using System.Collections.Generic;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Follows a probe (the first packet of a new connection) through the base chains of one hook in
/// the order the kernel runs them, into jumped-to chains, and reports where it is taken away
/// before it reaches a given rule of ours, or at all.
/// </summary>
/// <remarks>
/// The semantics followed are nf_hook_slow's and nft_do_chain's: accept ends a base chain and the
/// next base chain runs; drop (and reject, queue, stolen) ends the packet's path; a NAT statement
/// ends the rule with accept, and once a connection has a destination NAT binding, later NAT
/// chains of the hook are skipped (nf_nat_inet_fn); jump returns at the end of the chain, goto
/// does not; at the end of a base chain its policy applies.
/// </remarks>
internal sealed class HookWalker
{
    // nft allows 16 levels of jumps (NFT_JUMP_STACK_SIZE); loops are refused by the kernel.
    private const int MaxDepth = 16;

    private readonly RulesetPaths _paths;

    public HookWalker(RulesetPaths paths) => _paths = paths;

    public sealed class Report
    {
        /// <summary>The probe reached the rule of ours it was looking for.</summary>
        public bool Reached { get; set; }

        /// <summary>Where every packet of the probe is taken away, if anywhere before our rule.</summary>
        public PathStop? Stop { get; set; }

        /// <summary>Rules passed on the way that may take some of the packets.</summary>
        public List<PathStop> Possible { get; } = new();
    }

    private enum Outcome
    {
        /// <summary>The end of the chain, or return: the caller goes on.</summary>
        Fell,
        Accepted,
        Stopped,
        Reached,
    }

    /// <summary>
    /// Walks <paramref name="hook"/> for <paramref name="probe"/>. With <paramref name="own"/>, walks
    /// the base chains that run before (and at the same priority as) our chain, then ours up to the
    /// rule whose comment is the probe's identity; without it, every base chain of the hook.
    /// <paramref name="stops"/> says which actions take the packet away for this question.
    /// </summary>
    public Report Walk(Probe probe, uint hook, Func<RuleAction, bool> stops, Chain? own)
    {
        var report = new Report();
        List<Chain> chains = _paths.BaseChains(hook, probe.Family);
        if (own is not null)
        {
            // Another table's chain at our priority may have been registered first: walk it before ours.
            int index = chains.FindIndex(c => c.Family == own.Family && c.Table == own.Table && c.Name == own.Name);
            if (index >= 0)
            {
                Chain ours = chains[index];
                chains.RemoveAt(index);
                int after = chains.FindLastIndex(c => c.Hook!.Priority <= (own.Hook?.Priority ?? 0));
                chains.Insert(after + 1, ours);
            }
        }
        foreach (Chain chain in chains)
        {
            bool isOwn = own is not null && chain.Family == own.Family && chain.Table == own.Table && chain.Name == own.Name;
            bool samePriority = false;
            if (own is not null && !isOwn)
            {
                int ownPriority = own.Hook?.Priority ?? 0;
                if (chain.Hook!.Priority > ownPriority)
                {
                    continue;
                }
                samePriority = chain.Hook.Priority == ownPriority && chain.Table != own.Table;
            }
            var state = new WalkState(report, chain, probe, stops, samePriority, isOwn ? own!.Table : null);
            Outcome outcome = WalkChain(state, chain, partial: samePriority, depth: 0);
            if (outcome == Outcome.Reached)
            {
                report.Reached = true;
                return report;
            }
            if (outcome == Outcome.Stopped)
            {
                return report;
            }
            if (outcome == Outcome.Fell && chain.Policy == VerdictKind.Drop)
            {
                var stop = new PathStop(chain, null, Definite: !state.SawPartialAccept && !samePriority, samePriority);
                if (stop.Definite)
                {
                    report.Stop = stop;
                    return report;
                }
                report.Possible.Add(stop);
            }
            if (isOwn)
            {
                // Our chain ended without reaching the rule: nothing later can matter.
                return report;
            }
        }
        return report;
    }

    private sealed class WalkState
    {
        public WalkState(Report report, Chain baseChain, Probe probe, Func<RuleAction, bool> stops, bool samePriority, string? ownTable)
        {
            Report = report;
            BaseChain = baseChain;
            Probe = probe;
            Stops = stops;
            SamePriority = samePriority;
            OwnTable = ownTable;
        }

        public Report Report { get; }
        public Chain BaseChain { get; }
        public Probe Probe { get; }
        public Func<RuleAction, bool> Stops { get; }
        public bool SamePriority { get; }
        public string? OwnTable { get; }
        public bool SawPartialAccept { get; set; }
    }

    /// <summary>Walks the rules of <paramref name="chain"/> that may match the probe, in order, until one ends the chain's walk.</summary>
    private Outcome WalkChain(WalkState state, Chain chain, bool partial, int depth)
    {
        if (depth > MaxDepth)
        {
            return Outcome.Fell;
        }
        foreach (Rule rule in _paths.RulesOf(chain))
        {
            foreach (RuleAlternative alternative in _paths.Matching(rule, state.Probe))
            {
                if (IsOurRule(state, rule, alternative))
                {
                    return Outcome.Reached;
                }
                bool covers = !partial && alternative.Match.Covers(state.Probe);
                if (Take(state, chain, alternative, covers, partial, depth) is Outcome outcome)
                {
                    return outcome;
                }
            }
        }
        return Outcome.Fell;
    }

    /// <summary>The rule of ours the probe looks for: in our table, with the probe's identity as its comment.</summary>
    private static bool IsOurRule(WalkState state, Rule rule, RuleAlternative alternative) =>
        state.OwnTable is not null && rule.Table == state.OwnTable && state.Probe.Identity is string identity && alternative.Identity == identity;

    /// <summary>
    /// What one alternative that may match does to the probe: the outcome that ends the chain's
    /// walk, or null when the walk goes on with the next. <paramref name="covers"/>: it takes
    /// every packet of the probe, not only some.
    /// </summary>
    private Outcome? Take(WalkState state, Chain chain, RuleAlternative alternative, bool covers, bool partial, int depth)
    {
        RuleAction action = alternative.Action;
        switch (action.Kind)
        {
            case RuleActionKind.Accept:
                if (covers)
                {
                    return Outcome.Accepted;
                }
                state.SawPartialAccept = true;
                return null;
            case RuleActionKind.Jump or RuleActionKind.Goto when action.Chain is not null:
                return FollowJump(state, chain, action, covers, partial, depth);
            case RuleActionKind.Return:
                return covers ? Outcome.Fell : null;
            default:
                return Act(state, alternative, covers);
        }
    }

    /// <summary>
    /// Walks the chain a jump or goto names (the probe goes there only in part unless the rule
    /// covers it): what ends the walk there ends it here; a goto that covers does not return.
    /// </summary>
    private Outcome? FollowJump(WalkState state, Chain chain, RuleAction action, bool covers, bool partial, int depth)
    {
        Chain? target = _paths.FindChain(chain.Family, chain.Table, action.Chain!);
        if (target is null)
        {
            return null;
        }
        Outcome inner = WalkChain(state, target, partial || !covers, depth + 1);
        if (inner is Outcome.Reached or Outcome.Stopped or Outcome.Accepted)
        {
            return inner;
        }
        return action.Kind == RuleActionKind.Goto && covers ? Outcome.Fell : null;
    }

    /// <summary>
    /// Any other action: one the question counts as taking the packet away is a stop (definite
    /// when it covers the probe outside a same-priority chain, else possible); a NAT or tproxy
    /// statement the question does not care about still ends the rule with accept.
    /// </summary>
    private static Outcome? Act(WalkState state, RuleAlternative alternative, bool covers)
    {
        RuleAction action = alternative.Action;
        if (state.Stops(action))
        {
            var stop = new PathStop(state.BaseChain, alternative, covers && !state.SamePriority, state.SamePriority);
            if (stop.Definite)
            {
                state.Report.Stop = stop;
                return Outcome.Stopped;
            }
            state.Report.Possible.Add(stop);
        }
        else if (covers && action.Kind is RuleActionKind.DestinationNat or RuleActionKind.SourceNat or RuleActionKind.Tproxy)
        {
            // A NAT or tproxy statement this question does not care about still ends
            // the rule with accept, and so the base chain.
            return Outcome.Accepted;
        }
        return null;
    }
}
