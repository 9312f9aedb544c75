using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Nat;
using Netfilter.Net.Routing;
using Netfilter.Net.Sockets;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Something must listen where a rule delivers on this host: the target port of a redirect, of a
/// forward to one of this host's own addresses (loopback included), and of a tproxy rule. Read
/// over NETLINK_SOCK_DIAG (<see cref="ListeningSockets"/>), never from /proc/net. A redirect's
/// target that listens on loopback only is reached by local clients but not by redirected ones:
/// redirect rewrites the destination to the primary address of the interface the packet came in
/// on (nf_nat_redirect_ipv4), which a socket bound to 127.0.0.1 does not accept.
/// </summary>
internal static class ListeningCheck
{
    public static void Run(DoctorFacts facts, List<DoctorFinding> findings)
    {
        if (!facts.ListeningKnown)
        {
            return;
        }
        foreach (NatRule rule in facts.RulesInScope())
        {
            (PortRange ports, IPAddress? address, TransportProtocol protocol, string delivers)? target = rule switch
            {
                RedirectRule r => (PortRange.Single(r.ToPort), (IPAddress?)null, r.Protocol, "redirects connections"),
                DnatRule d when IsLocalTarget(facts, d) && (d.ToPorts ?? d.Ports) is PortRange p => (p, d.ToAddress, d.Protocol, "forwards connections"),
                TproxyRule t => (PortRange.Single(t.ToPort), t.ToAddress, t.Protocol, "hands connections (tproxy)"),
                _ => null,
            };
            if (target is not { } t2)
            {
                continue;
            }
            foreach (byte number in t2.protocol.Numbers())
            {
                ProtocolType protocol = number == 6 ? ProtocolType.Tcp : ProtocolType.Udp;
                string name = number == 6 ? "tcp" : "udp";
                string port = t2.ports.ToString();
                List<ListeningSocket> sockets = facts.Listening
                    .Where(s => s.Protocol == protocol && s.LocalEndPoint.Port >= t2.ports.First && s.LocalEndPoint.Port <= t2.ports.Last
                                && (t2.address is null || s.Accepts(t2.address)))
                    .ToList();
                if (sockets.Count == 0)
                {
                    string at = t2.address is null ? string.Empty : $" for {t2.address}";
                    string consequence = number == 6
                        ? "TCP clients get a reset (connection refused)"
                        : "UDP datagrams are dropped with port unreachable";
                    string how = rule is TproxyRule
                        ? $"Start the proxy on {name} port {port} with IP_TRANSPARENT (TransparentSocket)"
                        : $"Start the service on {name} port {port}{(t2.address is null ? " (bound to 0.0.0.0 or ::)" : $" (bound to {t2.address} or the wildcard)")}";
                    findings.Add(new DoctorFinding(DoctorSeverity.Error, DoctorCodes.TargetNotListening,
                        $"nothing listens on {name} port {port}{at} in {facts.NamespaceText}, where '{rule}' {t2.delivers}.",
                        $"The rule delivers to port {port} on this host; with no socket there {consequence}.",
                        DoctorFixText.Of($"{how}, or point the rule at the port the service uses: {Advice.Remove(facts, rule)}, then add it with the right target port."))
                    { Rule = rule.ToString() });
                    continue;
                }
                if (rule is RedirectRule && sockets.All(s => IsLoopback(s.LocalEndPoint.Address)))
                {
                    string bound = string.Join(", ", sockets.Select(s => s.ToString()));
                    findings.Add(new DoctorFinding(DoctorSeverity.Warning, DoctorCodes.TargetListensOnLoopbackOnly,
                        $"the target of '{rule}' listens on loopback only ({bound}).",
                        "A redirect rewrites the destination to the primary address of the interface the connection arrived on, and a socket bound to a loopback address does not accept that: connections from other hosts are refused; only connections made on this host (with 'local') reach it.",
                        $"Bind the service to the wildcard (0.0.0.0:{t2.ports.First.ToString(CultureInfo.InvariantCulture)} or [::]:{t2.ports.First.ToString(CultureInfo.InvariantCulture)}) or to the address clients reach.")
                    { Rule = rule.ToString() });
                }
            }
        }
    }

    /// <summary>True when a forward's target is this host (one of its addresses, or loopback).</summary>
    internal static bool IsLocalTarget(DoctorFacts facts, DnatRule rule) =>
        IPAddress.IsLoopback(rule.ToAddress) || (facts.Routes.TryGetValue(rule.ToAddress, out RouteLookup? route) && route is { IsLocal: true });

    internal static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
