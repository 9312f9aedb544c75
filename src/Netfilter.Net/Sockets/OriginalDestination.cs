using System;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Sockets;

/// <summary>
/// Where a REDIRECTed or DNATed TCP connection was originally going, read from conntrack
/// through the accepted socket (SO_ORIGINAL_DST / IP6T_SO_ORIGINAL_DST): the question every
/// transparent proxy behind <c>redirect</c> or <c>dnat</c> asks.
/// </summary>
/// <remarks>
/// <para>For an IPv4 connection accepted on a dual-stack IPv6 socket (peer ::ffff:a.b.c.d) the
/// conntrack entry is IPv4, so SO_ORIGINAL_DST is asked at the IPv4 level and the answer is an
/// IPv4 endpoint; call <see cref="IPAddress.MapToIPv6"/> if the mapped form is wanted.</para>
/// <para>Only TCP (and SCTP) are answered (the kernel's getorigdst()); a UDP proxy uses tproxy
/// and IP_RECVORIGDSTADDR instead. A connection that conntrack does not track has no
/// original destination (<see cref="Errno.ENOENT"/>); one that was tracked but not translated
/// reports its own local endpoint.</para>
/// </remarks>
public static class OriginalDestination
{
    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;
    /// <summary>sizeof(struct sockaddr_in).</summary>
    internal const int SockaddrInSize = 16;
    /// <summary>sizeof(struct sockaddr_in6).</summary>
    internal const int SockaddrIn6Size = 28;

    /// <summary>Reads the original destination of a connected or accepted TCP socket.</summary>
    /// <exception cref="ArgumentException">Not a connected IPv4/IPv6 TCP socket.</exception>
    /// <exception cref="NetfilterException">
    /// <see cref="Errno.ENOENT"/>: conntrack has no entry for the connection (it was not redirected, or
    /// conntrack is not tracking it); <see cref="Errno.ENOPROTOOPT"/>: nf_conntrack is not loaded.
    /// </exception>
    public static IPEndPoint Get(Socket socket)
    {
        Errno errno = TryRead(socket, out IPEndPoint? destination, out string operation, out string connection);
        if (errno == Errno.None)
        {
            return destination!;
        }
        string? detail = errno switch
        {
            Errno.ENOENT => $"conntrack has no entry for {connection}: the connection was not redirected or conntrack is not tracking it (a namespace without NAT or ct rules tracks nothing)",
            Errno.ENOPROTOOPT => "the kernel answered no SO_ORIGINAL_DST for this socket: is nf_conntrack loaded (for IPv6 connections as well)?",
            _ => null,
        };
        throw new NetfilterException(errno, operation, detail: detail);
    }

    /// <summary>Reads the original destination; false when conntrack has no entry for the connection (other failures throw).</summary>
    /// <exception cref="ArgumentException">Not a connected IPv4/IPv6 TCP socket.</exception>
    /// <exception cref="NetfilterException">Any failure other than <see cref="Errno.ENOENT"/>.</exception>
    public static bool TryGet(Socket socket, [NotNullWhen(true)] out IPEndPoint? destination)
    {
        Errno errno = TryRead(socket, out destination, out string operation, out _);
        if (errno == Errno.ENOENT)
        {
            return false;
        }
        if (errno != Errno.None)
        {
            throw new NetfilterException(errno, operation);
        }
        return destination is not null;
    }

    private static Errno TryRead(Socket socket, out IPEndPoint? destination, out string operation, out string connection)
    {
        ArgumentNullException.ThrowIfNull(socket);
        destination = null;
        if (socket.ProtocolType != ProtocolType.Tcp && (int)socket.ProtocolType != InetSocketOption.ProtocolSctp)
        {
            throw new ArgumentException($"SO_ORIGINAL_DST answers for TCP (and SCTP) connections only, not {socket.ProtocolType}: a UDP proxy uses tproxy with IP_RECVORIGDSTADDR", nameof(socket));
        }
        if (socket.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"SO_ORIGINAL_DST needs an IPv4 or IPv6 socket, not {socket.AddressFamily}", nameof(socket));
        }
        if (socket.RemoteEndPoint is not IPEndPoint remote || socket.LocalEndPoint is not IPEndPoint local)
        {
            throw new ArgumentException("SO_ORIGINAL_DST needs a connected or accepted socket (a listening socket has no connection)", nameof(socket));
        }
        connection = $"{remote} -> {local}";
        // A dual-stack IPv6 socket carrying IPv4 (peer ::ffff:a.b.c.d) has an IPv4 conntrack
        // entry: ask at SOL_IP, which ipv6_getsockopt hands to the IPv4 code (getorigdst()).
        bool ipv4 = socket.AddressFamily == AddressFamily.InterNetwork || remote.Address.IsIPv4MappedToIPv6;
        operation = ipv4 ? "getsockopt(SOL_IP, SO_ORIGINAL_DST)" : "getsockopt(SOL_IPV6, IP6T_SO_ORIGINAL_DST)";
        Span<byte> buffer = stackalloc byte[SockaddrIn6Size];
        buffer = buffer.Slice(0, ipv4 ? SockaddrInSize : SockaddrIn6Size);
        Errno errno = ipv4
            ? SocketOption.Get(socket, InetSocketOption.SolIP, InetSocketOption.OriginalDestination, buffer, out _)
            : SocketOption.Get(socket, InetSocketOption.SolIPv6, InetSocketOption.OriginalDestinationV6, buffer, out _);
        if (errno == Errno.None)
        {
            destination = Decode(buffer, operation);
        }
        return errno;
    }

    /// <summary>Decodes a sockaddr_in or sockaddr_in6 (family and address in the layout of uapi linux/in.h and linux/in6.h).</summary>
    internal static IPEndPoint Decode(ReadOnlySpan<byte> sockaddr, string context)
    {
        if (sockaddr.Length < 2)
        {
            throw new NetlinkProtocolException(context, "a sockaddr (at least 2 bytes)", $"{sockaddr.Length} bytes");
        }
        ushort family = HostOrder.ReadUInt16(sockaddr);
        switch (family)
        {
            case AfInet:
                if (sockaddr.Length < SockaddrInSize)
                {
                    throw new NetlinkProtocolException(context, $"a sockaddr_in ({SockaddrInSize} bytes)", $"{sockaddr.Length} bytes");
                }
                // sin_port and sin_addr are in network order.
                return new IPEndPoint(new IPAddress(sockaddr.Slice(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(sockaddr.Slice(2)));
            case AfInet6:
                if (sockaddr.Length < SockaddrIn6Size)
                {
                    throw new NetlinkProtocolException(context, $"a sockaddr_in6 ({SockaddrIn6Size} bytes)", $"{sockaddr.Length} bytes");
                }
                // sin6_port (network order), sin6_flowinfo, sin6_addr, sin6_scope_id (host order).
                uint scope = HostOrder.ReadUInt32(sockaddr.Slice(24));
                return new IPEndPoint(new IPAddress(sockaddr.Slice(8, 16), scope), BinaryPrimitives.ReadUInt16BigEndian(sockaddr.Slice(2)));
            default:
                throw new NetlinkProtocolException(context, $"family AF_INET ({AfInet}) or AF_INET6 ({AfInet6})", $"{family}");
        }
    }
}
