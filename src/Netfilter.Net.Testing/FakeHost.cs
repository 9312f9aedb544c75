using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Routing;
using Netfilter.Net.Sockets;
using Netfilter.Net.Testing.Internal;

namespace Netfilter.Net.Testing;

/// <summary>
/// The host side of a fake namespace: its interfaces and their addresses, its routes and the
/// sockets that listen in it. A fresh namespace has only <c>lo</c> (127.0.0.1/8 and ::1/128, up),
/// as a namespace made with <c>ip netns add</c> has once its loopback is up. What the NAT tables
/// (local targets, hairpin networks, warnings), the doctor (routes toward targets, listening
/// sockets, route_localnet) and the sysctls (one <c>conf.IF.*</c> directory per interface) need
/// to know about the host comes from here.
/// </summary>
/// <example>
/// <code>
/// var kernel = new FakeNetfilter();
/// kernel.Host.AddInterface("lan", "10.0.2.1/24");          // the servers' network
/// kernel.Host.AddInterface("wan", "203.0.113.1/24");
/// kernel.Host.AddRoute(IPNetwork.Parse("0.0.0.0/0"), "wan", IPAddress.Parse("203.0.113.254"));
/// kernel.Host.Listen(ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 8080));
/// </code>
/// </example>
public sealed class FakeHost
{
    private readonly object _lock = new();
    private readonly FakeSysctl _sysctl;
    private readonly List<Link> _links = new();
    private readonly List<(IPNetwork Destination, IPAddress? Gateway, string Interface)> _routes = new();
    private readonly List<(ListeningSocket Socket, string? Owner)> _listening = new();
    private int _nextIndex = 1;
    private ulong _nextInode = 40000;

    internal FakeHost(FakeSysctl sysctl)
    {
        _sysctl = sysctl;
        AddLink("lo", new[] { (IPAddress.Loopback, 8), (IPAddress.IPv6Loopback, 128) });
    }

    /// <summary>The interfaces, in the order they were added (<c>lo</c> first).</summary>
    public IReadOnlyList<string> Interfaces
    {
        get
        {
            lock (_lock)
            {
                return _links.Select(l => l.Name).ToList();
            }
        }
    }

    /// <summary>Every address of every interface, as <c>ip addr</c> lists them.</summary>
    public IReadOnlyList<InterfaceAddress> Addresses
    {
        get
        {
            lock (_lock)
            {
                return _links.SelectMany(l => l.Addresses.Select(a => new InterfaceAddress(l.Index, l.Name, a.Address, a.PrefixLength))).ToList();
            }
        }
    }

    /// <summary>The listening TCP and bound UDP sockets, as <c>ss -ltun</c> lists them.</summary>
    public IReadOnlyList<ListeningSocket> Listening
    {
        get
        {
            lock (_lock)
            {
                return _listening.Select(l => l.Socket).ToList();
            }
        }
    }

