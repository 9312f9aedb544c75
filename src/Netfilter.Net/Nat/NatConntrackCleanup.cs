using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Nat;

/// <summary>
/// Deletes the conntrack entries of a removed forward or redirect. Without this, existing flows
/// keep the translation they started with; for UDP (DNS, games, VPNs) a "flow" never ends while
/// packets keep coming, so a changed target would never take effect.
/// </summary>
internal static class NatConntrackCleanup
{
    /// <summary>Deletes the entries that <paramref name="rule"/> translated; returns how many.</summary>
    public static async Task<int> DeleteFlowsAsync(ConntrackClient conntrack, NatRule rule, CancellationToken cancellationToken)
    {
        (TransportProtocol protocol, PortRange? ports, System.Net.IPAddress? target, ushort? targetPort) = rule switch
        {
            DnatRule d => (d.Protocol, d.Ports, d.ToAddress, d.ToPorts?.IsSingle == true ? d.ToPorts.Value.First : (ushort?)null),
            RedirectRule r => (r.Protocol, (PortRange?)r.Ports, (System.Net.IPAddress?)null, (ushort?)r.ToPort),
            _ => (TransportProtocol.Tcp, null, null, null),
        };
        if (rule is not (DnatRule or RedirectRule))
        {
            return 0;
        }
        int deleted = 0;
        foreach (byte number in protocol.Numbers())
        {
            var filter = new ConntrackFilter
            {
                Protocol = (ProtocolType)number,
                Status = ConntrackStatus.DestinationNat,
                StatusMask = ConntrackStatus.DestinationNat,
            };
            // Collect first: the client runs one request at a time, so deleting inside the dump would wait forever.
            var matches = new System.Collections.Generic.List<ConntrackEntry>();
            await foreach (ConntrackEntry entry in conntrack.DumpAsync(filter, cancellationToken).ConfigureAwait(false))
            {
                // The reply tuple's source is where the connection was really sent.
                bool port = ports is not PortRange p || (entry.Original.DestinationPort is ushort dp && dp >= p.First && dp <= p.Last);
                bool address = target is null || entry.Reply.Source.Equals(target);
                bool toPort = targetPort is null || entry.Reply.SourcePort == targetPort;
                if (port && address && toPort)
                {
                    matches.Add(entry);
                }
            }
            foreach (ConntrackEntry entry in matches)
            {
                if (await conntrack.DeleteAsync(entry, cancellationToken).ConfigureAwait(false))
                {
                    deleted++;
                }
            }
        }
        return deleted;
    }
}
