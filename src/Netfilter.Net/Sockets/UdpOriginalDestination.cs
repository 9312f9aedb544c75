using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Netfilter.Net.Sockets;

/// <summary>
/// Where a UDP datagram was going before it was diverted to this socket: the UDP counterpart of
/// <see cref="Sockets.OriginalDestination"/>, which answers for TCP connections only. A UDP
/// transparent proxy behind nftables' <c>tproxy</c> (a <c>TproxyRule</c> with
/// <see cref="TransparentSocket"/> and <see cref="TproxyRouting"/>) receives datagrams addressed to
/// other hosts on one socket, and needs each one's destination to know where to relay it.
/// </summary>
/// <remarks>
/// <para><see cref="Enable"/> sets IP_RECVORIGDSTADDR (and IPV6_RECVORIGDSTADDR on an IPv6
/// socket); each datagram then arrives with an IP_ORIGDSTADDR / IPV6_ORIGDSTADDR control message
/// that <see cref="Receive"/> and <see cref="ReceiveAsync"/> decode (recvmsg, which
/// <see cref="Socket.ReceiveMessageFrom(byte[], int, int, ref SocketFlags, ref EndPoint, out IPPacketInformation)"/>
/// does not expose). The kernel takes the address and port from the packet as it arrived, so after
/// tproxy they are the client's destination; after REDIRECT or DNAT they are the translated
/// (local) address instead.</para>
/// <para>Both calls read with MSG_DONTWAIT and wait for readability separately, so they work on
/// sockets that .NET has put in non-blocking mode, and <see cref="ReceiveAsync"/> holds no thread
/// while it waits.</para>
/// </remarks>
/// <example>
/// <code>
/// using var proxy = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
/// TransparentSocket.Enable(proxy);                 // tproxy delivers datagrams for other addresses
/// UdpOriginalDestination.Enable(proxy);            // before the first datagram arrives
/// proxy.Bind(new IPEndPoint(IPAddress.Any, 5353));
/// var buffer = new byte[65535];
/// ReceivedDatagram d = await UdpOriginalDestination.ReceiveAsync(proxy, buffer);
/// // d.Sender: the client; d.OriginalDestination: e.g. 10.0.2.2:53, where it was going.
/// </code>
/// </example>
public static class UdpOriginalDestination
{
    /// <summary>sizeof(struct sockaddr_storage): room for any sender address.</summary>
    private const int SockaddrStorageSize = 128;
    private const int ControlRoomForOthers = 208;

    /// <summary>
    /// Asks the kernel to attach each datagram's original destination: IP_RECVORIGDSTADDR on an
    /// IPv4 socket; IPV6_RECVORIGDSTADDR and IP_RECVORIGDSTADDR on an IPv6 socket (the second
    /// covers IPv4 datagrams on a dual-stack socket). Call it before datagrams arrive: those already
    /// queued carry no destination.
    /// </summary>
    /// <exception cref="ArgumentException">Not an IPv4 or IPv6 UDP socket.</exception>
    /// <exception cref="NetfilterException">The kernel refused the option.</exception>
    public static void Enable(Socket socket) => Set(socket, true);

    /// <summary>Stops attaching original destinations.</summary>
    /// <exception cref="ArgumentException">Not an IPv4 or IPv6 UDP socket.</exception>
    /// <exception cref="NetfilterException">The kernel refused the option.</exception>
    public static void Disable(Socket socket) => Set(socket, false);

