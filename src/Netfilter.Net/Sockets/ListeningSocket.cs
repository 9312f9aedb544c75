using System.Net;
using System.Net.Sockets;

namespace Netfilter.Net.Sockets;

/// <summary>
/// A socket waiting for traffic: a TCP socket in LISTEN, or a bound, unconnected UDP socket
/// (what <c>ss -ltn</c> and <c>ss -lun</c> list), as NETLINK_SOCK_DIAG reports it.
/// </summary>
/// <param name="Protocol"><see cref="ProtocolType.Tcp"/> or <see cref="ProtocolType.Udp"/>.</param>
/// <param name="LocalEndPoint">The bound address and port; 0.0.0.0 or :: for "any address".</param>
public sealed record ListeningSocket(ProtocolType Protocol, IPEndPoint LocalEndPoint)
{
    /// <summary>An IPv6 socket on :: without IPV6_V6ONLY: it accepts IPv4 as well (ss prints it as <c>*:PORT</c>).</summary>
    public bool IsDualStack { get; init; }

    /// <summary>The interface the socket is bound to (SO_BINDTODEVICE), 0 when none.</summary>
    public int InterfaceIndex { get; init; }

    /// <summary>The owner's user id, as seen from the namespace's user namespace.</summary>
    public uint UserId { get; init; }

    /// <summary>The socket's inode number: the <c>socket:[INODE]</c> link under /proc/PID/fd of the owning process.</summary>
    public ulong Inode { get; init; }

    /// <summary>The kernel's socket cookie (what ss prints as <c>sk:</c>).</summary>
    public ulong Cookie { get; init; }

    /// <summary>
    /// True when traffic to <paramref name="address"/> on this socket's port reaches it: the
    /// socket is bound to that address or to the wildcard of its family (a dual-stack socket
    /// also takes IPv4). An IPv4-mapped IPv6 address counts as the IPv4 address.
    /// </summary>
    public bool Accepts(IPAddress address)
    {
        System.ArgumentNullException.ThrowIfNull(address);
        IPAddress target = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        IPAddress local = LocalEndPoint.Address;
        if (local.AddressFamily == AddressFamily.InterNetwork)
        {
            return target.AddressFamily == AddressFamily.InterNetwork && (local.Equals(IPAddress.Any) || local.Equals(target));
        }
        if (target.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsDualStack || (local.IsIPv4MappedToIPv6 && local.MapToIPv4().Equals(target));
        }
        return local.Equals(IPAddress.IPv6Any) || new IPAddress(local.GetAddressBytes()).Equals(new IPAddress(target.GetAddressBytes()));
    }

    /// <summary>As ss prints the local address: <c>tcp 0.0.0.0:8080</c>, <c>udp [::1]:53</c>, <c>tcp *:8443</c> for dual-stack.</summary>
    public override string ToString()
    {
        string name = Protocol == ProtocolType.Tcp ? "tcp" : Protocol == ProtocolType.Udp ? "udp" : Protocol.ToString().ToLowerInvariant();
        return IsDualStack ? $"{name} *:{LocalEndPoint.Port}" : $"{name} {LocalEndPoint}";
    }
}
