using System;
using System.Threading;
using Netfilter.Net.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Netfilter.Net.Netlink;

/// <summary>
/// A raw AF_NETLINK socket: opened with SOCK_CLOEXEC (the fd must not leak into children
/// started with Process.Start), bound to a kernel-assigned port id, extended acks on. The
/// same type serves NETLINK_NETFILTER, NETLINK_ROUTE and NETLINK_SOCK_DIAG. Opening it inside
/// a <see cref="NetworkNamespace"/> binds it to that namespace for its whole life.
/// </summary>
internal sealed unsafe partial class NetlinkSocket : INetlinkTransport
{
    private readonly FileDescriptorHandle _socket;
    // eventfd that a CancellationToken writes to, so a waiting poll() wakes up (a blocking
    // recvmsg on a raw fd is not interrupted by close: mdlayher/netlink #169).
    private readonly FileDescriptorHandle _wake;
    private int _sendBufferSize;
    private int _receiveBufferSize;

    private NetlinkSocket(FileDescriptorHandle socket, FileDescriptorHandle wake, NetlinkProtocol protocol, uint portId)
    {
        _socket = socket;
        _wake = wake;
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
        FileDescriptorHandle handle = ns.Run(() => CreateSocket(protocol));
        FileDescriptorHandle? wake = null;
        try
        {
            uint portId = Bind(handle, protocol);
            // Extended acks give us the kernel's own error text and the offending attribute.
            // Kernels before 4.12 lack it; that only costs the text, so failure is ignored.
            TrySetIntOption(handle, NetlinkSocketOptions.SolNetlink, NetlinkSocketOptions.ExtAck, 1);
            // Errors echo only the header of the failing request, not a multi-megabyte batch.
            TrySetIntOption(handle, NetlinkSocketOptions.SolNetlink, NetlinkSocketOptions.CapAck, 1);
            int wakeFd;
            Errno errno;
            do
            {
                wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
            }
            while (Syscall.Interrupted(wakeFd, out errno));
            Syscall.ThrowOnError(wakeFd, errno, "eventfd");
            wake = new FileDescriptorHandle(wakeFd);
            return new NetlinkSocket(handle, wake, protocol, portId);
        }
        catch
        {
            wake?.Dispose();
            handle.Dispose();
            throw;
        }
    }

    private static FileDescriptorHandle CreateSocket(NetlinkProtocol protocol)
    {
        int fd;
        Errno errno;
        do
        {
            fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, (int)protocol);
        }
        while (Syscall.Interrupted(fd, out errno));
        Syscall.ThrowOnError(fd, errno, $"socket(NETLINK_{protocol.ToString().ToUpperInvariant()})");
        return new FileDescriptorHandle(fd);
    }

    private static uint Bind(FileDescriptorHandle handle, NetlinkProtocol protocol)
    {
        int fd = handle.Fd;
        var address = new SockaddrNl { Family = (ushort)AF_NETLINK };
        int result;
        Errno errno;
        do
        {
            result = bind(fd, (sockaddr*)&address, (uint)sizeof(SockaddrNl));
        }
        while (Syscall.Interrupted(result, out errno));
        Syscall.ThrowOnError(result, errno, $"bind(NETLINK_{protocol.ToString().ToUpperInvariant()})");
        SockaddrNl bound = default;
        socklen_t length = (uint)sizeof(SockaddrNl);
        do
        {
            result = getsockname(fd, (sockaddr*)&bound, &length);
        }
        while (Syscall.Interrupted(result, out errno));
        Syscall.ThrowOnError(result, errno, "getsockname(netlink)");
        return bound.PortId;
    }

    /// <summary>Joins multicast group <paramref name="group"/> (a group number such as NFNLGRP_CONNTRACK_NEW, not a mask).</summary>
    public void JoinGroup(uint group) => SetIntOption(NetlinkSocketOptions.SolNetlink, NetlinkSocketOptions.AddMembership, (int)group, $"setsockopt(NETLINK_ADD_MEMBERSHIP, {group})");

    /// <summary>Leaves multicast group <paramref name="group"/>.</summary>
    public void LeaveGroup(uint group) => SetIntOption(NetlinkSocketOptions.SolNetlink, NetlinkSocketOptions.DropMembership, (int)group, $"setsockopt(NETLINK_DROP_MEMBERSHIP, {group})");

    /// <summary>Turns on NETLINK_GET_STRICT_CHK (strict dump-request checking, used with NETLINK_ROUTE).</summary>
    public bool TryEnableStrictChecking() => TrySetIntOption(_socket, NetlinkSocketOptions.SolNetlink, NetlinkSocketOptions.GetStrictCheck, 1);

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
        if (!TrySetIntOption(_socket, SOL_SOCKET, forceOption, request))
        {
            TrySetIntOption(_socket, SOL_SOCKET, plainOption, request);
        }
        return GetIntOption(SOL_SOCKET, plainOption);
    }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        EnsureSendBuffer(datagram.Length);
        bool added = false;
        _socket.DangerousAddRef(ref added);
        try
        {
            int fd = _socket.Fd;
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
                _socket.DangerousRelease();
            }
        }
    }

    private int GetIntOption(int level, int option)
    {
        int value = 0;
        socklen_t length = sizeof(int);
        int fd = _socket.Fd;
        int result;
        Errno errno;
        do
        {
            result = getsockopt(fd, level, option, &value, &length);
        }
        while (Syscall.Interrupted(result, out errno));
        Syscall.ThrowOnError(result, errno, $"getsockopt({level}, {option})");
        return value;
    }

    private void SetIntOption(int level, int option, int value, string operation)
    {
        if (!TrySetIntOption(_socket, level, option, value, out Errno errno))
        {
            throw new NetlinkException(errno, operation);
        }
    }

    private static bool TrySetIntOption(FileDescriptorHandle handle, int level, int option, int value) => TrySetIntOption(handle, level, option, value, out _);

    private static bool TrySetIntOption(FileDescriptorHandle handle, int level, int option, int value, out Errno errno)
    {
        int fd = handle.Fd;
        int result;
        do
        {
            result = setsockopt(fd, level, option, &value, sizeof(int));
        }
        while (Syscall.Interrupted(result, out errno));
        return result >= 0;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _wake.Dispose();
    }
}
