using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Routing;

/// <summary>
/// Policy rules and routes over NETLINK_ROUTE in one namespace: list, add, delete. The
/// intention-level API on top is <see cref="Sockets.TproxyRouting"/>. Not thread-safe: one call at a time.
/// </summary>
internal sealed class RoutingClient : IDisposable
{
    /// <summary>How often a dump that the kernel marks inconsistent (NLM_F_DUMP_INTR) is retried.</summary>
    private const int DumpAttempts = 5;

    private readonly NetlinkConnection _connection;
    private readonly NetlinkWriter _writer = new(256);

    public RoutingClient(NetworkNamespace? networkNamespace = null, ILogger? logger = null, TimeSpan? timeout = null)
        : this(OpenSocket(networkNamespace), logger, timeout)
    {
    }

    internal RoutingClient(INetlinkTransport transport, ILogger? logger = null, TimeSpan? timeout = null)
    {
        _connection = new NetlinkConnection(transport, logger, timeout);
    }

    private static NetlinkSocket OpenSocket(NetworkNamespace? networkNamespace)
    {
        NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Route, networkNamespace);
        // With strict checking the kernel filters route dumps by RTA_TABLE (kernels from 4.20);
        // without it the whole FIB comes back, and ListRoutes filters it here anyway.
        socket.TryEnableStrictChecking();
        return socket;
    }

    /// <summary>Every policy rule of <paramref name="family"/>, in priority order (as the kernel lists them).</summary>
    public async Task<List<RoutingRule>> ListRulesAsync(NetfilterFamily family, CancellationToken cancellationToken)
    {
        return await _connection.DumpAllAsync(sequence =>
        {
            _writer.Reset();
            RuleCodec.WriteDump(_writer, sequence, family);
            return _writer.WrittenMemory;
        }, $"dump RTM_GETRULE ({family})", static (in NetlinkMessage m, out RoutingRule rule) =>
        {
            rule = null!;
            if (m.Type != RoutingMessageType.NewRule)
            {
                return false;
            }
            rule = RuleCodec.Decode(m);
            return true;
        }, DumpAttempts, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The routes of <paramref name="family"/> in <paramref name="table"/>; empty when the table does not exist.</summary>
    public async Task<List<Route>> ListRoutesAsync(NetfilterFamily family, uint table, CancellationToken cancellationToken)
    {
        List<Route> routes;
        try
        {
            routes = await _connection.DumpAllAsync(sequence =>
            {
                _writer.Reset();
                RouteCodec.WriteDump(_writer, sequence, family, table);
                return _writer.WrittenMemory;
            }, $"dump RTM_GETROUTE ({family}, table {table})", static (in NetlinkMessage m, out Route route) =>
            {
                route = null!;
                if (m.Type != RoutingMessageType.NewRoute)
                {
                    return false;
                }
                route = RouteCodec.Decode(m);
                return true;
            }, DumpAttempts, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
        {
            // A filtered dump of a table that does not exist fails with ENOENT ("FIB table does
            // not exist", ip_valid_fib_dump_req / inet6_dump_fib): for us that is "no routes".
            return new List<Route>();
        }
        routes.RemoveAll(r => r.Table != table || r.Family != family);
        return routes;
    }

    /// <summary>
    /// How a packet to <paramref name="destination"/> would leave (<c>ip route get</c>), with the
    /// output interface's name. Null when the namespace has no route to it (ENETUNREACH,
    /// EHOSTUNREACH: the kernel's answer for unreachable/prohibit routes or no route at all).
    /// </summary>
    public async Task<RouteLookup?> LookupAsync(IPAddress destination, CancellationToken cancellationToken)
    {
        RouteLookup? found = null;
        _writer.Reset();
        uint sequence = _connection.NextSequence();
        RouteCodec.WriteGet(_writer, sequence, destination);
        try
        {
            await _connection.ExecuteAsync(_writer.WrittenMemory, sequence, $"get RTM_GETROUTE {destination}", (in NetlinkMessage m) =>
            {
                if (m.Type == RoutingMessageType.NewRoute)
                {
                    found = RouteCodec.DecodeLookup(m, destination);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (e.Errno is Errno.ENETUNREACH or Errno.EHOSTUNREACH or Errno.EACCES or Errno.EINVAL)
        {
            // fib_lookup answers: ENETUNREACH no route, EHOSTUNREACH an unreachable route,
            // EACCES a prohibit route, EINVAL a blackhole route (ip route get prints
            // "Invalid argument" for one). The request itself is ip's, byte for byte.
            return null;
        }
        if (found is { OutputInterfaceIndex: int index })
        {
            found = found with { OutputInterface = await InterfaceNameAsync(index, cancellationToken).ConfigureAwait(false) };
        }
        return found;
    }

    /// <summary>The name of interface <paramref name="index"/> in this namespace (RTM_GETLINK), or null when there is none.</summary>
    public async Task<string?> InterfaceNameAsync(int index, CancellationToken cancellationToken)
    {
        string? name = null;
        _writer.Reset();
        uint sequence = _connection.NextSequence();
        LinkCodec.WriteGet(_writer, sequence, index);
        try
        {
            await _connection.ExecuteAsync(_writer.WrittenMemory, sequence, $"get RTM_GETLINK index {index}", (in NetlinkMessage m) =>
            {
                if (m.Type == RoutingMessageType.NewLink)
                {
                    name = LinkCodec.DecodeName(m);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return null;
        }
        return name;
    }

    /// <summary>Every interface of the namespace, by index, with its name (<c>ip link show</c>).</summary>
    public async Task<List<(int Index, string Name)>> ListInterfacesAsync(CancellationToken cancellationToken)
    {
        List<(int Index, string? Name)> links = await _connection.DumpAllAsync(sequence =>
        {
            _writer.Reset();
            LinkCodec.WriteDump(_writer, sequence);
            return _writer.WrittenMemory;
        }, "dump RTM_GETLINK", static (in NetlinkMessage m, out (int Index, string? Name) link) =>
        {
            link = default;
            if (m.Type != RoutingMessageType.NewLink)
            {
                return false;
            }
            link = (LinkCodec.DecodeIndex(m), LinkCodec.DecodeName(m));
            return true;
        }, DumpAttempts, cancellationToken).ConfigureAwait(false);
        var named = new List<(int, string)>(links.Count);
        foreach ((int index, string? name) in links)
        {
            if (name is not null)
            {
                named.Add((index, name));
            }
        }
        return named;
    }

    /// <summary>The addresses of every interface, for <paramref name="family"/> (IPv4 or IPv6).</summary>
    public async Task<List<InterfaceAddress>> ListAddressesAsync(NetfilterFamily family, CancellationToken cancellationToken)
    {
        List<InterfaceAddress> addresses = await _connection.DumpAllAsync(sequence =>
        {
            _writer.Reset();
            AddressCodec.WriteDump(_writer, sequence, family);
            return _writer.WrittenMemory;
        }, $"dump RTM_GETADDR ({family})", static (in NetlinkMessage m, out InterfaceAddress address) =>
        {
            address = null!;
            if (m.Type != AddressCodec.NewAddress)
            {
                return false;
            }
            address = AddressCodec.Decode(m);
            return true;
        }, DumpAttempts, cancellationToken).ConfigureAwait(false);
        return addresses;
    }

    public Task AddRuleAsync(RoutingRule rule, CancellationToken cancellationToken) =>
        ExecuteAsync(w => RuleCodec.WriteAdd(w, _connection.NextSequence(), rule), $"add rule '{rule}'", cancellationToken);

    /// <summary>Deletes the rule with exactly <paramref name="rule"/>'s selectors and priority.</summary>
    public Task DeleteRuleAsync(RoutingRule rule, CancellationToken cancellationToken) =>
        ExecuteAsync(w => RuleCodec.WriteDelete(w, _connection.NextSequence(), rule, rule.Priority), $"delete rule '{rule}'", cancellationToken);

    public Task AddRouteAsync(Route route, CancellationToken cancellationToken) =>
        ExecuteAsync(w => RouteCodec.WriteAdd(w, _connection.NextSequence(), route), $"add route '{route}'", cancellationToken);

    public Task DeleteRouteAsync(Route route, CancellationToken cancellationToken) =>
        ExecuteAsync(w => RouteCodec.WriteDelete(w, _connection.NextSequence(), route), $"delete route '{route}'", cancellationToken);

    private Task ExecuteAsync(Action<NetlinkWriter> build, string operation, CancellationToken cancellationToken)
    {
        _writer.Reset();
        build(_writer);
        uint sequence = NetlinkMessageHeader.Read(_writer.WrittenSpan).Sequence;
        return _connection.ExecuteAsync(_writer.WrittenMemory, sequence, operation, null, cancellationToken);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _writer.Dispose();
    }
}
