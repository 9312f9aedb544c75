using System.Collections.Generic;
using System.Linq;
using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// A forward to 127.0.0.0/8 works for clients on other hosts only with route_localnet on the
/// interface they arrive on: after DNAT the kernel sees a packet from outside to a loopback
/// address and drops it as a martian (ip_route_input_slow, IN_DEV_NET_ROUTE_LOCALNET). Turning
/// it on is dangerous (CVE-2020-8558), so the fix names the one interface, and a setting for
/// every interface is a warning of its own. IPv6 has no such switch: a forward to ::1 never works.
/// </summary>
internal static class RouteLocalnetCheck
{
    private const string Cve =
        "With route_localnet on, the kernel also accepts packets that arrive addressed to 127.0.0.1, so any host on that link can reach every service bound to localhost (CVE-2020-8558). Prefer a redirect (it delivers to the interface's own address) or a service listening on a non-loopback address; if you keep the forward, enable it on the ingress interface only and drop untranslated traffic: iifname != \"lo\" ip daddr 127.0.0.0/8 ct status != dnat drop.";

    public static void Run(DoctorFacts facts, List<DoctorFinding> findings)
    {
        bool exposedReported = false;
        foreach (DnatRule rule in facts.RulesInScope().OfType<DnatRule>())
        {
            if (rule.ToAddress.Equals(IPAddress.IPv6Loopback))
            {
                findings.Add(new DoctorFinding(DoctorSeverity.Error, DoctorCodes.ForwardToIPv6Loopback,
                    $"'{rule}' forwards to ::1, which IPv6 never accepts from another interface.",
                    "IPv6 has no route_localnet: after DNAT the kernel drops a packet from outside addressed to ::1 (ip6_route_input treats loopback as martian), so only connections made on this host could work.",
                    DoctorFixText.Of($"Use a redirect instead ({Advice.Add(facts, AsRedirect(rule))}; RedirectRule), or have the service listen on a non-loopback address and forward there."))
                { Rule = rule.ToString() });
                continue;
            }
            if (!DoctorFactsReader.IsIPv4Loopback(rule.ToAddress) || facts.RouteLocalnetAll is not bool all)
            {
                continue;
            }
            if (all)
            {
                if (!exposedReported)
                {
                    exposedReported = true;
                    findings.Add(new DoctorFinding(DoctorSeverity.Warning, DoctorCodes.RouteLocalnetExposed,
                        $"route_localnet is on for every interface in {facts.NamespaceText} (net.ipv4.conf.all.route_localnet = 1), for '{rule}'.",
                        Cve,
                        DoctorFixText.Of($"Turn it off for all and on for the ingress interface only: {Advice.Sysctl(facts, "net.ipv4.conf.all.route_localnet", "0")}, then {Advice.Sysctl(facts, $"net.ipv4.conf.{rule.InputInterface ?? "IF"}.route_localnet", "1")} (RouteLocalnet.Disable(\"all\", ns); RouteLocalnet.Enable(\"{rule.InputInterface ?? "IF"}\", ns))."))
                    { Rule = rule.ToString() });
                }
                continue;
            }
            if (rule.InputInterface is string iif)
            {
                if (!facts.RouteLocalnet.TryGetValue(iif, out bool on) || !on)
                {
                    findings.Add(Off(facts, rule, iif, $"interface {iif}, where the forward's connections arrive,"));
                }
                continue;
            }
            List<string> enabled = facts.RouteLocalnet.Where(p => p.Value).Select(p => p.Key).OrderBy(n => n, System.StringComparer.Ordinal).ToList();
            if (enabled.Count == 0)
            {
                string candidates = string.Join(", ", facts.RouteLocalnet.Keys.OrderBy(n => n, System.StringComparer.Ordinal));
                findings.Add(Off(facts, rule, candidates.Length == 0 ? "IF" : candidates.Split(", ")[0], $"every interface ({(candidates.Length == 0 ? "none besides lo" : candidates)})"));
            }
        }
    }

    private static DoctorFinding Off(DoctorFacts facts, DnatRule rule, string iif, string where) =>
        new(DoctorSeverity.Error, DoctorCodes.RouteLocalnetOff,
            $"'{rule}' forwards to the loopback address {rule.ToAddress}, but route_localnet is off on {where}.",
            $"After DNAT the kernel sees a packet from another host addressed to {rule.ToAddress} and drops it as a martian unless net.ipv4.conf.<ingress>.route_localnet is 1; only connections made on this host could work. {Cve}",
            DoctorFixText.Of($"On the interface clients arrive on only: {Advice.Sysctl(facts, $"net.ipv4.conf.{iif}.route_localnet", "1")} (RouteLocalnet.Enable(\"{iif}\", {Advice.Namespace(facts)})); better, replace the forward with a redirect: {Advice.Remove(facts, rule)}, then {Advice.Add(facts, AsRedirect(rule))} (NatTable.ApplyAsync with the RedirectRule in its place)."))
        { Rule = rule.ToString() };

    /// <summary>The redirect that does what a forward to ::1 meant: the same ports, to the target port on this host.</summary>
    private static RedirectRule AsRedirect(DnatRule rule) =>
        new(rule.Protocol, rule.Ports ?? new PortRange(1, 65535), rule.TargetPortFor(rule.Ports?.First ?? 1));
}
