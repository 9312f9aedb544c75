using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Routing;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Sockets;

/// <summary>
/// The policy routing a transparent proxy (nftables <c>tproxy</c>) needs: packets that the
/// tproxy rule marks are looked up in a table of their own whose only route delivers
/// everything locally, so they reach the proxy's socket although their destination is
/// another host. The same as
/// <code>
/// ip rule add fwmark MARK lookup TABLE          ip -6 rule add fwmark MARK lookup TABLE
/// ip route add local 0.0.0.0/0 dev lo table TABLE   ip -6 route add local ::/0 dev lo table TABLE
/// </code>
/// done over NETLINK_ROUTE, idempotently.
/// </summary>
/// <remarks>
/// <para>Pair it with an nft rule that marks what it diverts, e.g.
/// <c>tcp dport 80 tproxy ip to :8080 meta mark set 1 accept</c> in a filter chain on prerouting,
/// and a listener with <see cref="TransparentSocket.Enable"/> on port 8080.</para>
/// <para><see cref="EnsureAsync"/> adds only what is missing and never replaces a route it did
/// not expect: if the table already routes the default prefix some other way, it stops with an
/// error that says so. <see cref="RemoveAsync"/> removes every matching rule (also duplicates that
/// <c>ip rule add</c> leaves when run twice) and the local route, and nothing else.</para>
/// <para>With <see cref="NetfilterFamily.Inet"/> (the default), IPv6 is left out in a namespace
/// whose loopback has IPv6 disabled (<c>net.ipv6.conf.lo.disable_ipv6 = 1</c>, as in a Docker
/// container when the daemon has no IPv6, or a kernel booted with <c>ipv6.disable=1</c>): no IPv6
/// packet can be delivered locally there, and the kernel refuses the IPv6 local route ("IPv6 is
/// disabled on nexthop device"). Ask for <see cref="NetfilterFamily.IPv6"/> explicitly to get that
/// error instead; in a container, <c>docker run --sysctl net.ipv6.conf.all.disable_ipv6=0</c>
/// turns IPv6 on.</para>
/// <para>Each call opens its own NETLINK_ROUTE socket in the namespace and holds no thread while it waits for the kernel.</para>
/// </remarks>
public sealed class TproxyRouting
{
    // LOOPBACK_IFINDEX (include/net/net_namespace.h): every namespace's lo has index 1, which
    // is also what ip(8) resolves "dev lo" to in the captured requests.
    internal const int LoopbackInterfaceIndex = 1;