    /// <summary>
    /// Adds an interface (up) with <paramref name="addresses"/> written as <c>ip addr add</c> takes
    /// them ("10.0.2.1/24", "2001:db8::1/64"); its directly connected networks follow from them. Its
    /// sysctls (<c>net.ipv4.conf.NAME.*</c>, <c>net.ipv6.conf.NAME.*</c>) start from <c>conf.default</c>, as the kernel's do.
    /// </summary>
    /// <exception cref="ArgumentException">The name cannot name an interface, is taken, or an address is not ADDRESS/PREFIX.</exception>
    public void AddInterface(string name, params string[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var parsed = new List<(IPAddress, int)>();
        foreach (string text in addresses)
        {
            parsed.Add(ParseAddress(text, nameof(addresses)));
        }
        AddLink(name, parsed);
    }

    /// <summary>Adds an address to an existing interface.</summary>
    /// <exception cref="ArgumentException">No such interface, or the prefix length does not fit the address family.</exception>
    public void AddAddress(string interfaceName, IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        CheckPrefix(address, prefixLength, nameof(prefixLength));
        lock (_lock)
        {
            Link link = Find(interfaceName) ?? throw new ArgumentException($"no interface named '{interfaceName}'", nameof(interfaceName));
            link.Addresses.Add((address, prefixLength));
        }
    }

    /// <summary>Removes an interface with its addresses, the routes through it and its sysctls (as <c>ip link del</c>).</summary>
    /// <returns>False when there is no such interface.</returns>
    public bool RemoveInterface(string name)
    {
        lock (_lock)
        {
            Link? link = Find(name);
            if (link is null || name == "lo")
            {
                return false;
            }
            _links.Remove(link);
            _routes.RemoveAll(r => r.Interface == name);
        }
        _sysctl.RemoveInterface(name);
        return true;
    }

    /// <summary>Adds a route (<c>ip route add DESTINATION [via GATEWAY] dev INTERFACE</c>); 0.0.0.0/0 or ::/0 is a default route.</summary>
    /// <exception cref="ArgumentException">No such interface, or the gateway's family is not the destination's.</exception>
    public void AddRoute(IPNetwork destination, string interfaceName, IPAddress? gateway = null)
    {
        if (gateway is not null && gateway.AddressFamily != destination.BaseAddress.AddressFamily)
        {
            throw new ArgumentException($"gateway {gateway} is not of the family of {destination}", nameof(gateway));
        }
        lock (_lock)
        {
            if (Find(interfaceName) is null)
            {
                throw new ArgumentException($"no interface named '{interfaceName}'", nameof(interfaceName));
            }
            _routes.Add((destination, gateway, interfaceName));
        }
    }

    /// <summary>
    /// Declares a socket that listens (TCP) or is bound (UDP) at <paramref name="endPoint"/>, as a
    /// service started in the namespace would; the doctor's listening checks see it.
    /// </summary>
    /// <param name="protocol"><see cref="ProtocolType.Tcp"/> or <see cref="ProtocolType.Udp"/>.</param>
    /// <param name="endPoint">The bound address (0.0.0.0 or :: for any) and port.</param>
    /// <param name="dualStack">An IPv6 socket on :: that takes IPv4 too (IPV6_V6ONLY off).</param>
    /// <param name="owner">Who holds it, as the doctor names owners ("nginx (pid 812)"); none when null.</param>
    /// <returns>The socket as the doctor sees it.</returns>
    /// <exception cref="ArgumentException">Another protocol, or port 0.</exception>
    public ListeningSocket Listen(ProtocolType protocol, IPEndPoint endPoint, bool dualStack = false, string? owner = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (protocol is not (ProtocolType.Tcp or ProtocolType.Udp))
        {
            throw new ArgumentException($"a listening socket is TCP or UDP, not {protocol}", nameof(protocol));
        }
        if (endPoint.Port == 0)
        {
            throw new ArgumentException("a listening socket has a port", nameof(endPoint));
        }
        lock (_lock)
        {
            var socket = new ListeningSocket(protocol, endPoint) { IsDualStack = dualStack, Inode = ++_nextInode, Cookie = _nextInode };
            _listening.Add((socket, owner));
            return socket;
        }
    }

    /// <summary>Closes the sockets listening at <paramref name="endPoint"/>; false when there were none.</summary>
    public bool StopListening(ProtocolType protocol, IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        lock (_lock)
        {
            return _listening.RemoveAll(l => l.Socket.Protocol == protocol && l.Socket.LocalEndPoint.Equals(endPoint)) > 0;
        }
    }

    /// <summary>
    /// How a packet to <paramref name="destination"/> would leave, as <c>ip route get</c> answers:
    /// local for the host's own addresses and loopback, else the longest matching connected network
    /// or route; null when there is none.
    /// </summary>
    internal RouteLookup? Lookup(IPAddress destination)
    {
        lock (_lock)
        {
            foreach (Link link in _links)
            {
                foreach ((IPAddress address, int _) in link.Addresses)
                {
                    if (address.Equals(destination))
                    {
                        return new RouteLookup(destination, RouteType.Local, 1, "lo", null, destination);
                    }
                }
            }
            if (destination.AddressFamily == AddressFamily.InterNetwork && destination.GetAddressBytes()[0] == 127)
            {
                return new RouteLookup(destination, RouteType.Local, 1, "lo", null, IPAddress.Loopback);
            }
            (IPNetwork Network, IPAddress? Gateway, Link Link)? best = null;
            foreach (Link link in _links)
            {
                foreach ((IPAddress address, int prefix) in link.Addresses)
                {
                    IPNetwork network = Network(address, prefix);
                    if (network.Contains(destination) && (best is null || prefix > best.Value.Network.PrefixLength))
                    {
                        best = (network, null, link);
                    }
                }
            }
            foreach ((IPNetwork network, IPAddress? gateway, string name) in _routes)
            {
                if (network.BaseAddress.AddressFamily == destination.AddressFamily && network.Contains(destination)
                    && (best is null || network.PrefixLength > best.Value.Network.PrefixLength) && Find(name) is Link link)
                {
                    best = (network, gateway, link);
                }
            }
            if (best is not { } found)
            {
                return null;
            }
            IPAddress? source = found.Link.Addresses.Where(a => a.Address.AddressFamily == destination.AddressFamily)
                .OrderByDescending(a => Network(a.Address, a.PrefixLength).Contains(destination)).Select(a => a.Address).FirstOrDefault();
            return new RouteLookup(destination, RouteType.Unicast, found.Link.Index, found.Link.Name, found.Gateway, source);
        }
    }

    /// <summary>The owner given to <see cref="Listen"/>, by socket inode.</summary>
    internal IReadOnlyDictionary<ulong, string> Owners(IReadOnlyCollection<ulong> inodes)
    {
        lock (_lock)
        {
            var owners = new Dictionary<ulong, string>();
            foreach ((ListeningSocket socket, string? owner) in _listening)
            {
                if (owner is not null && inodes.Contains(socket.Inode))
                {
                    owners[socket.Inode] = owner;
                }
            }
            return owners;
        }
    }

    private void AddLink(string name, IReadOnlyList<(IPAddress Address, int PrefixLength)> addresses)
    {
        Sysctl.SysctlKey.IPv4Forwarding(name); // validates the name as the kernel's dev_valid_name does
        if (name is Sysctl.SysctlKey.AllInterfaces or Sysctl.SysctlKey.DefaultInterface)
        {
            throw new ArgumentException($"'{name}' names the sysctl pseudo-interface, not an interface", nameof(name));
        }
        lock (_lock)
        {
            if (Find(name) is not null)
            {
                throw new ArgumentException($"an interface named '{name}' exists already", nameof(name));
            }
            _links.Add(new Link(_nextIndex++, name, addresses.ToList()));
        }
        _sysctl.AddInterface(name);
    }

    private Link? Find(string name) => _links.FirstOrDefault(l => l.Name == name);

    private static (IPAddress, int) ParseAddress(string text, string parameter)
    {
        ArgumentNullException.ThrowIfNull(text, parameter);
        int slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out IPAddress? address)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix))
        {
            throw new ArgumentException($"'{text}' is not ADDRESS/PREFIX (10.0.2.1/24, 2001:db8::1/64)", parameter);
        }
        CheckPrefix(address, prefix, parameter);
        return (address, prefix);
    }

    private static void CheckPrefix(IPAddress address, int prefix, string parameter)
    {
        int bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : -1;
        if (bits < 0 || prefix < 0 || prefix > bits)
        {
            throw new ArgumentException($"{address}/{prefix} is not an IPv4 or IPv6 address with a prefix length of 0 to {Math.Max(bits, 32)}", parameter);
        }
    }

    private static IPNetwork Network(IPAddress address, int prefix) => new InterfaceAddress(0, null, address, prefix).Network;

    private sealed record Link(int Index, string Name, List<(IPAddress Address, int PrefixLength)> Addresses);
}
