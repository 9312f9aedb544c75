using System;
using System.Net;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Sockets;

/// <summary>
/// Finds the IP_ORIGDSTADDR / IPV6_ORIGDSTADDR control message in the ancillary data that
/// recvmsg returned (the kernel's put_cmsg in net/core/scm.c writes them), and decodes its
/// sockaddr. Kept apart from the system call so that the layout can be tested without a socket.
/// </summary>
/// <remarks>
/// The layout is glibc's and the kernel's <c>struct cmsghdr</c> (bits/socket.h):
/// <c>size_t cmsg_len; int cmsg_level; int cmsg_type;</c> followed by the data, every header and
/// every message aligned to <c>sizeof(size_t)</c> (CMSG_ALIGN). <c>cmsg_len</c> counts the header
/// and the data but not the padding after it. Integers are in host order.
/// </remarks>
internal static class OriginalDestinationControlMessage
{
    /// <summary>IP_ORIGDSTADDR (uapi linux/in.h): the type of the IPv4 message, at level SOL_IP.</summary>
    public const int IPv4Type = InetSocketOption.ReceiveOriginalDestination;
    /// <summary>IPV6_ORIGDSTADDR (uapi linux/in6.h): the type of the IPv6 message, at level SOL_IPV6.</summary>
    public const int IPv6Type = InetSocketOption.ReceiveOriginalDestinationV6;

    /// <summary>CMSG_SPACE(sizeof(struct sockaddr_in6)): room for one message of either kind, with the machine's word size.</summary>
    public static int Space { get; } = Align(HeaderLength(IntPtr.Size), IntPtr.Size) + Align(OriginalDestination.SockaddrIn6Size, IntPtr.Size);

    /// <summary>
    /// The original destination carried by <paramref name="control"/>, or null when no such message
    /// is there. <paramref name="wordSize"/> is <c>sizeof(size_t)</c>: 8 on 64-bit, 4 on 32-bit Linux.
    /// </summary>
    /// <exception cref="NetlinkProtocolException">A message's length runs past the buffer or is shorter than its header, or the sockaddr is malformed.</exception>
    public static IPEndPoint? Find(ReadOnlySpan<byte> control, int wordSize)
    {
        if (wordSize is not (4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(wordSize), wordSize, "sizeof(size_t) is 4 or 8");
        }
        int header = Align(HeaderLength(wordSize), wordSize);
        int offset = 0;
        // CMSG_FIRSTHDR / CMSG_NXTHDR: a message starts only where a whole header fits.
        while (control.Length - offset >= header)
        {
            ReadOnlySpan<byte> message = control.Slice(offset);
            ulong length = wordSize == 8 ? HostOrder.ReadUInt64(message) : HostOrder.ReadUInt32(message);
            if (length < (ulong)header || length > (ulong)message.Length)
            {
                throw new NetlinkProtocolException($"control message at offset {offset} of recvmsg's ancillary data",
                    $"a cmsg_len of {header} to {message.Length} bytes", $"{length}");
            }
            int level = HostOrder.ReadInt32(message.Slice(wordSize));
            int type = HostOrder.ReadInt32(message.Slice(wordSize + 4));
            ReadOnlySpan<byte> data = message.Slice(header, (int)length - header);
            if ((level == InetSocketOption.SolIP && type == IPv4Type) || (level == InetSocketOption.SolIPv6 && type == IPv6Type))
            {
                return OriginalDestination.Decode(data, level == InetSocketOption.SolIP ? "IP_ORIGDSTADDR control message" : "IPV6_ORIGDSTADDR control message");
            }
            offset += Align((int)length, wordSize);
        }
        return null;
    }

    /// <summary>Writes one control message (for tests and for anyone building ancillary data); returns the bytes it took, padding included.</summary>
    internal static int Write(Span<byte> destination, int level, int type, ReadOnlySpan<byte> data, int wordSize)
    {
        int header = Align(HeaderLength(wordSize), wordSize);
        int length = header + data.Length;
        int space = Align(length, wordSize);
        destination.Slice(0, space).Clear();
        if (wordSize == 8)
        {
            HostOrder.WriteUInt64(destination, (ulong)length);
        }
        else
        {
            HostOrder.WriteUInt32(destination, (uint)length);
        }
        HostOrder.WriteUInt32(destination.Slice(wordSize), (uint)level);
        HostOrder.WriteUInt32(destination.Slice(wordSize + 4), (uint)type);
        data.CopyTo(destination.Slice(header));
        return space;
    }

    /// <summary>sizeof(struct cmsghdr) before alignment: size_t + int + int.</summary>
    private static int HeaderLength(int wordSize) => wordSize + 4 + 4;

    /// <summary>CMSG_ALIGN.</summary>
    private static int Align(int length, int wordSize) => (length + wordSize - 1) & ~(wordSize - 1);
}
