using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
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
/// Where the doctor reads a namespace from: the ruleset, the host's addresses, sysctls, routes,
/// conntrack and listening sockets. <see cref="KernelDoctorSources"/> reads the kernel;
/// Netfilter.Net.Testing's in-memory kernel is the other implementation, so its doctor gathers
/// <see cref="DoctorFacts"/> with <see cref="DoctorFactsReader"/> and runs the same checks.
/// </summary>
internal interface IDoctorSources : IDisposable
{
    /// <summary>The whole ruleset, or the finding that explains why it cannot be read (no CAP_NET_ADMIN, no nf_tables).</summary>
    Task<(Ruleset? Ruleset, DoctorFinding? Problem)> ReadRulesetAsync(string where, CancellationToken cancellationToken);

    /// <summary>The host's addresses, forwarding and route_localnet.</summary>
    Task<NatHostInfo> ReadHostAsync(CancellationToken cancellationToken);

    /// <summary>The namespace's sysctls.</summary>
    ISysctlClient Sysctl { get; }

    /// <summary>/proc/sys is mounted read-only (a container that is not privileged).</summary>
    bool SysctlsReadOnly { get; }

    /// <summary><c>ip route get ADDRESS</c>; null when there is no route.</summary>
    Task<RouteLookup?> LookupRouteAsync(IPAddress destination, CancellationToken cancellationToken);

    /// <summary>The names of the namespace's interfaces.</summary>
    Task<IReadOnlyList<string>> ListInterfaceNamesAsync(CancellationToken cancellationToken);

    /// <summary>A conntrack client of the namespace; the caller disposes it.</summary>
    IConntrackClient OpenConntrack();

    /// <summary>Listening TCP and bound UDP sockets.</summary>
    Task<IReadOnlyList<ListeningSocket>> ListListeningAsync(CancellationToken cancellationToken);

    /// <summary>Names the processes that hold sockets, by inode ("sshd (pid 812)").</summary>
    IReadOnlyDictionary<ulong, string> FindSocketOwners(IReadOnlyCollection<ulong> inodes);
}

/// <summary>The kernel of one namespace: NETLINK_NETFILTER, NETLINK_ROUTE, NETLINK_SOCK_DIAG, /proc/sys, /proc.</summary>
internal sealed class KernelDoctorSources : IDoctorSources
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly NetworkNamespace? _namespace;
    private RoutingClient? _routing;

    public KernelDoctorSources(NetworkNamespace? networkNamespace)
    {
        _namespace = networkNamespace;
        Sysctl = new SysctlClient(networkNamespace);
    }

    public ISysctlClient Sysctl { get; }

    public bool SysctlsReadOnly => ((SysctlClient)Sysctl).IsReadOnlyMount;

    public Task<(Ruleset? Ruleset, DoctorFinding? Problem)> ReadRulesetAsync(string where, CancellationToken cancellationToken) =>
        DoctorFactsReader.ReadRulesetAsync(() => new NfTablesClient(_namespace, timeout: Timeout), where, cancellationToken);

    public Task<NatHostInfo> ReadHostAsync(CancellationToken cancellationToken) => NatHostInfo.ReadAsync(_namespace, cancellationToken);

    public Task<RouteLookup?> LookupRouteAsync(IPAddress destination, CancellationToken cancellationToken) => Routing.LookupAsync(destination, cancellationToken);

    public async Task<IReadOnlyList<string>> ListInterfaceNamesAsync(CancellationToken cancellationToken) =>
        (await Routing.ListInterfacesAsync(cancellationToken).ConfigureAwait(false)).Select(l => l.Name).ToList();

    public IConntrackClient OpenConntrack() => new ConntrackClient(_namespace, timeout: Timeout);

    public async Task<IReadOnlyList<ListeningSocket>> ListListeningAsync(CancellationToken cancellationToken) =>
        await ListeningSockets.ListAsync(_namespace, cancellationToken).ConfigureAwait(false);

    public IReadOnlyDictionary<ulong, string> FindSocketOwners(IReadOnlyCollection<ulong> inodes) => SocketOwners.Find(inodes);

    private RoutingClient Routing => _routing ??= new RoutingClient(_namespace, timeout: Timeout);

    public void Dispose() => _routing?.Dispose();
}
