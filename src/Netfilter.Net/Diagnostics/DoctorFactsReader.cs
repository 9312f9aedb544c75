using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Routing;
using Netfilter.Net.Sockets;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Gathers <see cref="DoctorFacts"/> from the kernel, all of it inside the namespace and all of
/// it read-only: the ruleset over NETLINK_NETFILTER, routes and interfaces over NETLINK_ROUTE,
/// listening sockets over NETLINK_SOCK_DIAG, sysctls from /proc/sys. Only what the typed rules
/// need is read (routes toward forward targets, route_localnet when a forward goes to loopback).
/// </summary>
internal static class DoctorFactsReader
{
    /// <summary>
    /// Reads the whole ruleset, or explains why it cannot be read: a finding when the kernel has no
    /// nftables or refuses the caller (EPERM), instead of an exception. <paramref name="open"/>
    /// opens the client (a scripted transport in unit tests).
    /// </summary>
    internal static async Task<(Ruleset? Ruleset, DoctorFinding? Problem)> ReadRulesetAsync(Func<NfTablesClient> open, string where, CancellationToken cancellationToken)
    {
        NfTablesClient client;
        try
        {
            client = open();
        }
        catch (NetfilterException e) when (AccessProblem(e, where) is DoctorFinding problem)
        {
            return (null, problem);
        }
        using (client)
        {
            try
            {
                // GETGEN first: the cheapest request, and the one whose refusal says whether nf_tables answers at all.
                await client.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (NetfilterException e) when (AccessProblem(e, where) is DoctorFinding problem)
            {
                return (null, problem);
            }
            try
            {
                return (await client.GetRulesetAsync(NetfilterFamily.Unspecified, cancellationToken).ConfigureAwait(false), null);
            }
            catch (NetfilterException e) when (e.Errno == Errno.EPERM && AccessProblem(e, where) is DoctorFinding problem)
            {
                return (null, problem);
            }
        }
    }

    /// <summary>
    /// The finding for a refusal that stops everything: EPERM (no CAP_NET_ADMIN), or the errors of a
    /// kernel without nftables: EPROTONOSUPPORT when NETLINK_NETFILTER itself is missing (socket()),
    /// and for NFT_MSG_GETGEN EINVAL (nfnetlink_rcv_msg: no such subsystem), EOPNOTSUPP or ENOENT.
    /// </summary>
    internal static DoctorFinding? AccessProblem(NetfilterException e, string where)
    {
        switch (e.Errno)
        {
            case Errno.EPERM or Errno.EACCES:
                return new DoctorFinding(DoctorSeverity.Error, DoctorCodes.CapNetAdminMissing,
                    $"this process may not read or change nftables in {where}: the kernel refused {e.Operation} with {e.Errno}.",
                    "Every nftables request over NETLINK_NETFILTER needs CAP_NET_ADMIN in the user namespace that owns the network namespace (nfnetlink_rcv), so no rule can be read or changed; the other checks need the ruleset and were skipped.",
                    "Run as root (sudo), or give the program the capability: setcap cap_net_admin+ep PROGRAM, or AmbientCapabilities=CAP_NET_ADMIN in its systemd unit.");
            case Errno.EPROTONOSUPPORT or Errno.EOPNOTSUPP or Errno.ENOENT or Errno.EINVAL:
                return new DoctorFinding(DoctorSeverity.Error, DoctorCodes.NfTablesUnavailable,
                    $"nftables is not available in this kernel: {e.Operation} failed with {e.Errno}.",
                    e.Errno == Errno.EPROTONOSUPPORT
                        ? "The kernel has no NETLINK_NETFILTER (nfnetlink, CONFIG_NETFILTER_NETLINK), the channel every nftables request goes through, so there is no ruleset to hold forwards or redirects."
                        : "NETLINK_NETFILTER answers only for subsystems that are loaded; without nf_tables (CONFIG_NF_TABLES, module nf_tables) there is no ruleset to hold forwards or redirects.",
                    "Load the modules on the host as root: modprobe nf_tables nft_nat nft_redir nft_masq (or boot a kernel built with CONFIG_NF_TABLES and CONFIG_NFT_NAT).");
            default:
                return null;
        }
    }

    /// <summary>Gathers the facts about <paramref name="options"/>' table from <paramref name="sources"/> (all of it read-only).</summary>
    /// <remarks>
    /// Each fact is read by its own reader, in this order, and only when a check needs it; a
    /// fact that cannot be read is said in <see cref="DoctorFacts.Unreadable"/> and the rest
    /// are still read.
    /// </remarks>
    public static async Task<DoctorFacts> ReadAsync(DoctorOptions options, Ruleset ruleset, IDoctorSources sources, CancellationToken cancellationToken)
    {
        var unreadable = new List<string>();
        (bool exists, List<NatRule> rules, List<string> missing, NatTableReport report) = await ReadRulesAsync(ruleset, options.Table, sources, unreadable, cancellationToken).ConfigureAwait(false);
        List<DnatRule> forwards = rules.OfType<DnatRule>().ToList();
        (ForwardingStatus? forwarding, Dictionary<string, ForwardingStatus> interfaceForwarding) = ReadForwarding(sources, forwards, unreadable);
        Dictionary<IPAddress, RouteLookup?> routes = await ReadRoutesAsync(sources, forwards, unreadable, cancellationToken).ConfigureAwait(false);
        (bool? routeLocalnetAll, Dictionary<string, bool> routeLocalnet) = await ReadRouteLocalnetAsync(sources, forwards, unreadable, cancellationToken).ConfigureAwait(false);
        Dictionary<string, ReplyEvidence> evidence = await ReadReplyEvidenceAsync(sources, forwards, routes, unreadable, cancellationToken).ConfigureAwait(false);
        (IReadOnlyList<ListeningSocket> listening, bool listeningKnown) = await ReadListeningAsync(sources, rules, unreadable, cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<ulong, string>? owners = null;
        return new DoctorFacts(options.Table, ruleset)
        {
            Port = options.Port,
            NamespaceName = NamespaceName(options.Namespace),
            TableExists = exists,
            Rules = rules,
            MissingLayout = missing,
            TableReport = report,
            Forwarding = forwarding,
            InterfaceForwarding = interfaceForwarding,
            SysctlsReadOnly = sources.SysctlsReadOnly,
            RouteLocalnetAll = routeLocalnetAll,
            RouteLocalnet = routeLocalnet,
            Listening = listening,
            ListeningKnown = listeningKnown,
            Routes = routes,
            ReplyEvidence = evidence,
            // Only findings about a held port need the owner's name: scan /proc once, on demand.
            SocketOwner = inode =>
            {
                owners ??= sources.FindSocketOwners(listening.Select(s => s.Inode).Where(i => i != 0).Distinct().ToList());
                return owners.TryGetValue(inode, out string? owner) ? owner : null;
            },
            Unreadable = unreadable,
        };
    }

    /// <summary>Our table's rules (<see cref="ReadTable"/>); hairpin rules are judged against the host's connected networks of today.</summary>
    private static async Task<(bool Exists, List<NatRule> Rules, List<string> MissingLayout, NatTableReport Report)> ReadRulesAsync(Ruleset ruleset, string table, IDoctorSources sources, List<string> unreadable, CancellationToken cancellationToken)
    {
        (bool Exists, List<NatRule> Rules, List<string> MissingLayout, NatTableReport Report) read = ReadTable(ruleset, table);
        if (read.Rules.Any(r => r is DnatRule { Hairpin: true }))
        {
            // Hairpin rules follow the host's connected networks: judge them against today's.
            try
            {
                NatHostInfo host = await sources.ReadHostAsync(cancellationToken).ConfigureAwait(false);
                read = ReadTable(ruleset, table, host.ConnectedNetwork);
            }
            catch (NetfilterException e)
            {
                unreadable.Add($"the host's addresses (for hairpin rules): {e.Message}");
            }
        }
        return read;
    }

    /// <summary>IP forwarding, on the whole and on each interface a forward names; read only when there are forwards.</summary>
    private static (ForwardingStatus? All, Dictionary<string, ForwardingStatus> PerInterface) ReadForwarding(IDoctorSources sources, List<DnatRule> forwards, List<string> unreadable)
    {
        ForwardingStatus? forwarding = null;
        var interfaceForwarding = new Dictionary<string, ForwardingStatus>(StringComparer.Ordinal);
        if (forwards.Count == 0)
        {
            return (forwarding, interfaceForwarding);
        }
        try
        {
            forwarding = sources.Sysctl.GetForwardingStatus();
        }
        catch (NetfilterException e)
        {
            unreadable.Add($"IP forwarding: {e.Message}");
        }
        foreach (string name in forwards.Select(d => d.InputInterface).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            try
            {
                interfaceForwarding[name] = sources.Sysctl.GetForwardingStatus(name);
            }
            catch (NetfilterException e)
            {
                unreadable.Add($"forwarding of interface {name}: {e.Message}");
            }
        }
        return (forwarding, interfaceForwarding);
    }

    /// <summary>The route toward each forward's target.</summary>
    private static async Task<Dictionary<IPAddress, RouteLookup?>> ReadRoutesAsync(IDoctorSources sources, List<DnatRule> forwards, List<string> unreadable, CancellationToken cancellationToken)
    {
        var routes = new Dictionary<IPAddress, RouteLookup?>();
        foreach (IPAddress target in forwards.Select(d => d.ToAddress).Distinct())
        {
            try
            {
                routes[target] = await sources.LookupRouteAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (NetfilterException e)
            {
                unreadable.Add($"the route to {target}: {e.Message}");
            }
        }
        return routes;
    }

    /// <summary>route_localnet, for all interfaces and each one but lo; read only when a forward goes to 127.0.0.0/8.</summary>
    private static async Task<(bool? All, Dictionary<string, bool> PerInterface)> ReadRouteLocalnetAsync(IDoctorSources sources, List<DnatRule> forwards, List<string> unreadable, CancellationToken cancellationToken)
    {
        bool? routeLocalnetAll = null;
        var routeLocalnet = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (!forwards.Any(d => IsIPv4Loopback(d.ToAddress)))
        {
            return (routeLocalnetAll, routeLocalnet);
        }
        try
        {
            List<string> names = (await sources.ListInterfaceNamesAsync(cancellationToken).ConfigureAwait(false)).Where(n => n != "lo").ToList();
            var keys = new List<SysctlKey> { SysctlKey.RouteLocalnet(SysctlKey.AllInterfaces) };
            keys.AddRange(names.Select(SysctlKey.RouteLocalnet));
            IReadOnlyList<string?> values = sources.Sysctl.ReadMany(keys);
            routeLocalnetAll = values[0] is string all && all.Trim() != "0";
            for (int i = 0; i < names.Count; i++)
            {
                if (values[i + 1] is string v)
                {
                    routeLocalnet[names[i]] = v.Trim() != "0";
                }
            }
        }
        catch (NetfilterException e)
        {
            unreadable.Add($"route_localnet: {e.Message}");
        }
        return (routeLocalnetAll, routeLocalnet);
    }

    /// <summary>Reply evidence (<see cref="CountReplyEvidenceAsync"/>) for the forwards without masquerade whose target is routed away from this host.</summary>
    private static async Task<Dictionary<string, ReplyEvidence>> ReadReplyEvidenceAsync(IDoctorSources sources, List<DnatRule> forwards, Dictionary<IPAddress, RouteLookup?> routes, List<string> unreadable, CancellationToken cancellationToken)
    {
        var evidence = new Dictionary<string, ReplyEvidence>(StringComparer.Ordinal);
        List<DnatRule> unmasqueraded = forwards.Where(d => !d.Masquerade && routes.TryGetValue(d.ToAddress, out RouteLookup? r) && r is { IsLocal: false }).ToList();
        if (unmasqueraded.Count > 0)
        {
            try
            {
                await CountReplyEvidenceAsync(sources, unmasqueraded, evidence, cancellationToken).ConfigureAwait(false);
            }
            catch (NetfilterException e)
            {
                unreadable.Add($"conntrack entries: {e.Message}");
            }
        }
        return evidence;
    }

    /// <summary>The listening sockets, when a redirect, forward or tproxy rule needs someone listening.</summary>
    private static async Task<(IReadOnlyList<ListeningSocket> Sockets, bool Known)> ReadListeningAsync(IDoctorSources sources, List<NatRule> rules, List<string> unreadable, CancellationToken cancellationToken)
    {
        if (!rules.Any(r => r is RedirectRule or DnatRule or TproxyRule))
        {
            return (Array.Empty<ListeningSocket>(), true);
        }
        try
        {
            return (await sources.ListListeningAsync(cancellationToken).ConfigureAwait(false), true);
        }
        catch (NetfilterException e)
        {
            unreadable.Add($"listening sockets: {e.Message}");
            return (Array.Empty<ListeningSocket>(), false);
        }
    }

    /// <summary>
    /// Counts, per forward, the conntrack entries of connections it translated (destination NAT
    /// without source NAT, reply coming from its target, original port among its public ports)
    /// that saw a reply and that did not. One dump of the destination-NATed entries, streamed and
    /// counted per (target, protocol, public port): neither the table nor one dump per forward.
    /// </summary>
    private static async Task CountReplyEvidenceAsync(IDoctorSources sources, List<DnatRule> forwards, Dictionary<string, ReplyEvidence> evidence, CancellationToken cancellationToken)
    {
        var targets = new HashSet<IPAddress>(forwards.Select(f => f.ToAddress));
        var counts = new Dictionary<(IPAddress Target, ProtocolType Protocol, int Port), (int Replied, int Unreplied)>();
        using (IConntrackClient conntrack = sources.OpenConntrack())
        {
            var filter = new ConntrackFilter { Status = ConntrackStatus.DestinationNat, StatusMask = ConntrackStatus.DestinationNat };
            await foreach (ConntrackEntry entry in conntrack.DumpAsync(filter, cancellationToken).ConfigureAwait(false))
            {
                // A masqueraded connection's reply proves nothing about the server's own routes.
                if ((entry.Status & ConntrackStatus.DestinationNat) == 0 || (entry.Status & ConntrackStatus.SourceNat) != 0
                    || entry.Original.DestinationPort is not int port || !targets.Contains(entry.Reply.Source))
                {
                    continue;
                }
                var key = (entry.Reply.Source, entry.Protocol, port);
                counts.TryGetValue(key, out (int Replied, int Unreplied) count);
                counts[key] = (entry.Status & ConntrackStatus.SeenReply) != 0 ? (count.Replied + 1, count.Unreplied) : (count.Replied, count.Unreplied + 1);
            }
        }
        foreach (DnatRule rule in forwards)
        {
            int replied = 0, unreplied = 0;
            foreach (byte number in rule.Protocol.Numbers())
            {
                ProtocolType protocol = number == 6 ? ProtocolType.Tcp : ProtocolType.Udp;
                if (rule.Ports is PortRange { IsSingle: true } single)
                {
                    // The usual case, by key: the cost does not grow with the number of forwards.
                    if (counts.TryGetValue((rule.ToAddress, protocol, single.First), out (int Replied, int Unreplied) one))
                    {
                        replied += one.Replied;
                        unreplied += one.Unreplied;
                    }
                    continue;
                }
                foreach (((IPAddress target, ProtocolType p, int port), (int r, int u)) in counts)
                {
                    if (p == protocol && target.Equals(rule.ToAddress) && (rule.Ports is not PortRange ports || (port >= ports.First && port <= ports.Last)))
                    {
                        replied += r;
                        unreplied += u;
                    }
                }
            }
            evidence[rule.ToString()] = new ReplyEvidence(replied, unreplied);
        }
    }

    /// <summary>
    /// Our table read from the whole-ruleset snapshot (<see cref="NatTableReader"/>): whose it is,
    /// its whole rules (the ones the other checks examine), what its layout lacks, and the report
    /// of partial, stale and foreign pieces. <paramref name="connectedNetwork"/> judges hairpin rules stale.
    /// </summary>
    internal static (bool Exists, List<NatRule> Rules, List<string> MissingLayout, NatTableReport Report) ReadTable(Ruleset ruleset, string table, Func<IPAddress, IPNetwork?>? connectedNetwork = null)
    {
        bool Ours(NetfilterFamily family, string name) => family == NetfilterFamily.Inet && name == table;
        var elements = new Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>>();
        foreach (KeyValuePair<(NetfilterFamily Family, string Table, string Set), IReadOnlyList<SetElement>> pair in ruleset.Elements)
        {
            if (Ours(pair.Key.Family, pair.Key.Table))
            {
                elements[pair.Key] = pair.Value;
            }
        }
        var snapshot = new Ruleset(
            ruleset.Generation,
            ruleset.Tables.Where(t => Ours(t.Family, t.Name)).ToList(),
            ruleset.Chains.Where(c => Ours(c.Family, c.Table)).ToList(),
            ruleset.Sets.Where(s => Ours(s.Family, s.Table)).ToList(),
            elements,
            ruleset.Rules.Where(r => Ours(r.Family, r.Table)).ToList());
        NatTableContents contents = NatTableReader.Read(table, snapshot, connectedNetwork);
        NatTableReport report = NatTableReport.From(contents);
        List<string> missing = contents.Ownership == NatTableOwnership.Owned ? contents.Lacks.ToList() : new List<string>();
        // Only an owned table's whole rules are examined: a foreign table's comments prove nothing.
        List<NatRule> rules = contents.Ownership is NatTableOwnership.Owned or NatTableOwnership.Legacy ? report.Rules.ToList() : new List<NatRule>();
        return (contents.Exists, rules, missing, report);
    }

    /// <summary>NAME for /run/netns/NAME, so fixes can say <c>--netns NAME</c>.</summary>
    private static string? NamespaceName(NetworkNamespace? ns)
    {
        const string prefix = "/run/netns/";
        string? description = ns?.Description;
        return description is not null && description.StartsWith(prefix, StringComparison.Ordinal) ? description[prefix.Length..] : null;
    }

    internal static bool IsIPv4Loopback(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes()[0] == 127;
}
