using System;
using System.Net.Sockets;

namespace Netfilter.Net.Sockets;

/// <summary>
/// IP_TRANSPARENT / IPV6_TRANSPARENT: lets a socket accept connections (and receive datagrams)
/// addressed to addresses that are not the host's own, which is what nftables' <c>tproxy</c>
/// diverts to it. The accepted socket's <see cref="Socket.LocalEndPoint"/> is then the
/// destination the client asked for. Needs CAP_NET_ADMIN (or CAP_NET_RAW) in the socket's
/// namespace, and the policy routing of <see cref="TproxyRouting"/>.
/// </summary>
/// <example>
/// <code>
/// using var listener = ns.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
/// TransparentSocket.Enable(listener);            // before Bind
/// listener.Bind(new IPEndPoint(IPAddress.Any, 8080));
/// listener.Listen();
/// using Socket client = await listener.AcceptAsync();
/// // client.LocalEndPoint is e.g. 10.0.2.2:80: where the client was going.
/// </code>
/// </example>
public static class TransparentSocket
{
    /// <summary>Sets IP_TRANSPARENT (IPv4 socket) or IPV6_TRANSPARENT (IPv6 socket, which covers IPv4 on a dual-stack socket too). Call it before Bind.</summary>
    /// <exception cref="ArgumentException">Not an IPv4 or IPv6 socket.</exception>
    /// <exception cref="NetfilterException"><see cref="Errno.EPERM"/>: the process lacks CAP_NET_ADMIN/CAP_NET_RAW in the socket's namespace.</exception>
    public static void Enable(Socket socket) => Set(socket, true);

    /// <summary>Clears the flag.</summary>
    /// <exception cref="ArgumentException">Not an IPv4 or IPv6 socket.</exception>
    /// <exception cref="NetfilterException">The kernel refused.</exception>
    public static void Disable(Socket socket) => Set(socket, false);

    /// <summary>Reads the flag back.</summary>
    /// <exception cref="ArgumentException">Not an IPv4 or IPv6 socket.</exception>
    public static bool IsEnabled(Socket socket)
    {
        (int level, int name, string option) = OptionFor(socket);
        Span<byte> value = stackalloc byte[sizeof(int)];
        Errno errno = SocketOption.Get(socket, level, name, value, out _);
        if (errno != Errno.None)
        {
            throw new NetfilterException(errno, $"getsockopt({option})");
        }
        return BitConverter.ToInt32(value) != 0;
    }

    private static void Set(Socket socket, bool on)
    {
        (int level, int name, string option) = OptionFor(socket);
        Errno errno = SocketOption.SetInt32(socket, level, name, on ? 1 : 0);
        if (errno != Errno.None)
        {
            // do_ip_setsockopt: IP_TRANSPARENT needs CAP_NET_RAW or CAP_NET_ADMIN over the socket's namespace.
            throw new NetfilterException(errno, $"setsockopt({option}, {(on ? 1 : 0)})",
                detail: errno == Errno.EPERM ? "a transparent socket needs CAP_NET_ADMIN or CAP_NET_RAW" : null);
        }
    }

    private static (int Level, int Name, string Option) OptionFor(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return socket.AddressFamily switch
        {
            AddressFamily.InterNetwork => (InetSocketOption.SolIP, InetSocketOption.Transparent, "IP_TRANSPARENT"),
            AddressFamily.InterNetworkV6 => (InetSocketOption.SolIPv6, InetSocketOption.TransparentV6, "IPV6_TRANSPARENT"),
            _ => throw new ArgumentException($"a transparent socket is an IPv4 or IPv6 socket, not {socket.AddressFamily}", nameof(socket)),
        };
    }
}
