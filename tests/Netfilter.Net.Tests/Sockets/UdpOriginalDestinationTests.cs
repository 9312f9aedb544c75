using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Sockets;

namespace Netfilter.Net.Tests.Sockets;

/// <summary>
/// The ancillary data recvmsg returns with IP_RECVORIGDSTADDR / IPV6_RECVORIGDSTADDR, laid out by
/// hand as the kernel's put_cmsg writes it (struct cmsghdr of bits/socket.h, host order, every
/// header and message aligned to sizeof(size_t)), and the sockets the helper refuses.
/// </summary>
public sealed class UdpOriginalDestinationTests
{
    // struct sockaddr_in: AF_INET=2 (host order), port 53 (network order), 10.0.2.2, 8 bytes of zero.
    private static readonly byte[] SockaddrIn = { 0x02, 0x00, 0x00, 0x35, 10, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0 };

    [Fact]
    public void An_IP_ORIGDSTADDR_message_on_64_bit_decodes_to_the_destination()
    {
        // cmsg_len = 16 (header: size_t + int + int) + 16 (sockaddr_in) = 32; level SOL_IP 0; type IP_ORIGDSTADDR 20.
        byte[] control =
        [
            0x20, 0, 0, 0, 0, 0, 0, 0,
            0x00, 0, 0, 0,
            0x14, 0, 0, 0,
            .. SockaddrIn,
        ];
        OriginalDestinationControlMessage.Find(control, wordSize: 8).Should().Be(new IPEndPoint(IPAddress.Parse("10.0.2.2"), 53));
    }

    [Fact]
    public void On_32_bit_the_header_is_12_bytes()
    {
        // cmsg_len = 12 + 16 = 28 in a 4-byte size_t.
        byte[] control =
        [
            0x1c, 0, 0, 0,
            0x00, 0, 0, 0,
            0x14, 0, 0, 0,
            .. SockaddrIn,
        ];
        OriginalDestinationControlMessage.Find(control, wordSize: 4).Should().Be(new IPEndPoint(IPAddress.Parse("10.0.2.2"), 53));
    }

    [Fact]
    public void An_IPV6_ORIGDSTADDR_message_after_an_unrelated_one_is_found_past_the_padding()
    {
        var control = new List<byte>();
        // SO_TIMESTAMP (level SOL_SOCKET 1, type 29) with a 12-byte payload: cmsg_len 28, padded to 32.
        control.AddRange(new byte[] { 28, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 29, 0, 0, 0 });
        control.AddRange(Enumerable.Repeat((byte)0xee, 12));
        control.AddRange(new byte[4]);
        // IPV6_ORIGDSTADDR (level SOL_IPV6 41, type 74): sockaddr_in6 for [fd02::2]:5353, cmsg_len 16 + 28 = 44, padded to 48.
        control.AddRange(new byte[] { 44, 0, 0, 0, 0, 0, 0, 0, 41, 0, 0, 0, 74, 0, 0, 0 });
        var sockaddr6 = new byte[28];
        sockaddr6[0] = 10;                 // AF_INET6, host order
        sockaddr6[2] = 0x14;               // port 5353 = 0x14e9, network order
        sockaddr6[3] = 0xe9;
        IPAddress.Parse("fd02::2").GetAddressBytes().CopyTo(sockaddr6, 8);
        control.AddRange(sockaddr6);
        control.AddRange(new byte[4]);

        OriginalDestinationControlMessage.Find(control.ToArray(), wordSize: 8).Should().Be(new IPEndPoint(IPAddress.Parse("fd02::2"), 5353));
    }

    [Fact]
    public void Ancillary_data_without_the_message_yields_null()
    {
        OriginalDestinationControlMessage.Find(ReadOnlySpan<byte>.Empty, 8).Should().BeNull();
        // IP_PKTINFO (level 0, type 8) alone, 12-byte in_pktinfo: not an original destination.
        byte[] pktinfo = { 28, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 10, 0, 2, 2, 10, 0, 2, 2, 0, 0, 0, 0 };
        OriginalDestinationControlMessage.Find(pktinfo, 8).Should().BeNull();
        // Fewer bytes than a header: CMSG_FIRSTHDR finds nothing.
        OriginalDestinationControlMessage.Find(new byte[15], 8).Should().BeNull();
    }

    [Fact]
    public void A_length_shorter_than_the_header_or_past_the_buffer_is_a_protocol_error()
    {
        byte[] tooShort = { 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0 };
        Action shortLength = () => OriginalDestinationControlMessage.Find(tooShort, 8);
        shortLength.Should().Throw<NetlinkProtocolException>().Where(e => e.Received == "8" && e.Expected.Contains("cmsg_len of 16 to 16"));

        byte[] pastEnd = { 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 2, 0 };
        Action overrun = () => OriginalDestinationControlMessage.Find(pastEnd, 8);
        overrun.Should().Throw<NetlinkProtocolException>().Where(e => e.Received == "32");
    }

    [Fact]
    public void A_truncated_sockaddr_in_the_message_is_a_protocol_error()
    {
        // cmsg_len 16 + 8: an AF_INET sockaddr of 8 bytes instead of 16.
        byte[] control = { 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 2, 0, 0, 0x35, 10, 0, 2, 2 };
        Action decode = () => OriginalDestinationControlMessage.Find(control, 8);
        decode.Should().Throw<NetlinkProtocolException>().Where(e => e.Context == "IP_ORIGDSTADDR control message" && e.Expected.Contains("sockaddr_in"));
    }

    [Fact]
    public void Written_messages_read_back_for_both_word_sizes()
    {
        foreach (int wordSize in new[] { 4, 8 })
        {
            var buffer = new byte[256];
            int used = OriginalDestinationControlMessage.Write(buffer, level: 1, type: 29, new byte[] { 1, 2, 3 }, wordSize);
            used.Should().Be(wordSize == 8 ? 24 : 16, "header plus 3 bytes, aligned to sizeof(size_t)");
            used += OriginalDestinationControlMessage.Write(buffer.AsSpan(used), level: 0, type: 20, SockaddrIn, wordSize);
            OriginalDestinationControlMessage.Find(buffer.AsSpan(0, used), wordSize).Should().Be(new IPEndPoint(IPAddress.Parse("10.0.2.2"), 53));
        }
    }

    [Fact]
    public void The_room_reserved_holds_an_IPv6_message()
    {
        // CMSG_SPACE(sizeof(struct sockaddr_in6)) = CMSG_ALIGN(16) + CMSG_ALIGN(28) on 64-bit.
        OriginalDestinationControlMessage.Space.Should().Be(IntPtr.Size == 8 ? 48 : 40);
    }

    [Fact]
    public void A_tcp_socket_is_refused_with_the_reason()
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Action enable = () => UdpOriginalDestination.Enable(tcp);
        enable.Should().Throw<ArgumentException>().Where(e => e.ParamName == "socket" && e.Message.Contains("OriginalDestination.Get"));
        Action receive = () => UdpOriginalDestination.Receive(tcp, new byte[16]);
        receive.Should().Throw<ArgumentException>().Where(e => e.ParamName == "socket");
    }

    [Fact]
    public void A_unix_datagram_socket_is_refused()
    {
        using var unix = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        Action enable = () => UdpOriginalDestination.Enable(unix);
        enable.Should().Throw<ArgumentException>().Where(e => e.ParamName == "socket");
    }
}
