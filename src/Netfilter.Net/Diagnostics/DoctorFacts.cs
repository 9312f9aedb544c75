using System;
using System.Collections.Generic;
using System.Net;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Routing;
using Netfilter.Net.Sockets;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// Everything the checks read, gathered once from the kernel by <see cref="DoctorFactsReader"/>
/// (or written by a unit test): the ruleset, the typed rules of our table, the sysctls, the
/// listening sockets and the routes toward the targets. The checks themselves are pure
/// functions of these facts.
/// </summary>
internal sealed class DoctorFacts
{
    public DoctorFacts(string table, Ruleset ruleset)
    {
        Table = table;
        Ruleset = ruleset;
    }

    /// <summary>Our table's name (family inet).</summary>
    public string Table { get; }

    /// <summary>The port the caller asked about, if any.</summary>
    public int? Port { get; init; }

    /// <summary>The ip netns name of the namespace, for the commands in fixes; null for the caller's own or an unnamed one.</summary>
    public string? NamespaceName { get; init; }

    /// <summary>How findings name the namespace: "namespace router" or "this namespace".</summary>
    public string NamespaceText => NamespaceName is null ? "this namespace" : $"namespace {NamespaceName}";

    /// <summary>The whole ruleset of the namespace, every family.</summary>
    public Ruleset Ruleset { get; }

    private RulesetPaths? _paths;

    /// <summary>The ruleset as packets walk it (built on first use).</summary>
    public RulesetPaths Paths => _paths ??= new RulesetPaths(Ruleset);

    public bool TableExists { get; init; }

    /// <summary>The typed rules our table holds whole, read back from its comments.</summary>
    public IReadOnlyList<NatRule> Rules { get; init; } = Array.Empty<NatRule>();

    /// <summary>Chains, maps and fixed rules of the layout that are missing from our table.</summary>
    public IReadOnlyList<string> MissingLayout { get; init; } = Array.Empty<string>();

    /// <summary>What the table holds beyond its whole rules: partial, stale and foreign pieces, and whose table it is. Null when not read (unit tests that build facts by hand).</summary>
    public NatTableReport? TableReport { get; init; }

    /// <summary>ip_forward and conf.all.forwarding (IPv6); null when they could not be read.</summary>
    public ForwardingStatus? Forwarding { get; init; }

    /// <summary>/proc/sys is mounted read-only here (a container that is not privileged): sysctl fixes must name the container-level way.</summary>
    public bool SysctlsReadOnly { get; init; }

    /// <summary>Per-interface forwarding of the interfaces rules name.</summary>
    public IReadOnlyDictionary<string, ForwardingStatus> InterfaceForwarding { get; init; } = new Dictionary<string, ForwardingStatus>();

    /// <summary>net.ipv4.conf.all.route_localnet; null when not read (no forward to loopback).</summary>
    public bool? RouteLocalnetAll { get; init; }

    /// <summary>net.ipv4.conf.IF.route_localnet per interface (lo left out).</summary>
    public IReadOnlyDictionary<string, bool> RouteLocalnet { get; init; } = new Dictionary<string, bool>();

    /// <summary>Listening TCP and bound UDP sockets of the namespace (NETLINK_SOCK_DIAG).</summary>
    public IReadOnlyList<ListeningSocket> Listening { get; init; } = Array.Empty<ListeningSocket>();

    /// <summary>False when the listening sockets could not be read (the listening checks are skipped).</summary>
    public bool ListeningKnown { get; init; } = true;

    /// <summary>How this namespace reaches each forward's target; a null value means no route.</summary>
    public IReadOnlyDictionary<IPAddress, RouteLookup?> Routes { get; init; } = new Dictionary<IPAddress, RouteLookup?>();

    /// <summary>
    /// For forwards to another host without masquerade: how many of their conntrack entries saw a
    /// reply and how many did not, keyed by the rule's canonical text. Missing when not read.
    /// </summary>
    public IReadOnlyDictionary<string, ReplyEvidence> ReplyEvidence { get; init; } = new Dictionary<string, ReplyEvidence>();

    /// <summary>Names the process that owns a socket (by inode), e.g. "sshd (pid 812)"; null when unknown.</summary>
    public Func<ulong, string?> SocketOwner { get; init; } = static _ => null;

    /// <summary>The forwards, redirects and tproxy rules to examine: all of them, or those whose public ports include <see cref="Port"/>.</summary>
    public IEnumerable<NatRule> RulesInScope()
    {
        foreach (NatRule rule in Rules)
        {
            PortRange? ports = rule switch
            {
                RedirectRule r => r.Ports,
                DnatRule d => d.Ports ?? new PortRange(1, 65535),
                TproxyRule t => t.Ports,
                _ => null,
            };
            if (ports is PortRange p && (Port is not int wanted || (wanted >= p.First && wanted <= p.Last)))
            {
                yield return rule;
            }
        }
    }

    /// <summary>Things that could not be read, each becoming a <see cref="DoctorCodes.CheckSkipped"/> finding.</summary>
    public IReadOnlyList<string> Unreadable { get; init; } = Array.Empty<string>();
}

/// <summary>What conntrack says about a forward's connections: how many saw a reply (IPS_SEEN_REPLY) and how many did not.</summary>
internal readonly record struct ReplyEvidence(int Replied, int Unreplied);
