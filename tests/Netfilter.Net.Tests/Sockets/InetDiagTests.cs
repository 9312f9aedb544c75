using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Netfilter.Net.Netlink;
using Netfilter.Net.Sockets;
using Netfilter.Net.Tests.Fakes;
using Netfilter.Net.Tests.Support;

namespace Netfilter.Net.Tests.Sockets;

/// <summary>inet_diag against what ss sent and received (Captures/Sockets, with ss's output in the same files).</summary>
public sealed class InetDiagTests
{
    [Theory]
    [InlineData("Sockets/ss-ltnH.txt", ProtocolType.Tcp)]
    [InlineData("Sockets/ss-lunH.txt", ProtocolType.Udp)]
    public void Requests_are_byte_for_byte_those_of_ss_for_each_family(string capture, ProtocolType protocol)
    {
        CaptureFile file = CaptureFile.Load(capture);
        List<byte[]> sent = file.Datagrams.Where(d => d.Sent).Select(d => d.Bytes).ToList();
        sent.Should().HaveCount(2, "ss asks once for IPv4 and once for IPv6");
        using var writer = new NetlinkWriter();
        InetDiag.WriteListeningDump(writer, 1, AddressFamily.InterNetwork, protocol);
        HexDiff.ShouldEqualIgnoringSequence(writer.WrittenSpan, sent[0], file.Command + " (IPv4)");
        writer.Reset();
        InetDiag.WriteListeningDump(writer, 1, AddressFamily.InterNetworkV6, protocol);
        HexDiff.ShouldEqualIgnoringSequence(writer.WrittenSpan, sent[1], file.Command + " (IPv6)");
    }

    [Theory]
    [InlineData("Sockets/ss-ltnH.txt", ProtocolType.Tcp)]
    [InlineData("Sockets/ss-lunH.txt", ProtocolType.Udp)]
    public void Decoded_replies_are_the_sockets_ss_printed(string capture, ProtocolType protocol)
    {
        CaptureFile file = CaptureFile.Load(capture);
        var decoded = new List<ListeningSocket>();
        foreach ((NetlinkMessageHeader header, byte[] bytes) in file.ReceivedMessages().Where(m => m.Header.Type == InetDiag.SockDiagByFamily))
        {
            var reader = new NetlinkMessageReader(bytes);
            reader.TryRead(out NetlinkMessage message).Should().BeTrue();
            InetDiag.TryDecodeListening(message, protocol, out ListeningSocket socket).Should().BeTrue();
            decoded.Add(socket);
        }
        // ss prints "LISTEN 0 128 0.0.0.0:8080 0.0.0.0:*": the fourth column is the local address.
        List<string> expected = file.Output.Select(line => Regex.Split(line.Trim(), @"\s+")[3]).ToList();
        decoded.Select(Render).Should().Equal(expected);
        decoded.Should().OnlyContain(s => s.Protocol == protocol && s.Inode != 0 && s.Cookie != 0 && s.UserId == 0);
    }

    [Fact]
    public void A_socket_in_another_state_is_skipped()
    {
        CaptureFile file = CaptureFile.Load("Sockets/ss-ltnH.txt");
        byte[] bytes = file.ReceivedMessages().First(m => m.Header.Type == InetDiag.SockDiagByFamily).Message;
        bytes[16 + 1] = 1; // TCP_ESTABLISHED
        var reader = new NetlinkMessageReader(bytes);
        reader.TryRead(out NetlinkMessage message).Should().BeTrue();
        InetDiag.TryDecodeListening(message, ProtocolType.Tcp, out _).Should().BeFalse();
    }

    [Fact]
    public void A_short_reply_is_a_protocol_error()
    {
        byte[] bytes = new byte[16 + 40];
        new NetlinkMessageHeader((uint)bytes.Length, InetDiag.SockDiagByFamily, NetlinkMessageFlags.Multi, 0, 0).Write(bytes);
        Action decode = () =>
        {
            var reader = new NetlinkMessageReader(bytes);
            reader.TryRead(out NetlinkMessage message);
            InetDiag.TryDecodeListening(message, ProtocolType.Tcp, out _);
        };
        decode.Should().Throw<NetlinkProtocolException>().Where(e => e.Expected.Contains("inet_diag_msg (72 bytes)"));
    }

    [Fact]
    public async Task Listing_replays_the_ss_exchange_for_both_families()
    {
        CaptureFile file = CaptureFile.Load("Sockets/ss-ltnH.txt");
        var kernel = new FakeKernel();
        // Datagrams alternate: request, replies..., request, replies...
        byte[]? request = null;
        var replies = new List<byte[]>();
        foreach (CaptureFile.Datagram d in file.Datagrams)
        {
            if (d.Sent)
            {
                if (request is not null)
                {
                    kernel.ExpectRequest(request, replies.ToList());
                }
                request = d.Bytes;
                replies.Clear();
            }
            else
            {
                replies.Add(d.Bytes);
            }
        }
        kernel.ExpectRequest(request, replies);
        using var connection = new NetlinkConnection(kernel);
        IReadOnlyList<ListeningSocket> sockets = await ListeningSockets.ListAsync(connection, new[] { ProtocolType.Tcp }, new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 }, CancellationToken.None);
        sockets.Select(s => s.ToString()).Should().Equal("tcp 0.0.0.0:8080", "tcp 127.0.0.1:9000", "tcp [::1]:9443", "tcp *:8444", "tcp [::]:8443");
        kernel.Finished.Should().BeTrue();
    }

    [Fact]
    public void Accepts_follows_the_kernels_address_matching()
    {
        var any4 = new ListeningSocket(ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 80));
        var local4 = new ListeningSocket(ProtocolType.Tcp, new IPEndPoint(IPAddress.Loopback, 80));
        var v6Only = new ListeningSocket(ProtocolType.Tcp, new IPEndPoint(IPAddress.IPv6Any, 80));
        var dual = v6Only with { IsDualStack = true };
        var loop6 = new ListeningSocket(ProtocolType.Tcp, new IPEndPoint(IPAddress.IPv6Loopback, 80));
        IPAddress a = IPAddress.Parse("10.0.0.1");
        IPAddress a6 = IPAddress.Parse("fd00::1");

        any4.Accepts(a).Should().BeTrue();
        any4.Accepts(a.MapToIPv6()).Should().BeTrue("a mapped address is the IPv4 address");
        any4.Accepts(a6).Should().BeFalse();
        local4.Accepts(a).Should().BeFalse();
        local4.Accepts(IPAddress.Loopback).Should().BeTrue();
        v6Only.Accepts(a).Should().BeFalse("IPV6_V6ONLY sockets take no IPv4");
        v6Only.Accepts(a6).Should().BeTrue();
        dual.Accepts(a).Should().BeTrue();
        loop6.Accepts(IPAddress.IPv6Loopback).Should().BeTrue();
        loop6.Accepts(a6).Should().BeFalse();
        dual.ToString().Should().Be("tcp *:80");
    }

    private static string Render(ListeningSocket s) => s.IsDualStack ? $"*:{s.LocalEndPoint.Port}" : s.LocalEndPoint.ToString();
}
