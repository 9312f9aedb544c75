using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Nat;

/// <summary>
/// Which typed rule translated a tracked connection, read from the conntrack entry's two tuples:
/// the original tuple says what the client asked for (protocol, public address and port, its own
/// address), the reply tuple's source says where the connection was really sent. Used to clear
/// the flows of a removed rule (<see cref="NatConntrackCleanup"/>) and to attribute a connection
/// to its rule in the access log (<see cref="NatAccessLog"/>).
/// </summary>
/// <remarks>
/// Only destination rules translate a connection's target: <see cref="DnatRule"/> and
/// <see cref="RedirectRule"/>. The input interface is not in a conntrack entry, so two rules that
/// differ only by it cannot be told apart here (the claim rules let them coexist only when their
/// packets differ in something else, which the tuples usually show).
/// </remarks>
internal static class NatConnectionMatch
{
    /// <summary>Did <paramref name="rule"/> translate this connection? Its protocol, public port, match and target.</summary>
    public static bool Translated(NatRule rule, ConntrackEntry entry)
    {
        if (entry.Original.DestinationPort is not int port)
        {
            return false;
        }
        switch (rule)
        {
            case DnatRule d:
                return d.Protocol.Numbers().Contains((byte)entry.Protocol)
                    && (d.Ports is not PortRange p || (port >= p.First && port <= p.Last))
                    && entry.Reply.Source.Equals(d.ToAddress)
                    && entry.Reply.SourcePort == TargetPort(d, port)
                    && (d.Destination is null || entry.Original.Destination.Equals(d.Destination))
                    && FromSources(d.Sources, entry.Original.Source);
            case RedirectRule r:
                return r.Protocol.Numbers().Contains((byte)entry.Protocol)
                    && port >= r.Ports.First && port <= r.Ports.Last
                    && entry.Reply.SourcePort == r.ToPort
                    && (r.Destination is null || entry.Original.Destination.Equals(r.Destination))
                    && FromSources(r.Sources, entry.Original.Source);
            default:
                return false;
        }
    }

    /// <summary>The first of <paramref name="rules"/> that translated <paramref name="entry"/>; null when none did.</summary>
    public static NatRule? FindRule(IReadOnlyList<NatRule> rules, ConntrackEntry entry)
    {
        foreach (NatRule rule in rules)
        {
            if (Translated(rule, entry))
            {
                return rule;
            }
        }
        return null;
    }

    /// <summary>
    /// The port the server sees for public port <paramref name="port"/>: one target port, or the
    /// public port kept (no target ports, or a target range as wide as the public one).
    /// </summary>
    private static int TargetPort(DnatRule rule, int port) => rule.ToPorts is PortRange { IsSingle: true } to ? to.First : port;

    private static bool FromSources(IReadOnlyList<IPNetwork> sources, IPAddress client) => sources.Count == 0 || sources.Any(s => s.Contains(client));
}
