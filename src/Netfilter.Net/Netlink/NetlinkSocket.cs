using System;
using System.Net.Sockets;
using Netfilter.Net.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Netfilter.Net.Netlink;

/// <summary>
/// A raw AF_NETLINK socket: opened with SOCK_CLOEXEC (the fd must not leak into any child
/// process the embedding program runs) and SOCK_NONBLOCK, bound to a kernel-assigned port id, extended
/// acks on. The same type serves NETLINK_NETFILTER, NETLINK_ROUTE and NETLINK_SOCK_DIAG.
/// Opening it inside a <see cref="NetworkNamespace"/> binds it to that namespace for its whole life.
/// </summary>
/// <remarks>
/// The fd is owned by a <see cref="System.Net.Sockets.Socket"/> over a
/// <see cref="SafeSocketHandle"/>. The library does its own recvmsg and sendmsg on the fd (sizing
/// by MSG_PEEK|MSG_TRUNC, sender checks and MSG_TRUNC detection need the raw calls, which Socket
/// does not expose for AF_NETLINK); the Socket is there so that waiting for the kernel is the
/// runtime's epoll engine's job: a zero-byte MSG_PEEK ReceiveAsync completes when a datagram is
/// queued, and no thread waits meanwhile. See <see cref="ReceiveAsync"/>.
/// </remarks>
internal sealed unsafe partial class NetlinkSocket : INetlinkTransport
{
    private readonly SafeSocketHandle _handle;
    private readonly Socket _readiness;
    private int _sendBufferSize;
    private int _receiveBufferSize;

    private NetlinkSocket(SafeSocketHandle handle, NetlinkProtocol protocol, uint portId)
    {
        _handle = handle;
        // Socket accepts an fd of a family it does not know (AddressFamily.Unknown) on .NET 8
        // and 10; the fd is already non-blocking, as the epoll engine needs.
        _readiness = new Socket(handle);
        Protocol = protocol;
        PortId = portId;
        _sendBufferSize = GetIntOption(SOL_SOCKET, SO_SNDBUF);
        _receiveBufferSize = GetIntOption(SOL_SOCKET, SO_RCVBUF);
    }

    public NetlinkProtocol Protocol { get; }

    public uint PortId { get; }

    /// <summary>Opens a socket of <paramref name="protocol"/> in <paramref name="networkNamespace"/> (the caller's when null).</summary>
    public static NetlinkSocket Open(NetlinkProtocol protocol, NetworkNamespace? networkNamespace = null)
    {
        NetworkNamespace ns = networkNamespace ?? NetworkNamespace.Current;
        // Only socket() must run inside the namespace: a socket keeps the namespace it was created in.
        SafeSocketHandle handle = ns.Run(() => CreateSocket(protocol));
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            uint portId = Bind(fd, protocol);
            // Extended acks give us the kernel's own error text and the offending attribute.
            // Kernels before 4.12 lack it; that only costs the text, so failure is ignored.
            TrySetIntOption(fd, NetlinkSocketOptions.SolNetlink, NetlinkSocketOptions.ExtAck, 1, out _);
            // Errors echo only the header of the failing request, not a multi-megabyte batch.
            TrySetIntOption(fd, NetlinkSocketOptions.SolNetlink, NetlinkSocketOptions.CapAck, 1, out _);
            return new NetlinkSocket(handle, protocol, portId);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static SafeSocketHandle CreateSocket(NetlinkProtocol protocol)
    {
        int fd;
        Errno errno;
        do
        {
            fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, (int)protocol);
        }
        while (Syscall.Interrupted(fd, out errno));
        ThrowOnError(fd, errno, $"socket(NETLINK_{protocol.ToString().ToUpperInvariant()})");
        return new SafeSocketHandle(new IntPtr(fd), ownsHandle: true);
    }

    private static uint Bind(int fd, NetlinkProtocol protocol)
    {
        var address = new SockaddrNl { Family = (ushort)AF_NETLINK };
        int result;
        Errno errno;
        do
        {
            result = bind(fd, (sockaddr*)&address, (uint)sizeof(SockaddrNl));
        }
        while (Syscall.Interrupted(result, out errno));
        ThrowOnError(result, errno, $"bind(NETLINK_{protocol.ToString().ToUpperInvariant()})");
        SockaddrNl bound = default;
        socklen_t length = (uint)sizeof(SockaddrNl);
        do
        {
            result = getsockname(fd, (sockaddr*)&bound, &length);
        }
        while (Syscall.Interrupted(result, out errno));
        ThrowOnError(result, errno, "getsockname(netlink)");
        return bound.PortId;
    }

    /// <summary>Joins multicast group <paramref name="group"/> (a group number such as NFNLGRP_CONNTRACK_NEW, not a mask).</summary>
    public void JoinGroup(uint group) => SetIntOption(NetlinkSocketOptions.SolNetlink, NetlinkSocketOptions.AddMembership, (int)group, $"setsockopt(NETLINK_ADD_MEMBERSHIP, {group})");

