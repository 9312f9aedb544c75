using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Netfilter.Net.Netlink;

internal sealed partial class NetlinkSocket
{
    /// <summary>
    /// nft's NFT_NLMSG_MAXSIZE (UINT16_MAX + page size). The kernel sizes dump datagrams from
    /// the buffer a receiver offers, and set-element messages exceed 64 KiB, so start here.
    /// </summary>
    public const int DefaultReceiveBufferSize = ushort.MaxValue + 4096;

    /// <summary>
    /// Takes what is queued without waiting (the common case: the kernel answers a request, and
    /// continues a dump, inside our own sendmsg and recvmsg calls), and only when the socket is
    /// empty awaits readiness from the runtime's epoll engine. No thread waits for the kernel.
    /// </summary>
    public ValueTask<int> ReceiveAsync(DatagramBuffer buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int received = TryReceive(ref buffer.Bytes);
        if (received >= 0 || timeout == TimeSpan.Zero)
        {
            return new ValueTask<int>(received);
        }
        return WaitAndReceiveAsync(buffer, timeout, cancellationToken);
    }

    private async ValueTask<int> WaitAndReceiveAsync(DatagramBuffer buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        bool infinite = timeout == Timeout.InfiniteTimeSpan;
        long deadline = infinite ? long.MaxValue : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        while (true)
        {
            long remaining = infinite ? -1 : deadline - Environment.TickCount64;
            if (!infinite && remaining <= 0)
            {
                return -1;
            }
            if (!await WaitReadableAsync(infinite ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(remaining), cancellationToken).ConfigureAwait(false))
            {
                return -1;
            }
            cancellationToken.ThrowIfCancellationRequested();
            int received = TryReceive(ref buffer.Bytes);
            if (received >= 0)
            {
                return received;
            }
            // Readable, but nothing for us: a unicast from another process was dropped, or the
            // datagram went to a concurrent reader. Wait again within the same deadline.
        }
    }

    /// <summary>
    /// A zero-byte MSG_PEEK receive through the Socket: it consumes nothing and completes as soon
    /// as a datagram (or a pending socket error) is there. The runtime retries EINTR itself, so a
    /// stop and continue (SIGSTOP/SIGCONT) of the process is invisible here. False on timeout.
    /// </summary>
    private async ValueTask<bool> WaitReadableAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        CancellationTokenSource? timer = null;
        CancellationToken token = cancellationToken;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(timeout);
            token = timer.Token;
        }
        try
        {
            await _readiness.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
        {
            // The peek reported (and so cleared) the socket's pending error: the kernel dropped
            // datagrams for this socket (netlink_overrun). Report it as a receive would have.
            throw new NetlinkException(Errno.ENOBUFS, "recvmsg(netlink)");
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Shutdown or SocketError.NotSocket)
        {
            throw new ObjectDisposedException(nameof(NetlinkSocket), "the netlink socket was closed while a receive waited on it");
        }
        catch (SocketException e)
        {
            throw new NetlinkException(Errno.EIO, "recvmsg(netlink)", detail: $"waiting for the socket to become readable failed: {e.SocketErrorCode} ({e.Message})");
        }
        finally
        {
            timer?.Dispose();
        }
    }

    /// <summary>One whole datagram from the kernel if one is queued; -1 when the socket is empty.</summary>
    private int TryReceive(ref byte[] buffer)
    {
        bool added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)_handle.DangerousGetHandle();
            while (true)
            {
                int size = PeekSize(fd, out Errno errno);
                if (size < 0)
                {
                    if (errno == Errno.EAGAIN)
                    {
                        return -1;
                    }
                    throw new NetlinkException(errno, "recvmsg(netlink)");
                }
                if (size > buffer.Length)
                {
                    buffer = new byte[Math.Max(size, buffer.Length * 2)];
                }
                int received = ReceiveInto(fd, buffer, out uint sender);
                if (received < 0)
                {
                    // Peek said there was data; only a concurrent reader could take it.
                    return -1;
                }
                if (sender != 0)
                {
                    // Unicast from another process, not the kernel: not an answer. Drop it.
                    continue;
                }
                return received;
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    // recvmsg(MSG_PEEK|MSG_TRUNC) with no buffer returns the real datagram length without
    // consuming it (mdlayher/netlink peeks the same way), so no datagram is ever cut short.
    private static unsafe int PeekSize(int fd, out Errno errno)
    {
        var message = new msghdr();
        long result;
        do
        {
            result = recvmsg(fd, &message, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
        }
        while (Syscall.Interrupted(result, out errno));
        return (int)result;
    }

    private static unsafe int ReceiveInto(int fd, byte[] buffer, out uint sender)
    {
        SockaddrNl from = default;
        fixed (byte* data = buffer)
        {
            var vector = new iovec { iov_base = data, iov_len = buffer.Length };
            var message = new msghdr
            {
                msg_name = &from,
                msg_namelen = (uint)sizeof(SockaddrNl),
                msg_iov = &vector,
                msg_iovlen = 1,
            };
            long result;
            Errno errno;
            do
            {
                result = recvmsg(fd, &message, MSG_DONTWAIT);
            }
            while (Syscall.Interrupted(result, out errno));
            if (result < 0)
            {
                if (errno == Errno.EAGAIN)
                {
                    sender = 0;
                    return -1;
                }
                throw new NetlinkException(errno, "recvmsg(netlink)");
            }
            if ((message.msg_flags & MSG_TRUNC) != 0)
            {
                throw new NetlinkProtocolException("recvmsg(netlink)", $"a datagram of at most {buffer.Length} bytes", "a truncated datagram (MSG_TRUNC)");
            }
            sender = from.PortId;
            return (int)result;
        }
    }
}
