using System;
using System.Threading;
using Netfilter.Net.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Netfilter.Net.Netlink;

internal sealed unsafe partial class NetlinkSocket
{
    /// <summary>
    /// nft's NFT_NLMSG_MAXSIZE (UINT16_MAX + page size). The kernel sizes dump datagrams from
    /// the buffer a receiver offers, and set-element messages exceed 64 KiB, so start here.
    /// </summary>
    public const int DefaultReceiveBufferSize = ushort.MaxValue + 4096;

    public int Receive(ref byte[] buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        bool added = false;
        _socket.DangerousAddRef(ref added);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int size = PeekSize(out Errno errno);
                if (size >= 0)
                {
                    if (size > buffer.Length)
                    {
                        buffer = new byte[Math.Max(size, buffer.Length * 2)];
                    }
                    int received = ReceiveInto(buffer, out uint sender);
                    if (received < 0)
                    {
                        // Peek said there was data; only a concurrent reader could take it. Loop.
                        continue;
                    }
                    if (sender != 0)
                    {
                        // Unicast from another process, not the kernel: not an answer. Drop it.
                        continue;
                    }
                    return received;
                }
                if (errno != Errno.EAGAIN)
                {
                    throw new NetlinkException(errno, "recvmsg(netlink)");
                }
                if (timeout == TimeSpan.Zero)
                {
                    return -1;
                }
                if (!WaitReadable(timeout, cancellationToken))
                {
                    return -1;
                }
            }
        }
        finally
        {
            if (added)
            {
                _socket.DangerousRelease();
            }
        }
    }

    // recvmsg(MSG_PEEK|MSG_TRUNC) with no buffer returns the real datagram length without
    // consuming it (mdlayher/netlink peeks the same way), so no datagram is ever cut short.
    private int PeekSize(out Errno errno)
    {
        int fd = _socket.Fd;
        var message = new msghdr();
        long result;
        do
        {
            result = recvmsg(fd, &message, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
        }
        while (Syscall.Interrupted(result, out errno));
        return (int)result;
    }

    private int ReceiveInto(byte[] buffer, out uint sender)
    {
        int fd = _socket.Fd;
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

    /// <summary>poll() on the socket and the wake eventfd; true when the socket is readable.</summary>
    private bool WaitReadable(TimeSpan timeout, CancellationToken cancellationToken)
    {
        int socketFd = _socket.Fd;
        int wakeFd = _wake.Fd;
        long deadline = Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        using CancellationTokenRegistration registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state => ((NetlinkSocket)state!).Wake(), this)
            : default;
        pollfd* fds = stackalloc pollfd[2];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long remaining = timeout == Timeout.InfiniteTimeSpan ? -1 : Math.Max(0, deadline - Environment.TickCount64);
            if (remaining == 0 && timeout != Timeout.InfiniteTimeSpan)
            {
                return false;
            }
            fds[0] = new pollfd { fd = socketFd, events = POLLIN };
            fds[1] = new pollfd { fd = wakeFd, events = POLLIN };
            int waitMs = (int)Math.Min(remaining, int.MaxValue);
            // poll is not restarted after EINTR: loop and recompute the remaining time instead.
            int ready = poll(fds, 2, waitMs);
            if (Syscall.Interrupted(ready, out Errno errno))
            {
                continue;
            }
            if (ready < 0)
            {
                throw new NetlinkException(errno, "poll(netlink)");
            }
            if ((fds[1].revents & POLLIN) != 0)
            {
                DrainWake();
                cancellationToken.ThrowIfCancellationRequested();
            }
            if ((fds[0].revents & (POLLIN | POLLERR)) != 0)
            {
                return true;
            }
        }
    }

    private void Wake()
    {
        ulong one = 1;
        int fd = _wake.Fd;
        if (fd >= 0)
        {
            write(fd, &one, sizeof(ulong));
        }
    }

    private void DrainWake()
    {
        ulong value;
        read(_wake.Fd, &value, sizeof(ulong));
    }
}
