using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Sockets;

namespace Netfilter.Net.Tests.Sockets;

/// <summary>Decoding the sockaddr that SO_ORIGINAL_DST / IP6T_SO_ORIGINAL_DST return, and refusing sockets it cannot answer for.</summary>
public sealed class OriginalDestinationTests
{
    [Fact]
    public void A_sockaddr_in_decodes_to_address_and_port()
    {
        // struct sockaddr_in (linux/in.h): sin_family=AF_INET (host order), sin_port=80 (network
        // order), sin_addr=10.0.2.2, 8 bytes of padding.
        byte[] sockaddr = { 0x02, 0x00, 0x00, 0x50, 10, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0 };
        OriginalDestination.Decode(sockaddr, "test").Should().Be(new IPEndPoint(IPAddress.Parse("10.0.2.2"), 80));
    }

    [Fact]
    public void A_sockaddr_in6_decodes_to_address_port_and_scope()
    {
        // struct sockaddr_in6 (linux/in6.h): family AF_INET6=10, port 8443, flowinfo, fd02::2, scope id 3 (host order).
        byte[] sockaddr = new byte[28];
        sockaddr[0] = 10;
        sockaddr[2] = 0x20;
        sockaddr[3] = 0xfb;
        IPAddress.Parse("fe80::2").GetAddressBytes().CopyTo(sockaddr, 8);
        sockaddr[24] = 3;
        IPEndPoint endpoint = OriginalDestination.Decode(sockaddr, "test");
        endpoint.Port.Should().Be(8443);
        endpoint.Address.Should().Be(IPAddress.Parse("fe80::2%3"));
        endpoint.Address.ScopeId.Should().Be(3);
    }

    [Fact]
    public void An_unknown_family_or_a_short_buffer_is_a_protocol_error()
    {
        Action unknown = () => OriginalDestination.Decode(new byte[16] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "getsockopt");
        unknown.Should().Throw<NetlinkProtocolException>().Where(e => e.Received == "1" && e.Context == "getsockopt");
        Action shortIn6 = () => OriginalDestination.Decode(new byte[16] { 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "getsockopt");
        shortIn6.Should().Throw<NetlinkProtocolException>().Where(e => e.Expected.Contains("sockaddr_in6"));
    }

    [Fact]
    public void A_udp_socket_is_refused_with_the_reason()
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Action get = () => OriginalDestination.Get(udp);
        get.Should().Throw<ArgumentException>().Where(e => e.ParamName == "socket" && e.Message.Contains("TCP (and SCTP) connections only"));
    }

    [Fact]
    public void A_socket_that_is_not_connected_is_refused()
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Action get = () => OriginalDestination.TryGet(tcp, out _);
        get.Should().Throw<ArgumentException>().Where(e => e.ParamName == "socket" && e.Message.Contains("connected or accepted"));
    }
}
