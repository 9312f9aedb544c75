using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Routing;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Will the server's replies come back through this host? After DNAT the server sees the
/// client's own address and answers it directly; unless that answer is routed through this host,
/// conntrack never sees it, the reverse translation never happens and the client drops a reply
/// from an address it did not call. Two things make replies return: the server routes toward the
/// clients through this host (typically: this host is its default gateway), or this host rewrites
/// the source of forwarded connections (masquerade or SNAT) so the server answers this host.
/// </summary>
/// <remarks>
/// The doctor cannot see the server's routing table, so the heuristic is: a forward to another
/// host is covered when it masquerades itself (<see cref="DnatRule.Masquerade"/>), or when a
/// <see cref="MasqueradeRule"/> or <see cref="SnatRule"/> of the table applies to it (its output
/// interface is the one the route to the target leaves through, or none, and its source prefixes,
/// if any, contain the forward's), or when some other table's postrouting chain masquerades or
/// SNATs every forwarded packet toward the target. Otherwise conntrack decides when it has seen
/// the forward's connections: if any of them saw a reply, the server does route back and nothing
/// is reported; if there are some and none saw a reply, the finding is an error with that count.
/// With no connections to judge by, it is a warning that names the route to the target: harmless
/// exactly when the server routes back through this host.
/// </remarks>
internal static class ReturnPathCheck
{
    public static void Run(DoctorFacts facts, List<DoctorFinding> findings)
    {
        foreach (DnatRule rule in facts.RulesInScope().OfType<DnatRule>())
        {
            if (rule.Masquerade || !facts.Routes.TryGetValue(rule.ToAddress, out RouteLookup? route) || route is null || route.IsLocal)
            {
                continue;
            }
            if (CoveredByTypedRule(facts, rule, route))
            {
                continue;
            }
            (bool covered, List<PathStop> possible) = CoveredByRuleset(facts, rule, route);
            if (covered)
            {
                continue;
            }
            facts.ReplyEvidence.TryGetValue(rule.ToString(), out ReplyEvidence evidence);
            if (evidence.Replied > 0)
            {
                // conntrack saw replies to this forward's connections: the server routes back through this host.
                continue;
            }
            string path = route.IsDirectlyConnected
                ? $"{rule.ToAddress} is on the network of {route.OutputInterface ?? "an interface"} here: if its default gateway is this host ({route.PreferredSource}), replies come back without masquerade; otherwise"
                : $"{rule.ToAddress} is reached through the gateway {route.Gateway}: unless that network routes replies to the clients back through this host,";
            string others = possible.Count == 0
                ? string.Empty
                : $" ({string.Join("; ", possible.Select(p => p.Description))} may masquerade some of these connections, under conditions the doctor does not evaluate.)";
            bool seen = evidence.Unreplied > 0;
            string observed = seen
                ? $" conntrack shows {evidence.Unreplied} connection{(evidence.Unreplied == 1 ? string.Empty : "s")} of this forward that never saw a reply, and none that did."
                : string.Empty;
            findings.Add(new DoctorFinding(seen ? DoctorSeverity.Error : DoctorSeverity.Warning, DoctorCodes.NoReturnPath,
                $"'{rule}' forwards to another host without masquerade, and no masquerade or SNAT rule covers connections leaving through {route.OutputInterface ?? "the interface toward the target"}.{observed}",
                $"The server sees the client's address and answers it directly. {path} the reply bypasses this host, the reverse translation never happens, and the client drops it: the connection hangs.{(seen ? " (Unreplied entries can also mean the server is down or never got the packets.)" : string.Empty)}{others}",
                DoctorFixText.Of($"Masquerade the forward: {Advice.Remove(facts, rule)} then {Advice.Add(facts, WithMasquerade(rule))} (ApplyAsync with new DnatRule(..., masquerade: true)); or {Advice.Add(facts, new MasqueradeRule(route.OutputInterface ?? "IF"))} (MasqueradeRule); or make this host the server's gateway."))
            { Rule = rule.ToString() });
        }
    }

    private static bool CoveredByTypedRule(DoctorFacts facts, DnatRule rule, RouteLookup route)
    {
        foreach (NatRule other in facts.Rules)
        {
            (string? oif, IReadOnlyList<IPNetwork> sources, AddressFamily? family) = other switch
            {
                MasqueradeRule m => (m.OutputInterface, m.Sources, (AddressFamily?)null),
                SnatRule s => (s.OutputInterface, s.Sources, s.ToAddress.AddressFamily),
                _ => (null, (IReadOnlyList<IPNetwork>)System.Array.Empty<IPNetwork>(), (AddressFamily?)AddressFamily.Unknown),
            };
            if (family == AddressFamily.Unknown || (family is AddressFamily f && f != rule.ToAddress.AddressFamily))
            {
                continue;
            }
            if (oif is not null && (route.OutputInterface is null || !PacketMatch.NameMatches(oif, route.OutputInterface)))
            {
                continue;
            }
            bool sourcesCovered = sources.Count == 0
                || (rule.Sources.Count > 0 && rule.Sources.All(client => sources.Any(s => s.Contains(client.BaseAddress) && s.PrefixLength <= client.PrefixLength)));
            if (sourcesCovered)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Another table (or a rule of ours in post_rules) masquerades or SNATs every forwarded packet toward the target.</summary>
    private static (bool Covered, List<PathStop> Possible) CoveredByRuleset(DoctorFacts facts, DnatRule rule, RouteLookup route)
    {
        var possible = new List<PathStop>();
        IpFamilies family = rule.IsIPv6 ? IpFamilies.IPv6 : IpFamilies.IPv4;
        PortRange target = rule.ToPorts ?? rule.Ports ?? new PortRange(1, 65535);
        var walker = new HookWalker(facts.Paths);
        foreach (byte protocol in rule.Protocol.Numbers())
        {
            var probe = new Probe(family, protocol, target.First, target.Last) { OutputInterface = route.OutputInterface, CtStatus = Probe.StatusDestinationNat };
            HookWalker.Report report = walker.Walk(probe, ChainHooks.Postrouting, a => a.Kind == RuleActionKind.SourceNat, own: null);
            if (report.Stop is null)
            {
                possible.AddRange(report.Possible.Where(p => p.Alternative is null || !(p.Alternative.Rule.Family == NetfilterFamily.Inet && p.Alternative.Rule.Table == facts.Table)));
                return (false, possible);
            }
        }
        return (true, possible);
    }

    private static DnatRule WithMasquerade(DnatRule d) =>
        new(d.Protocol, d.Ports, d.ToAddress, d.ToPorts, d.Destination, d.InputInterface, d.Sources, d.Persistent, d.Random, masquerade: true, d.Hairpin, d.IncludeLocal);
}
