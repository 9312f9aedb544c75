using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Sockets;

/// <summary>
/// NETLINK_SOCK_DIAG for inet sockets (uapi linux/sock_diag.h, linux/inet_diag.h): the
/// SOCK_DIAG_BY_FAMILY dump request with struct inet_diag_req_v2, and struct inet_diag_msg
/// replies. The request is byte for byte what <c>ss -ltn</c> / <c>ss -lun</c> send.
/// </summary>
internal static class InetDiag
{
    /// <summary>SOCK_DIAG_BY_FAMILY.</summary>
    public const ushort SockDiagByFamily = 20;

    /// <summary>sizeof(struct inet_diag_req_v2): family, protocol, ext, pad, states, and a 48-byte inet_diag_sockid.</summary>
    public const int RequestSize = 56;

    /// <summary>sizeof(struct inet_diag_msg).</summary>
    public const int MessageSize = 72;

    // TCP states (include/net/tcp_states.h; glibc netinet/tcp.h): inet_diag uses them for UDP too.
    public const byte StateClose = 7;
    public const byte StateListen = 10;

    /// <summary>1&lt;&lt;TCP_CLOSE | 1&lt;&lt;TCP_LISTEN, the states <c>ss -l</c> asks for, for TCP and UDP alike.</summary>
    public const uint ListeningStates = (1u << StateClose) | (1u << StateListen);

    /// <summary>INET_DIAG_SKV6ONLY: u8, the socket's IPV6_V6ONLY (IPv6 sockets only).</summary>
    private const ushort AttributeV6Only = 11;

    private const byte AfInet = 2;
    private const byte AfInet6 = 10;

    /// <summary>A SOCK_DIAG_BY_FAMILY dump request for the sockets of one family and protocol in <see cref="ListeningStates"/>.</summary>
    public static void WriteListeningDump(NetlinkWriter writer, uint sequence, AddressFamily family, ProtocolType protocol)
    {
        writer.BeginMessage(SockDiagByFamily, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sequence);
        Span<byte> request = writer.Reserve(RequestSize);
        request[0] = FamilyByte(family);
        request[1] = (byte)protocol;
        // request[2] idiag_ext = 0 (no extensions), request[3] pad = 0.
        HostOrder.WriteUInt32(request.Slice(4), ListeningStates);
        // id (inet_diag_sockid) stays zero: a dump ignores it without bytecode.
        writer.EndMessage();
    }

    /// <summary>
    /// Decodes one inet_diag_msg; returns false for a socket that is not listening (a TCP socket
    /// outside LISTEN, or a UDP socket that is connected).
    /// </summary>
    public static bool TryDecodeListening(in NetlinkMessage message, ProtocolType protocol, out ListeningSocket socket)
    {
        socket = null!;
        if (message.Type != SockDiagByFamily)
        {
            return false;
        }
        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.Length < MessageSize)
        {
            throw new NetlinkProtocolException("SOCK_DIAG_BY_FAMILY reply", $"a struct inet_diag_msg ({MessageSize} bytes)", $"{payload.Length} bytes");
        }
        byte family = payload[0];
        byte state = payload[1];
        if (state != (protocol == ProtocolType.Tcp ? StateListen : StateClose))
        {
            return false;
        }
        // inet_diag_sockid: sport, dport (network order), src[4], dst[4] (network order), if, cookie[2] (host order).
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(4));
        IPAddress address = family switch
        {
            AfInet => new IPAddress(payload.Slice(8, 4)),
            AfInet6 => new IPAddress(payload.Slice(8, 16)),
            _ => throw new NetlinkProtocolException("inet_diag_msg", $"idiag_family AF_INET ({AfInet}) or AF_INET6 ({AfInet6})", $"{family}"),
        };
        int interfaceIndex = (int)HostOrder.ReadUInt32(payload.Slice(40));
        ulong cookie = ((ulong)HostOrder.ReadUInt32(payload.Slice(48)) << 32) | HostOrder.ReadUInt32(payload.Slice(44));
        uint uid = HostOrder.ReadUInt32(payload.Slice(64));
        uint inode = HostOrder.ReadUInt32(payload.Slice(68));
        bool v6Only = false;
        var attributes = new NetlinkAttributeReader(payload.Slice(MessageSize), "INET_DIAG");
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            if (attribute.Type == AttributeV6Only)
            {
                v6Only = attribute.GetUInt8() != 0;
            }
        }
        socket = new ListeningSocket(protocol, new IPEndPoint(address, port))
        {
            IsDualStack = family == AfInet6 && !v6Only && address.Equals(IPAddress.IPv6Any),
            InterfaceIndex = interfaceIndex,
            UserId = uid,
            Inode = inode,
            Cookie = cookie,
        };
        return true;
    }

    private static byte FamilyByte(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => AfInet,
        AddressFamily.InterNetworkV6 => AfInet6,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "inet_diag lists IPv4 and IPv6 sockets"),
    };
}
