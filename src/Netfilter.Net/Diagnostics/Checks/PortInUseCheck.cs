using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Nat;
using Netfilter.Net.Sockets;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// A public port that a local process already holds: the forward or redirect runs in prerouting,
/// before the kernel looks for a socket, so connections from other hosts to that port never reach
/// the process any more (and the process's owner may wonder why). Sockets bound to loopback only
/// are left out unless the rule also catches local connections, since other hosts never reached them.
/// </summary>
internal static class PortInUseCheck
{
    public static void Run(DoctorFacts facts, List<DoctorFinding> findings)
    {
        if (!facts.ListeningKnown)
        {
            return;
        }
        foreach (NatRule rule in facts.RulesInScope())
        {
            (PortRange ports, IPAddress? destination, TransportProtocol protocol, bool local, string goesTo)? claim = rule switch
            {
                RedirectRule r => (r.Ports, r.Destination, r.Protocol, r.IncludeLocal, $"port {r.ToPort}"),
                DnatRule d when d.Ports is PortRange p => (p, d.Destination, d.Protocol, d.IncludeLocal, d.IsIPv6 ? $"[{d.ToAddress}]" : d.ToAddress.ToString()),
                _ => null,
            };
            if (claim is not { } c)
            {
                continue;
            }
            foreach (byte number in c.protocol.Numbers())
            {
                ProtocolType protocol = number == 6 ? ProtocolType.Tcp : ProtocolType.Udp;
                List<ListeningSocket> holders = facts.Listening
                    .Where(s => s.Protocol == protocol && s.LocalEndPoint.Port >= c.ports.First && s.LocalEndPoint.Port <= c.ports.Last
                                && (c.destination is null || s.Accepts(c.destination))
                                && (c.local || !ListeningCheck.IsLoopback(s.LocalEndPoint.Address))
                                && !IsTheTarget(facts, rule, s))
                    .ToList();
                if (holders.Count == 0)
                {
                    continue;
                }
                string who = string.Join(" and ", holders.Select(s => $"{facts.SocketOwner(s.Inode) ?? "a process"} listens on {s}"));
                string localClients = c.local
                    ? "connections made on this host are taken over too ('local'), so nothing reaches it any more"
                    : "only connections made on this host still reach it";
                findings.Add(new DoctorFinding(DoctorSeverity.Warning, DoctorCodes.PublicPortInUse,
                    $"{who}: a public port that '{rule}' takes over.",
                    $"The rule rewrites the destination in prerouting, before the kernel looks for a socket: connections from other hosts go to {c.goesTo} and never reach the process on port {c.ports}; {localClients}.",
                    DoctorFixText.Of($"Use another public port ({Advice.Remove(facts, rule)}, then add it with another --port), or move or stop the service that holds the port."))
                { Rule = rule.ToString() });
            }
        }
    }

    /// <summary>A socket the rule itself delivers to (a redirect to its own public port, a local forward's target) is not a conflict.</summary>
    private static bool IsTheTarget(DoctorFacts facts, NatRule rule, ListeningSocket socket) => rule switch
    {
        RedirectRule r => socket.LocalEndPoint.Port == r.ToPort,
        DnatRule d => ListeningCheck.IsLocalTarget(facts, d) && socket.Accepts(d.ToAddress)
                      && socket.LocalEndPoint.Port >= (d.ToPorts ?? d.Ports)!.Value.First && socket.LocalEndPoint.Port <= (d.ToPorts ?? d.Ports)!.Value.Last,
        _ => false,
    };
}
