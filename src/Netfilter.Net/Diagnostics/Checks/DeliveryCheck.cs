using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Routing;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// After the translation the connection still has to get through the filter chains: input for a
/// redirect, a local forward or tproxy, forward for a forward to another host. There the packet
/// carries the translated port (and for a forward leaves through the interface toward the
/// target), so a firewall that drops it, or ends with policy drop, stops a connection whose NAT
/// rule matched. Every base chain of the hook is walked, whatever its priority.
/// </summary>
internal static class DeliveryCheck
{
    public static void Run(DoctorFacts facts, List<DoctorFinding> findings)
    {
        var walker = new HookWalker(facts.Paths);
        foreach (NatRule rule in facts.RulesInScope())
        {
            (uint hook, PortRange ports, string? oif)? delivery = rule switch
            {
                RedirectRule r => (ChainHooks.Input, PortRange.Single(r.ToPort), (string?)null),
                TproxyRule t => (ChainHooks.Input, t.Ports, null),
                DnatRule d when ListeningCheck.IsLocalTarget(facts, d) => (ChainHooks.Input, d.ToPorts ?? d.Ports ?? new PortRange(1, 65535), null),
                DnatRule d when facts.Routes.TryGetValue(d.ToAddress, out RouteLookup? route) && route is not null
                    => (ChainHooks.Forward, d.ToPorts ?? d.Ports ?? new PortRange(1, 65535), route.OutputInterface),
                _ => null,
            };
            if (delivery is not { } where)
            {
                continue;
            }
            var definite = new List<(PathStop, Probe)>();
            var possible = new List<(PathStop, Probe)>();
            foreach (IpFamilies family in RuleTargets.Families(rule))
            {
                foreach (byte protocol in RuleTargets.Protocol(rule).Numbers())
                {
                    var probe = new Probe(family, protocol, where.ports.First, where.ports.Last)
                    {
                        InputInterface = RuleTargets.InputInterface(rule),
                        OutputInterface = where.oif,
                        // After a redirect or DNAT conntrack has IPS_DST_NAT; tproxy translates nothing.
                        CtStatus = rule is TproxyRule ? 0 : Probe.StatusDestinationNat,
                    };
                    HookWalker.Report report = walker.Walk(probe, where.hook, a => a.Kind is RuleActionKind.Drop or RuleActionKind.Reject or RuleActionKind.Queue, own: null);
                    if (report.Stop is PathStop stop)
                    {
                        definite.Add((stop, probe));
                    }
                    possible.AddRange(report.Possible.Select(p => (p, probe)));
                }
            }
            List<(PathStop Stop, Probe Probe)> hits = definite.Count > 0 ? definite : possible;
            if (hits.Count == 0)
            {
                continue;
            }
            bool certain = definite.Count > 0;
            string hook = RuleTargets.HookName(where.hook);
            string taken = string.Join("; ", hits.Select(h => h.Stop.Description).Distinct());
            string packets = string.Join(", ", hits.Select(h => h.Probe.ToString()).Distinct());
            PathStop first = hits[0].Stop;
            string chain = $"{RuleAlternative.FamilyName(first.BaseChain.Family)} {first.BaseChain.Table} {first.BaseChain.Name}";
            findings.Add(new DoctorFinding(certain ? DoctorSeverity.Error : DoctorSeverity.Warning, DoctorCodes.BlockedAfterTranslation,
                $"after translation, the connections of '{rule}' ({packets}) {(certain ? "are" : "may be")} dropped on the {hook} hook: {taken}.",
                $"The {hook} hook runs after the NAT rule matched, with the translated port: a filter chain there that drops or rejects it, or ends with policy drop, stops the connection anyway."
                    + (certain ? string.Empty : " The rules that could let it through have conditions the doctor does not evaluate (such as ct state or source addresses)."),
                $"Accept translated connections before that (nft insert rule {chain} ct status dnat accept, or {PacketMatch.ProtocolName(hits[0].Probe.Protocol)} dport {where.ports.ToString()} accept), or remove the rule that drops them.")
            { Rule = rule.ToString() });
        }
    }
}