    /// <summary>True when the socket's own family's option (IP_RECVORIGDSTADDR or IPV6_RECVORIGDSTADDR) is set.</summary>
    /// <exception cref="ArgumentException">Not an IPv4 or IPv6 UDP socket.</exception>
    /// <exception cref="NetfilterException">The kernel refused to read the option.</exception>
    public static bool IsEnabled(Socket socket)
    {
        Validate(socket);
        bool v6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
        Span<byte> value = stackalloc byte[sizeof(int)];
        Errno errno = SocketOption.Get(socket, v6 ? InetSocketOption.SolIPv6 : InetSocketOption.SolIP,
            v6 ? InetSocketOption.ReceiveOriginalDestinationV6 : InetSocketOption.ReceiveOriginalDestination, value, out _);
        if (errno != Errno.None)
        {
            throw new NetfilterException(errno, $"getsockopt({(v6 ? "IPV6_RECVORIGDSTADDR" : "IP_RECVORIGDSTADDR")})");
        }
        return BitConverter.ToInt32(value) != 0;
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/>, waiting for one when none is queued (up
    /// to <see cref="Socket.ReceiveTimeout"/> when that is set), and returns its length, sender and
    /// original destination.
    /// </summary>
    /// <exception cref="ArgumentException">Not an IPv4 or IPv6 UDP socket.</exception>
    /// <exception cref="InvalidOperationException">The datagram carried no original destination: <see cref="Enable"/> was not called first (the datagram is consumed).</exception>
    /// <exception cref="SocketException"><see cref="SocketError.TimedOut"/> after <see cref="Socket.ReceiveTimeout"/> milliseconds without a datagram.</exception>
    /// <exception cref="NetfilterException">recvmsg failed (the errno says why).</exception>
    /// <exception cref="SocketException">Waiting for the socket failed.</exception>
    public static ReceivedDatagram Receive(Socket socket, Span<byte> buffer)
    {
        Validate(socket);
        long deadline = socket.ReceiveTimeout > 0 ? Environment.TickCount64 + socket.ReceiveTimeout : long.MaxValue;
        while (true)
        {
            if (TryReceive(socket, buffer, out ReceivedDatagram datagram))
            {
                return datagram;
            }
            int wait = deadline == long.MaxValue ? -1 : (int)Math.Max(0, deadline - Environment.TickCount64);
            if (!WaitReadable(socket, wait))
            {
                throw new SocketException((int)SocketError.TimedOut);
            }
        }
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/> without holding a thread while none is
    /// queued, and returns its length, sender and original destination.
    /// </summary>
    /// <exception cref="ArgumentException">Not an IPv4 or IPv6 UDP socket.</exception>
    /// <exception cref="InvalidOperationException">The datagram carried no original destination: <see cref="Enable"/> was not called first (the datagram is consumed).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    /// <exception cref="NetfilterException">recvmsg failed (the errno says why).</exception>
    public static async ValueTask<ReceivedDatagram> ReceiveAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Validate(socket);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryReceive(socket, buffer.Span, out ReceivedDatagram datagram))
            {
                return datagram;
            }
            // A zero-byte peek completes when a datagram is queued and consumes nothing; .NET waits
            // for it on its own epoll thread. Another reader may take the datagram first: then loop.
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One recvmsg with MSG_DONTWAIT: false when no datagram is queued.</summary>
    private static unsafe bool TryReceive(Socket socket, Span<byte> buffer, out ReceivedDatagram datagram)
    {
        datagram = default;
        byte* name = stackalloc byte[SockaddrStorageSize];
        // Room for the destination and for the messages of other options the caller may have set (IP_PKTINFO, timestamps).
        int controlSpace = OriginalDestinationControlMessage.Space + ControlRoomForOthers;
        byte* control = stackalloc byte[controlSpace];
        SafeSocketHandle handle = socket.SafeHandle;
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            fixed (byte* payload = buffer)
            {
                iovec vector = default;
                vector.iov_base = payload;
                vector.iov_len = buffer.Length;
                msghdr message = default;
                long received;
                Errno errno;
                do
                {
                    message.msg_name = name;
                    message.msg_namelen = SockaddrStorageSize;
                    message.msg_iov = &vector;
                    message.msg_iovlen = 1;
                    message.msg_control = control;
                    message.msg_controllen = controlSpace;
                    message.msg_flags = 0;
                    received = recvmsg(fd, &message, MSG_DONTWAIT);
                }
                while (Syscall.Interrupted(received, out errno));
                if (received < 0)
                {
                    if (errno is Errno.EAGAIN)
                    {
                        return false;
                    }
                    throw new NetfilterException(errno, "recvmsg (UDP datagram with its original destination)");
                }
                var sender = OriginalDestination.Decode(new ReadOnlySpan<byte>(name, (int)(uint)message.msg_namelen), "recvmsg's sender address");
                IPEndPoint? destination = OriginalDestinationControlMessage.Find(new ReadOnlySpan<byte>(control, (int)(uint)message.msg_controllen), IntPtr.Size);
                if (destination is null)
                {
                    bool truncatedControl = (message.msg_flags & MSG_CTRUNC) != 0;
                    throw new InvalidOperationException(truncatedControl
                        ? $"the datagram from {sender} lost its control messages (MSG_CTRUNC): another option adds ancillary data that does not fit"
                        : $"the datagram from {sender} carries no original destination: call UdpOriginalDestination.Enable on the socket before datagrams arrive");
                }
                datagram = new ReceivedDatagram((int)received, sender, destination, (message.msg_flags & MSG_TRUNC) != 0);
                return true;
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Waits until a datagram is queued; false on timeout.</summary>
    /// <remarks>Through <see cref="Socket.Poll(TimeSpan, SelectMode)"/>, which retries EINTR and reads
    /// its own errno: Tmds.LibC declares poll without SetLastError, so a failed poll would report a
    /// stale errno (issue 15 D4).</remarks>
    private static bool WaitReadable(Socket socket, int timeoutMilliseconds) =>
        socket.Poll(timeoutMilliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMilliseconds), SelectMode.SelectRead);

    private static void Set(Socket socket, bool on)
    {
        Validate(socket);
        int value = on ? 1 : 0;
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Check(SocketOption.SetInt32(socket, InetSocketOption.SolIPv6, InetSocketOption.ReceiveOriginalDestinationV6, value), "IPV6_RECVORIGDSTADDR", value);
        }
        // On an IPv6 socket SOL_IP options reach the IPv4 code (ipv6_setsockopt hands them on), which
        // serves the IPv4 datagrams a dual-stack socket receives.
        Check(SocketOption.SetInt32(socket, InetSocketOption.SolIP, InetSocketOption.ReceiveOriginalDestination, value), "IP_RECVORIGDSTADDR", value);

        static void Check(Errno errno, string option, int value)
        {
            if (errno != Errno.None)
            {
                throw new NetfilterException(errno, $"setsockopt({option}, {value})");
            }
        }
    }

    private static void Validate(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.SocketType != SocketType.Dgram || socket.ProtocolType != ProtocolType.Udp)
        {
            throw new ArgumentException($"the original destination of a datagram is read from UDP sockets, not {socket.SocketType}/{socket.ProtocolType}: a TCP proxy reads it with OriginalDestination.Get (redirect) or the accepted socket's LocalEndPoint (tproxy)", nameof(socket));
        }
        if (socket.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"the original destination of a datagram needs an IPv4 or IPv6 socket, not {socket.AddressFamily}", nameof(socket));
        }
    }
}
