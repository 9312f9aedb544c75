using System;
using System.Threading;
using System.Threading.Tasks;

namespace Netfilter.Net.Netlink;

/// <summary>
/// The seam between the request engine and the kernel: one datagram out, one datagram in.
/// <see cref="NetlinkSocket"/> is the real implementation; the unit tests script a fake kernel.
/// </summary>
internal interface INetlinkTransport : IDisposable
{
    /// <summary>The port id the kernel assigned to this socket (nl_pid after bind).</summary>
    uint PortId { get; }

    /// <summary>
    /// Sends one datagram to the kernel. It may hold many messages (a batch). The kernel handles
    /// a netlink request inside sendmsg, on the caller's thread; nothing here waits for an answer.
    /// </summary>
    void Send(ReadOnlySpan<byte> datagram);

    /// <summary>
    /// Receives one whole datagram from the kernel into <paramref name="buffer"/>, replacing its
    /// array with a larger one when the datagram does not fit. Returns its length, or -1 when
    /// <paramref name="timeout"/> passed first (<see cref="TimeSpan.Zero"/> takes only what is
    /// already queued). While nothing is queued it holds no thread: it completes when the socket
    /// becomes readable. A truncated datagram raises <see cref="NetlinkProtocolException"/>;
    /// ENOBUFS raises <see cref="NetlinkException"/> with <see cref="Errno.ENOBUFS"/>.
    /// </summary>
    ValueTask<int> ReceiveAsync(DatagramBuffer buffer, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Makes sure the kernel-side send buffer can take a datagram of <paramref name="bytes"/>.</summary>
    void EnsureSendBuffer(int bytes);

    /// <summary>Makes sure the kernel-side receive buffer can hold <paramref name="bytes"/> of replies.</summary>
    void EnsureReceiveBuffer(int bytes);
}
