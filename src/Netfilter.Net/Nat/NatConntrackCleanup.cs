using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Nat;

/// <summary>
/// Deletes the conntrack entries of removed forwards and redirects. Without this, existing flows
/// keep the translation they started with; for UDP (DNS, games, VPNs) a "flow" never ends while
/// packets keep coming, so a changed target would never take effect.
/// </summary>
/// <remarks>
/// One dump of the destination-NATed entries serves every rule of a change (a dump walks the
/// whole conntrack hash table, empty or not, so one per rule made removing 10,000 forwards take
/// minutes): each entry is matched against the rules indexed by protocol and public port.
/// </remarks>
internal static class NatConntrackCleanup
{
    /// <summary>Deletes the entries that <paramref name="rules"/> translated; returns how many.</summary>
    public static async Task<int> DeleteFlowsAsync(IConntrackClient conntrack, IReadOnlyList<NatRule> rules, CancellationToken cancellationToken)
    {
        var byPort = new Dictionary<(ProtocolType, int), List<NatRule>>();
        var wide = new List<NatRule>();
        foreach (NatRule rule in rules)
        {
            (TransportProtocol protocol, PortRange? ports) = rule switch
            {
                DnatRule d => (d.Protocol, d.Ports),
                RedirectRule r => (r.Protocol, (PortRange?)r.Ports),
                _ => (default, null),
            };
            if (rule is not (DnatRule or RedirectRule))
            {
                continue;
            }
            if (ports is PortRange { Count: <= 16 } few)
            {
                foreach (byte number in protocol.Numbers())
                {
                    for (int port = few.First; port <= few.Last; port++)
                    {
                        var key = ((ProtocolType)number, port);
                        if (!byPort.TryGetValue(key, out List<NatRule>? list))
                        {
                            byPort[key] = list = new List<NatRule>();
                        }
                        list.Add(rule);
                    }
                }
            }
            else
            {
                wide.Add(rule);
            }
        }
        if (byPort.Count == 0 && wide.Count == 0)
        {
            return 0;
        }
        var filter = new ConntrackFilter { Status = ConntrackStatus.DestinationNat, StatusMask = ConntrackStatus.DestinationNat };
        // Collect first: the client runs one request at a time, so deleting inside the dump would wait forever.
        var matches = new List<ConntrackEntry>();
        await foreach (ConntrackEntry entry in conntrack.DumpAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            if (entry.Original.DestinationPort is not int port)
            {
                continue;
            }
            IEnumerable<NatRule> candidates = byPort.TryGetValue((entry.Protocol, port), out List<NatRule>? list) ? list.Concat(wide) : wide;
            if (candidates.Any(rule => NatConnectionMatch.Translated(rule, entry)))
            {
                matches.Add(entry);
            }
        }
        int deleted = 0;
        foreach (ConntrackEntry entry in matches)
        {
            if (await conntrack.DeleteAsync(entry, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }
        return deleted;
    }
}