    /// <summary>Leaves multicast group <paramref name="group"/>.</summary>
    public void LeaveGroup(uint group) => SetIntOption(NetlinkSocketOptions.SolNetlink, NetlinkSocketOptions.DropMembership, (int)group, $"setsockopt(NETLINK_DROP_MEMBERSHIP, {group})");

    /// <summary>Turns on NETLINK_GET_STRICT_CHK (strict dump-request checking, used with NETLINK_ROUTE).</summary>
    public bool TryEnableStrictChecking() => WithFd(fd => TrySetIntOption(fd, NetlinkSocketOptions.SolNetlink, NetlinkSocketOptions.GetStrictCheck, 1, out _));

    /// <summary>The kernel-side receive buffer, in bytes, as the kernel reports it (it doubles what is asked).</summary>
    public int ReceiveBufferSize => _receiveBufferSize;

    public void EnsureSendBuffer(int bytes)
    {
        // netlink_sendmsg refuses a datagram larger than sk_sndbuf - 32 with EMSGSIZE.
        int wanted = bytes + 4096;
        if (wanted > _sendBufferSize)
        {
            _sendBufferSize = GrowBuffer(SO_SNDBUFFORCE, SO_SNDBUF, wanted);
        }
    }

    public void EnsureReceiveBuffer(int bytes)
    {
        if (bytes > _receiveBufferSize)
        {
            _receiveBufferSize = GrowBuffer(SO_RCVBUFFORCE, SO_RCVBUF, bytes);
        }
    }

    /// <summary>Sets the receive buffer to exactly <paramref name="bytes"/> (the kernel doubles it); used to provoke overflows in tests.</summary>
    public void SetReceiveBuffer(int bytes) => _receiveBufferSize = GrowBuffer(SO_RCVBUFFORCE, SO_RCVBUF, bytes, exact: true);

    // The *FORCE variants ignore net.core.[rw]mem_max but need CAP_NET_ADMIN; without it fall
    // back to the plain option, which the kernel caps at the sysctl (nft mnl_set_sndbuffer).
    private int GrowBuffer(int forceOption, int plainOption, int bytes, bool exact = false)
    {
        // The kernel stores twice the requested value; ask for half of what we need.
        int request = exact ? bytes : Math.Max(bytes / 2 + 1, 1);
        WithFd(fd =>
        {
            if (!TrySetIntOption(fd, SOL_SOCKET, forceOption, request, out _))
            {
                TrySetIntOption(fd, SOL_SOCKET, plainOption, request, out _);
            }
            return true;
        });
        return GetIntOption(SOL_SOCKET, plainOption);
    }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        EnsureSendBuffer(datagram.Length);
        bool added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)_handle.DangerousGetHandle();
            fixed (byte* data = datagram)
            {
                var kernel = new SockaddrNl { Family = (ushort)AF_NETLINK };
                var vector = new iovec { iov_base = data, iov_len = datagram.Length };
                var message = new msghdr
                {
                    msg_name = &kernel,
                    msg_namelen = (uint)sizeof(SockaddrNl),
                    msg_iov = &vector,
                    msg_iovlen = 1,
                };
                int length = datagram.Length;
                long sent;
                Errno errno;
                do
                {
                    sent = sendmsg(fd, &message, 0);
                }
                while (Syscall.Interrupted(sent, out errno));
                if (sent < 0)
                {
                    throw new NetlinkException(errno, "sendmsg(netlink)", detail: $"{length} bytes");
                }
                if (sent != length)
                {
                    throw new NetlinkProtocolException("sendmsg(netlink)", $"{length} bytes sent", $"{sent}");
                }
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

    // Holds a reference on the handle across the call, so a concurrent Dispose cannot close
    // the fd (and let another open reuse its number) while the call runs.
    private T WithFd<T>(Func<int, T> call)
    {
        bool added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            return call((int)_handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>A failed call on the netlink socket is a <see cref="NetlinkException"/> (the transport's own error), not the floor's bare <see cref="NetfilterException"/>.</summary>
    private static long ThrowOnError(long result, Errno errno, string operation)
    {
        if (result < 0)
        {
            throw new NetlinkException(errno, operation);
        }
        return result;
    }

    private int GetIntOption(int level, int option) => WithFd(fd =>
    {
        int value = 0;
        socklen_t length = sizeof(int);
        int result;
        Errno errno;
        do
        {
            result = getsockopt(fd, level, option, &value, &length);
        }
        while (Syscall.Interrupted(result, out errno));
        ThrowOnError(result, errno, $"getsockopt({level}, {option})");
        return value;
    });

    private void SetIntOption(int level, int option, int value, string operation)
    {
        Errno errno = Errno.None;
        if (!WithFd(fd => TrySetIntOption(fd, level, option, value, out errno)))
        {
            throw new NetlinkException(errno, operation);
        }
    }

    private static bool TrySetIntOption(int fd, int level, int option, int value, out Errno errno)
    {
        int result;
        do
        {
            result = setsockopt(fd, level, option, &value, sizeof(int));
        }
        while (Syscall.Interrupted(result, out errno));
        return result >= 0;
    }

    /// <summary>Closes the socket; a receive waiting on it ends with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _readiness.Dispose();
}
