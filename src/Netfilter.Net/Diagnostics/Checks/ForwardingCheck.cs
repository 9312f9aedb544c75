using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using Netfilter.Net.Nat;
using Netfilter.Net.Routing;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// A forward to another host needs the namespace to route: IP forwarding on for the family
/// (net.ipv4.ip_forward, net.ipv6.conf.all.forwarding), and on for the interface the forward's
/// connections arrive on when the rule names one (ip_route_input_slow checks IN_DEV_FORWARD of
/// the input device). And it needs a route to the target at all.
/// </summary>
internal static class ForwardingCheck
{
    public static void Run(DoctorFacts facts, List<DoctorFinding> findings)
    {
        var offByFamily = new Dictionary<AddressFamily, List<DnatRule>>();
        foreach (DnatRule rule in facts.RulesInScope().OfType<DnatRule>())
        {
            if (!facts.Routes.TryGetValue(rule.ToAddress, out RouteLookup? route))
            {
                continue;
            }
            if (route is null)
            {
                findings.Add(new DoctorFinding(DoctorSeverity.Error, DoctorCodes.TargetUnreachable,
                    $"{facts.NamespaceText} has no route to {rule.ToAddress}, the target of '{rule}'.",
                    "After DNAT the kernel routes the packet to the target; with no route (or an unreachable, blackhole or prohibit route) it is dropped.",
                    DoctorFixText.Of($"Add a route toward {rule.ToAddress} (ip route add ... in the namespace), or correct the target: {Advice.Remove(facts, rule)} then add the forward with the right address."))
                { Rule = rule.ToString() });
                continue;
            }
            if (route.IsLocal || facts.Forwarding is not ForwardingStatus forwarding)
            {
                continue;
            }
            bool on = rule.IsIPv6 ? forwarding.IPv6 : forwarding.IPv4;
            if (!on)
            {
                AddressFamily family = rule.ToAddress.AddressFamily;
                if (!offByFamily.TryGetValue(family, out List<DnatRule>? list))
                {
                    offByFamily[family] = list = new List<DnatRule>();
                }
                list.Add(rule);
                continue;
            }
            if (rule.InputInterface is string iif && facts.InterfaceForwarding.TryGetValue(iif, out ForwardingStatus? perInterface)
                && !(rule.IsIPv6 ? perInterface.IPv6 : perInterface.IPv4))
            {
                string key = $"net.{(rule.IsIPv6 ? "ipv6" : "ipv4")}.conf.{iif}.forwarding";
                findings.Add(new DoctorFinding(DoctorSeverity.Error, DoctorCodes.ForwardingOff,
                    $"{Advice.Family(rule.ToAddress.AddressFamily)} forwarding is off on interface {iif}, where '{rule}' receives its connections.",
                    $"The kernel forwards a packet only when forwarding is on for the interface it arrived on ({key} = 0), whatever the global switch says.",
                    Advice.SysctlFix(facts, key, "1", DoctorFixText.Of($"{Advice.Sysctl(facts, key, "1")} (Forwarding.Enable(NetfilterFamily.{(rule.IsIPv6 ? "IPv6" : "IPv4")}, \"{iif}\", {Advice.Namespace(facts)})).")))
                { Rule = rule.ToString() });
            }
        }
        foreach ((AddressFamily family, List<DnatRule> rules) in offByFamily)
        {
            bool v6 = family == AddressFamily.InterNetworkV6;
            string key = v6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward";
            string which = rules.Count == 1 ? $"'{rules[0]}' sends" : $"{rules.Count} forwards send";
            string targets = string.Join(", ", rules.Select(r => r.ToAddress.ToString()).Distinct());
            findings.Add(new DoctorFinding(DoctorSeverity.Error, DoctorCodes.ForwardingOff,
                $"{Advice.Family(family)} forwarding is off in {facts.NamespaceText} ({key} = 0), and {which} connections to another host ({targets}).",
                "After DNAT the packet is addressed to another host; with forwarding off the kernel drops it instead of routing it on, so clients time out.",
                Advice.SysctlFix(facts, key, "1", DoctorFixText.Of($"{Advice.Forwarding(facts, v6 ? NetfilterFamily.IPv6 : NetfilterFamily.IPv4)} (Forwarding.Enable(NetfilterFamily.{(v6 ? "IPv6" : "IPv4")}, {Advice.Namespace(facts)})).")))
            { Rule = rules.Count == 1 ? rules[0].ToString() : null });
        }
    }
}