    /// <summary>Describes the routing for packets marked <paramref name="mark"/> (under <paramref name="mask"/>), looked up in <paramref name="table"/>.</summary>
    /// <param name="mark">The mark the tproxy rule sets (<c>meta mark set MARK</c>). Not 0: that would divert every unmarked packet.</param>
    /// <param name="table">A routing table of its own (not 0, 252–255).</param>
    /// <param name="mask">The bits of the packet mark to compare (<c>fwmark MARK/MASK</c>); all of them by default.</param>
    /// <param name="priority">The rule's preference; null lets the kernel choose (just below the lowest existing one, as ip does).</param>
    /// <param name="family">IPv4, IPv6 or Inet (both).</param>
    /// <exception cref="ArgumentOutOfRangeException">A reserved table, mark 0, priority 0, or a family other than IPv4/IPv6/Inet.</exception>
    /// <exception cref="ArgumentException">The mark has bits outside the mask, so the rule could never match.</exception>
    public TproxyRouting(uint mark, uint table, uint mask = uint.MaxValue, uint? priority = null, NetfilterFamily family = NetfilterFamily.Inet)
    {
        if (mark == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(mark), mark, "mark 0 would select every unmarked packet: use the mark that the tproxy rule sets");
        }
        if ((mark & ~mask) != 0)
        {
            throw new ArgumentException($"mark 0x{mark:x} has bits outside mask 0x{mask:x}: the rule could never match", nameof(mask));
        }
        if (RouteTable.IsReserved(table))
        {
            throw new ArgumentOutOfRangeException(nameof(table), table, "tables 0 and 252-255 are reserved (unspec, compat, default, main, local): use a table of its own, e.g. 100");
        }
        if (priority == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "priority 0 belongs to the rule that looks up the local table");
        }
        if (family is not (NetfilterFamily.IPv4 or NetfilterFamily.IPv6 or NetfilterFamily.Inet))
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "policy routing exists for IPv4, IPv6 and Inet (both)");
        }
        Mark = mark;
        Mask = mask;
        Table = table;
        Priority = priority;
        Family = family;
    }

    /// <summary>The packet mark that selects diverted packets.</summary>
    public uint Mark { get; }

    /// <summary>The bits of the packet mark compared with <see cref="Mark"/>.</summary>
    public uint Mask { get; }

    /// <summary>The routing table that holds the local route.</summary>
    public uint Table { get; }

    /// <summary>The rule's preference, or null for "the kernel chooses".</summary>
    public uint? Priority { get; }

    /// <summary>IPv4, IPv6 or both.</summary>
    public NetfilterFamily Family { get; }

    /// <summary>Adds whatever is missing of the rule(s) and local route(s) and returns the resulting state.</summary>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel.</param>
    /// <exception cref="NetlinkException">
    /// The kernel refused (<see cref="Errno.EPERM"/>: CAP_NET_ADMIN is needed), or (<see cref="Errno.EEXIST"/>) the
    /// table already routes the default prefix differently.
    /// </exception>
    public Task<TproxyRoutingState> EnsureAsync(NetworkNamespace? networkNamespace = null, CancellationToken cancellationToken = default) =>
        WithClientAsync(networkNamespace, client => EnsureCoreAsync(client, cancellationToken, IsIPv6Available(networkNamespace)), cancellationToken);

    /// <summary>Reads what exists of the rule(s) and route(s).</summary>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel.</param>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public Task<TproxyRoutingState> GetStateAsync(NetworkNamespace? networkNamespace = null, CancellationToken cancellationToken = default) =>
        WithClientAsync(networkNamespace, client => GetStateCoreAsync(client, cancellationToken, IsIPv6Available(networkNamespace)), cancellationToken);

    /// <summary>Removes the matching rule(s) and the local route(s); does nothing when they are absent.</summary>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel.</param>
    /// <exception cref="NetlinkException">The kernel refused (<see cref="Errno.EPERM"/>: CAP_NET_ADMIN is needed).</exception>
    public Task RemoveAsync(NetworkNamespace? networkNamespace = null, CancellationToken cancellationToken = default) =>
        WithClientAsync(networkNamespace, async client =>
        {
            await RemoveCoreAsync(client, cancellationToken, IsIPv6Available(networkNamespace)).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private static async Task<T> WithClientAsync<T>(NetworkNamespace? networkNamespace, Func<RoutingClient, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var client = new RoutingClient(networkNamespace);
        return await work(client).ConfigureAwait(false);
    }

    internal async Task<TproxyRoutingState> EnsureCoreAsync(RoutingClient client, CancellationToken cancellationToken, bool ipv6Available = true)
    {
        foreach (NetfilterFamily family in FamiliesWhere(ipv6Available))
        {
            List<Route> routes = await client.ListRoutesAsync(family, Table, cancellationToken).ConfigureAwait(false);
            if (!routes.Any(IsLocalDefault))
            {
                Route? other = routes.FirstOrDefault(r => r.Destination.PrefixLength == 0);
                if (other is not null)
                {
                    throw new NetlinkException(Errno.EEXIST, $"add route '{RouteCommand(family)}'", detail:
                        $"table {Table} already routes the default prefix another way ({other}); TPROXY needs a table of its own whose default route is 'local ... dev lo'");
                }
                await client.AddRouteAsync(LocalDefaultRoute(family), cancellationToken).ConfigureAwait(false);
            }
            if (!(await client.ListRulesAsync(family, cancellationToken).ConfigureAwait(false)).Any(r => Matches(r, family)))
            {
                await client.AddRuleAsync(RuleFor(family), cancellationToken).ConfigureAwait(false);
            }
        }
        return await GetStateCoreAsync(client, cancellationToken, ipv6Available).ConfigureAwait(false);
    }

    internal async Task<TproxyRoutingState> GetStateCoreAsync(RoutingClient client, CancellationToken cancellationToken, bool ipv6Available = true)
    {
        var rules = new List<RoutingRule>();
        var routes = new List<Route>();
        var missing = new List<string>();
        foreach (NetfilterFamily family in FamiliesWhere(ipv6Available))
        {
            List<RoutingRule> familyRules = (await client.ListRulesAsync(family, cancellationToken).ConfigureAwait(false)).Where(r => Matches(r, family)).ToList();
            List<Route> familyRoutes = (await client.ListRoutesAsync(family, Table, cancellationToken).ConfigureAwait(false)).Where(IsLocalDefault).ToList();
            if (familyRules.Count == 0)
            {
                missing.Add(RuleCommand(family));
            }
            if (familyRoutes.Count == 0)
            {
                missing.Add(RouteCommand(family));
            }
            rules.AddRange(familyRules);
            routes.AddRange(familyRoutes);
        }
        return new TproxyRoutingState(rules, routes, missing);
    }

    internal async Task RemoveCoreAsync(RoutingClient client, CancellationToken cancellationToken, bool ipv6Available = true)
    {
        foreach (NetfilterFamily family in FamiliesWhere(ipv6Available))
        {
            // Rules first: once no rule points at the table, removing its route changes nothing in flight.
            foreach (RoutingRule rule in (await client.ListRulesAsync(family, cancellationToken).ConfigureAwait(false)).Where(r => Matches(r, family)))
            {
                await client.DeleteRuleAsync(rule, cancellationToken).ConfigureAwait(false);
            }
            foreach (Route route in (await client.ListRoutesAsync(family, Table, cancellationToken).ConfigureAwait(false)).Where(IsLocalDefault))
            {
                await client.DeleteRouteAsync(route, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The families to work on: <see cref="Families"/>, without IPv6 for Inet where IPv6 is off.</summary>
    internal IEnumerable<NetfilterFamily> FamiliesWhere(bool ipv6Available) =>
        Family == NetfilterFamily.Inet && !ipv6Available ? new[] { NetfilterFamily.IPv4 } : Families;

    /// <summary>False when IPv6 is disabled on the namespace's loopback, or absent from the kernel.</summary>
    private static bool IsIPv6Available(NetworkNamespace? networkNamespace) =>
        new SysctlClient(networkNamespace).TryRead(SysctlKey.Parse("net.ipv6.conf.lo.disable_ipv6"), out string value) && value.Trim() == "0";

    private IEnumerable<NetfilterFamily> Families => Family switch
    {
        NetfilterFamily.IPv4 => new[] { NetfilterFamily.IPv4 },
        NetfilterFamily.IPv6 => new[] { NetfilterFamily.IPv6 },
        _ => new[] { NetfilterFamily.IPv4, NetfilterFamily.IPv6 },
    };

    /// <summary>The rule this description asks for (FRA_FWMASK only when a mask narrower than all bits was given, like ip).</summary>
    internal RoutingRule RuleFor(NetfilterFamily family) => new()
    {
        Family = family,
        FirewallMark = Mark,
        FirewallMask = Mask == uint.MaxValue ? null : Mask,
        Table = Table,
        Action = RuleAction.ToTable,
        Priority = Priority ?? 0,
    };

    /// <summary>"local 0.0.0.0/0 dev lo table T" (scope host) or "local ::/0 dev lo table T", with ip's defaults.</summary>
    internal Route LocalDefaultRoute(NetfilterFamily family) => new()
    {
        Family = family,
        Table = Table,
        Type = RouteType.Local,
        // ip/iproute.c: IPv6 routes are always RT_SCOPE_UNIVERSE; IPv4 local routes RT_SCOPE_HOST.
        Scope = family == NetfilterFamily.IPv6 ? RouteScope.Universe : RouteScope.Host,
        Protocol = RouteProtocol.Boot,
        Destination = Prefix.Default(family),
        OutputInterfaceIndex = LoopbackInterfaceIndex,
    };

    private bool Matches(RoutingRule rule, NetfilterFamily family) =>
        rule.Family == family
        && rule.Action == RuleAction.ToTable
        && rule.Table == Table
        && rule.FirewallMark == Mark
        && (rule.FirewallMask ?? uint.MaxValue) == Mask
        && rule.Source is null && rule.Destination is null
        && rule.InputInterface is null && rule.OutputInterface is null
        && !rule.Invert
        && (Priority is null || rule.Priority == Priority);

    private bool IsLocalDefault(Route route) =>
        route.Type == RouteType.Local
        && route.Table == Table
        && route.Destination.PrefixLength == 0
        && route.OutputInterfaceIndex == LoopbackInterfaceIndex
        && route.Gateway is null;

    private string RuleCommand(NetfilterFamily family)
    {
        string mark = Mask == uint.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"0x{Mark:x}")
            : string.Create(CultureInfo.InvariantCulture, $"0x{Mark:x}/0x{Mask:x}");
        string priority = Priority is uint p ? string.Create(CultureInfo.InvariantCulture, $" pref {p}") : string.Empty;
        return $"ip {(family == NetfilterFamily.IPv6 ? "-6 " : string.Empty)}rule add fwmark {mark} lookup {Table}{priority}";
    }

    private string RouteCommand(NetfilterFamily family) => family == NetfilterFamily.IPv6
        ? $"ip -6 route add local ::/0 dev lo table {Table}"
        : $"ip route add local 0.0.0.0/0 dev lo table {Table}";

    /// <inheritdoc />
    public override string ToString() => string.Join("; ", Families.SelectMany(f => new[] { RuleCommand(f), RouteCommand(f) }));
}
