using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Sockets;

/// <summary>
/// Which TCP and UDP ports have a socket waiting in a namespace, read over NETLINK_SOCK_DIAG
/// (inet_diag) as <c>ss -ltn</c> / <c>ss -lun</c> read it, not by parsing /proc/net. Answers the
/// two questions port redirection raises: is anything listening on the target port, and is the
/// public port already taken.
/// </summary>
/// <remarks>
/// Each call opens its own NETLINK_SOCK_DIAG socket in the namespace and holds no thread while
/// it waits for the kernel. Sockets of every process in the namespace are listed (reading them
/// needs no privilege).
/// </remarks>
public static class ListeningSockets
{
    /// <summary>Every listening TCP socket and bound UDP socket, IPv4 and IPv6.</summary>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel.</param>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public static Task<IReadOnlyList<ListeningSocket>> ListAsync(NetworkNamespace? networkNamespace = null, CancellationToken cancellationToken = default) =>
        ListCoreAsync(networkNamespace, new[] { ProtocolType.Tcp, ProtocolType.Udp }, BothFamilies, cancellationToken);

    /// <summary>The listening sockets of one protocol.</summary>
    /// <param name="protocol"><see cref="ProtocolType.Tcp"/> or <see cref="ProtocolType.Udp"/>.</param>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel.</param>
    /// <exception cref="ArgumentOutOfRangeException">Another protocol.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public static Task<IReadOnlyList<ListeningSocket>> ListAsync(ProtocolType protocol, NetworkNamespace? networkNamespace = null, CancellationToken cancellationToken = default)
    {
        ValidateProtocol(protocol);
        return ListCoreAsync(networkNamespace, new[] { protocol }, BothFamilies, cancellationToken);
    }

    /// <summary>
    /// The sockets that traffic to <paramref name="port"/> (and <paramref name="address"/>, when
    /// given) would reach: bound to that address or to the wildcard, dual-stack sockets included
    /// for IPv4. Empty means nothing listens there.
    /// </summary>
    /// <param name="protocol"><see cref="ProtocolType.Tcp"/> or <see cref="ProtocolType.Udp"/>.</param>
    /// <param name="port">1–65535.</param>
    /// <param name="address">The destination address; null for any.</param>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel.</param>
    /// <exception cref="ArgumentOutOfRangeException">Another protocol, or a port outside 1–65535.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public static Task<IReadOnlyList<ListeningSocket>> FindAsync(ProtocolType protocol, int port, IPAddress? address = null, NetworkNamespace? networkNamespace = null, CancellationToken cancellationToken = default)
    {
        ValidateProtocol(protocol);
        if (port is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "a port is 1-65535");
        }
        IPAddress? target = address is not null && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        // IPv6 sockets can take IPv4 (dual-stack), so an IPv4 question needs both dumps.
        AddressFamily[] families = target?.AddressFamily == AddressFamily.InterNetworkV6 ? new[] { AddressFamily.InterNetworkV6 } : BothFamilies;
        return FindCoreAsync(protocol, port, target, families, networkNamespace, cancellationToken);
    }

    private static async Task<IReadOnlyList<ListeningSocket>> FindCoreAsync(ProtocolType protocol, int port, IPAddress? target, AddressFamily[] families, NetworkNamespace? networkNamespace, CancellationToken cancellationToken)
    {
        IReadOnlyList<ListeningSocket> all = await ListCoreAsync(networkNamespace, new[] { protocol }, families, cancellationToken).ConfigureAwait(false);
        return all.Where(s => s.LocalEndPoint.Port == port && (target is null || s.Accepts(target))).ToList();
    }

    /// <summary>True when some socket would receive traffic to <paramref name="port"/> (and <paramref name="address"/>); see <see cref="FindAsync"/>.</summary>
    /// <param name="protocol"><see cref="ProtocolType.Tcp"/> or <see cref="ProtocolType.Udp"/>.</param>
    /// <param name="port">1–65535.</param>
    /// <param name="address">The destination address; null for any.</param>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel.</param>
    /// <exception cref="ArgumentOutOfRangeException">Another protocol, or a port outside 1–65535.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public static async Task<bool> IsListeningAsync(ProtocolType protocol, int port, IPAddress? address = null, NetworkNamespace? networkNamespace = null, CancellationToken cancellationToken = default) =>
        (await FindAsync(protocol, port, address, networkNamespace, cancellationToken).ConfigureAwait(false)).Count > 0;

    private static readonly AddressFamily[] BothFamilies = { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 };

    internal static async Task<IReadOnlyList<ListeningSocket>> ListCoreAsync(NetworkNamespace? networkNamespace, IReadOnlyList<ProtocolType> protocols, IReadOnlyList<AddressFamily> families, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = new NetlinkConnection(NetlinkSocket.Open(NetlinkProtocol.SockDiag, networkNamespace));
        return await ListAsync(connection, protocols, families, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<IReadOnlyList<ListeningSocket>> ListAsync(NetlinkConnection connection, IReadOnlyList<ProtocolType> protocols, IReadOnlyList<AddressFamily> families, CancellationToken cancellationToken)
    {
        var sockets = new List<ListeningSocket>();
        using var writer = new NetlinkWriter(128);
        foreach (ProtocolType protocol in protocols)
        {
            foreach (AddressFamily family in families)
            {
                string operation = $"dump SOCK_DIAG_BY_FAMILY ({(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} {protocol})";
                sockets.AddRange(await connection.DumpAllAsync(sequence =>
                {
                    writer.Reset();
                    InetDiag.WriteListeningDump(writer, sequence, family, protocol);
                    return writer.WrittenMemory;
                }, operation, (in NetlinkMessage m, out ListeningSocket s) => InetDiag.TryDecodeListening(m, protocol, out s), attempts: 3, cancellationToken).ConfigureAwait(false));
            }
        }
        return sockets;
    }

    private static void ValidateProtocol(ProtocolType protocol)
    {
        if (protocol is not (ProtocolType.Tcp or ProtocolType.Udp))
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "listening sockets are listed for TCP and UDP");
        }
    }
}
