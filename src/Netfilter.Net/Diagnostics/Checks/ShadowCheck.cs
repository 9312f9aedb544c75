using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Does a forward, redirect or tproxy rule of ours ever see its packets? The whole ruleset is
/// walked (<see cref="HookWalker"/>) for the first packet of a connection to the rule's public
/// port: every base chain of the hook that runs before our chain (lower priority number, or the
/// same priority in another table), and our own chain up to the rule. A drop, reject, queue, or
/// another destination NAT or tproxy of the same port on the way takes the packet first.
/// </summary>
internal static class ShadowCheck
{
    public static void Run(DoctorFacts facts, List<DoctorFinding> findings)
    {
        var walker = new HookWalker(facts.Paths);
        foreach (NatRule rule in facts.RulesInScope())
        {
            PortRange ports = RuleTargets.PublicPorts(rule);
            bool tproxy = rule is TproxyRule;
            var definite = new List<(PathStop Stop, Probe Probe, uint Hook, Chain Own)>();
            var possible = new List<(PathStop Stop, Probe Probe, uint Hook, Chain Own)>();
            foreach ((uint hook, string chainName) in RuleTargets.OwnChains(rule))
            {
                Chain? own = facts.Paths.FindChain(NetfilterFamily.Inet, facts.Table, chainName);
                if (own is null)
                {
                    continue; // TableCheck reports the missing chain.
                }
                foreach (IpFamilies family in RuleTargets.Families(rule))
                {
                    foreach (byte protocol in RuleTargets.Protocol(rule).Numbers())
                    {
                        var probe = new Probe(family, protocol, ports.First, ports.Last)
                        {
                            // Locally generated packets (output) have no input interface.
                            InputInterface = hook == ChainHooks.Prerouting ? RuleTargets.InputInterface(rule) : null,
                            Identity = rule.ToString(),
                        };
                        HookWalker.Report report = walker.Walk(probe, hook, a => Takes(a, tproxy), own);
                        if (report.Stop is PathStop stop)
                        {
                            definite.Add((stop, probe, hook, own));
                        }
                        possible.AddRange(report.Possible.Select(p => (p, probe, hook, own)));
                    }
                }
            }
            if (definite.Count > 0)
            {
                findings.Add(Finding(facts, rule, DoctorSeverity.Error, definite));
            }
            else if (possible.Count > 0)
            {
                findings.Add(Finding(facts, rule, DoctorSeverity.Warning, possible));
            }
        }
    }

    /// <summary>What takes a packet before our rule: anything that ends it, and for NAT rules another destination NAT (nf_nat_inet_fn stops at the first binding) or tproxy.</summary>
    private static bool Takes(RuleAction action, bool tproxy) => action.Kind switch
    {
        RuleActionKind.Drop or RuleActionKind.Reject or RuleActionKind.Queue or RuleActionKind.Tproxy => true,
        RuleActionKind.DestinationNat => !tproxy,
        _ => false,
    };

    private static DoctorFinding Finding(DoctorFacts facts, NatRule rule, DoctorSeverity severity, List<(PathStop Stop, Probe Probe, uint Hook, Chain Own)> hits)
    {
        var groups = hits.GroupBy(h => h.Stop.Description).ToList();
        (PathStop stop, Probe probe, uint hook, Chain own) = groups[0].First();
        string packets = string.Join(", ", groups[0].Select(h => h.Probe.ToString()).Distinct());
        string taken = string.Join("; ", groups.Select(g => g.Key));
        bool ours = stop.Alternative is RuleAlternative a && a.Rule.Family == NetfilterFamily.Inet && a.Rule.Table == facts.Table;
        string problem = severity == DoctorSeverity.Error
            ? $"'{rule}' never sees its packets ({packets}): {taken} takes them first."
            : $"'{rule}' may not see all its packets ({packets}): {taken} may take some of them first.";
        string why;
        DoctorFixText fix;
        if (ours)
        {
            _ = NatRuleParser.TryParse(stop.Alternative!.Identity ?? string.Empty, out NatRule? other, out _); // other is null when it does not parse
            why = $"In table inet {facts.Table} the {own.Name} chain runs the rules with conditions first, then the redirect map, then the forward maps; the first one that matches a port wins, so two rules of the table claim the same port and protocol.";
            fix = other is not null
                ? DoctorFixText.Of($"Keep one of the two: {Advice.Remove(facts, other)} ({Advice.RemoveCall(other)}), or {Advice.Remove(facts, rule)}.")
                : DoctorFixText.Of($"Remove the rule that claims the port first, or {Advice.Remove(facts, rule)}.");
        }
        else
        {
            int theirs = stop.BaseChain.Hook?.Priority ?? 0;
            int ourPriority = own.Hook?.Priority ?? 0;
            why = $"Base chains on the {RuleTargets.HookName(hook)} hook run in priority order, lower first: table {RuleAlternative.FamilyName(stop.BaseChain.Family)} {stop.BaseChain.Table} chain {stop.BaseChain.Name} has priority {theirs.ToString(CultureInfo.InvariantCulture)}, ours (table inet {facts.Table} chain {own.Name}) {ourPriority.ToString(CultureInfo.InvariantCulture)}. A packet an earlier chain drops, rejects or translates never reaches a later NAT rule."
                + (stop.SamePriority ? " With equal priorities the kernel runs the chains in the order they were registered, which a listing does not show: the other one may run first." : string.Empty)
                + (stop.Alternative is RuleAlternative partial && !partial.Match.Covers(probe)
                    ? " That rule has conditions the doctor does not evaluate, or covers only part of the ports, so it may take only some connections."
                    : string.Empty);
            fix = stop.Alternative is RuleAlternative alternative
                ? DoctorFixText.Of($"Remove or narrow that rule (nft delete rule {RuleAlternative.FamilyName(alternative.Rule.Family)} {alternative.Rule.Table} {alternative.Rule.Chain} handle {alternative.Rule.Handle.ToString(CultureInfo.InvariantCulture)}{(alternative.Element is not null ? ", or delete its map entry" : string.Empty)}), or use another public port for '{rule}'.")
                : DoctorFixText.Of($"Accept the port in that chain before its policy applies (nft insert rule {RuleAlternative.FamilyName(stop.BaseChain.Family)} {stop.BaseChain.Table} {stop.BaseChain.Name} {PacketMatch.ProtocolName(probe.Protocol)} dport {RuleTargets.PublicPorts(rule)} accept), or give the chain policy accept.");
        }
        return new DoctorFinding(severity, DoctorCodes.RuleShadowed, problem, why, fix) { Rule = rule.ToString() };
    }
}
