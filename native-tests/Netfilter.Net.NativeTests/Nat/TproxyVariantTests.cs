using System.Net;
using System.Net.Sockets;
using System.Text;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sockets;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// TPROXY variants through typed <see cref="TproxyRule"/>s and <see cref="TproxyRouting"/>: UDP,
/// where the proxy learns each datagram's original destination with
/// <see cref="UdpOriginalDestination"/> and answers as that destination; and IPv6 TCP.
/// </summary>
public sealed class TproxyVariantTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    public enum ProxySocket
    {
        IPv4,
        IPv6,
        /// <summary>An IPv6 socket without IPV6_V6ONLY receiving IPv4 datagrams.</summary>
        DualStackWithIPv4Clients,
    }

    [NativeTheory]
    [InlineData(ProxySocket.IPv4)]
    [InlineData(ProxySocket.IPv6)]
    [InlineData(ProxySocket.DualStackWithIPv4Clients)]
    public async Task A_udp_proxy_receives_datagrams_for_other_hosts_learns_their_destination_and_answers_as_it(ProxySocket kind)
    {
        bool v6 = kind == ProxySocket.IPv6;
        string server = v6 ? "fd02::2" : "10.0.2.2";
        string other = v6 ? "fd02::3" : "10.0.2.3";
        string client = v6 ? "fd01::2" : "10.0.1.2";
        using var topo = new Topology();
        Forwarding.Enable(v6 ? NetfilterFamily.IPv6 : NetfilterFamily.IPv4, topo.Router.Namespace);
        using var dns = Traffic.StartUdp(topo.Server, Ep(server, 53), "server");
        Traffic.UdpRequest(topo.Client, Ep(server, 53)).Should().StartWith("server ", "before the rule the datagram is forwarded to the server");

        await new TproxyRouting(mark: 1, table: 100, family: v6 ? NetfilterFamily.IPv6 : NetfilterFamily.IPv4).EnsureAsync(topo.Router.Namespace);
        using var nat = new NatTable("udptproxy", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new TproxyRule(TransportProtocol.Udp, new PortRange(53, 54), 5353, mark: 1) });

        using Socket proxy = topo.Router.Namespace.Run(() => new Socket(kind == ProxySocket.IPv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp));
        if (kind != ProxySocket.IPv4)
        {
            proxy.DualMode = kind == ProxySocket.DualStackWithIPv4Clients;
        }
        TransparentSocket.Enable(proxy);
        UdpOriginalDestination.Enable(proxy);
        UdpOriginalDestination.IsEnabled(proxy).Should().BeTrue();
        proxy.Bind(new IPEndPoint(kind == ProxySocket.IPv4 ? IPAddress.Any : IPAddress.IPv6Any, 5353));

        // Two datagrams for two other hosts and ports: the proxy gets both and tells them apart.
        using Socket first = ClientSocket(topo, Ep(server, 53));
        using Socket second = ClientSocket(topo, Ep(other, 54));
        first.Send("to the server\n"u8);
        var buffer = new byte[512];
        using var cts = new CancellationTokenSource(Traffic.Timeout);
        ReceivedDatagram one = await UdpOriginalDestination.ReceiveAsync(proxy, buffer, cts.Token);
        Encoding.ASCII.GetString(buffer, 0, one.Length).Should().Be("to the server\n");
        one.IsTruncated.Should().BeFalse();
        one.OriginalDestination.Should().Be(Ep(server, 53), "tproxy hands the datagram over unchanged, addressed to the server");
        Unmapped(one.Sender).Should().Be(new IPEndPoint(IPAddress.Parse(client), ((IPEndPoint)first.LocalEndPoint!).Port));
        if (kind == ProxySocket.DualStackWithIPv4Clients)
        {
            one.Sender.Address.IsIPv4MappedToIPv6.Should().BeTrue("a dual-stack socket reports IPv4 senders mapped");
        }

        second.Send("to another host\n"u8);
        proxy.ReceiveTimeout = (int)Traffic.Timeout.TotalMilliseconds;
        ReceivedDatagram two = UdpOriginalDestination.Receive(proxy, buffer.AsSpan(0, 4));
        two.OriginalDestination.Should().Be(Ep(other, 54));
        two.Length.Should().Be(4);
        two.IsTruncated.Should().BeTrue("the datagram was longer than the 4-byte buffer");

        // Answer the first client as the server it wrote to: a transparent socket bound to that address.
        AnswerAs(topo, one.OriginalDestination, Unmapped(one.Sender), "proxy answering as " + one.OriginalDestination);
        ReceiveLine(first).Should().Be($"proxy answering as {Ep(server, 53)}", "the client's connected socket accepts only replies from the server's address");
        dns.Dispose();
    }

    [NativeFact]
    public async Task Receive_without_Enable_says_what_to_call()
    {
        using var topo = new Topology();
        using Socket proxy = topo.Router.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        proxy.Bind(Ep("10.0.1.1", 5353));
        UdpOriginalDestination.IsEnabled(proxy).Should().BeFalse();
        using Socket client = ClientSocket(topo, Ep("10.0.1.1", 5353));
        client.Send("x"u8);
        using var cts = new CancellationTokenSource(Traffic.Timeout);
        Func<Task> receive = async () => await UdpOriginalDestination.ReceiveAsync(proxy, new byte[16], cts.Token);
        (await receive.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("call UdpOriginalDestination.Enable");

        UdpOriginalDestination.Enable(proxy);
        client.Send("y"u8);
        ReceivedDatagram d = await UdpOriginalDestination.ReceiveAsync(proxy, new byte[16], cts.Token);
        d.OriginalDestination.Should().Be(Ep("10.0.1.1", 5353), "without NAT the original destination is the socket's own address");

        proxy.ReceiveTimeout = 200;
        Action nothing = () => UdpOriginalDestination.Receive(proxy, new byte[16]);
        nothing.Should().Throw<SocketException>().Which.SocketErrorCode.Should().Be(SocketError.TimedOut);
    }

    [NativeFact]
    public async Task ReceiveAsync_and_Receive_wait_for_a_datagram_that_has_not_arrived_yet()
    {
        using var topo = new Topology();
        using Socket proxy = topo.Router.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        UdpOriginalDestination.Enable(proxy);
        proxy.Bind(Ep("10.0.1.1", 5353));
        using Socket client = ClientSocket(topo, Ep("10.0.1.1", 5353));
        var buffer = new byte[64];

        // Nothing is queued: the asynchronous receive waits (on .NET's zero-byte peek, which must not consume the datagram).
        using var cts = new CancellationTokenSource(Traffic.Timeout);
        ValueTask<ReceivedDatagram> pending = UdpOriginalDestination.ReceiveAsync(proxy, buffer, cts.Token);
        pending.IsCompleted.Should().BeFalse("no datagram was sent yet");
        client.Send("later\n"u8);
        ReceivedDatagram d = await pending;
        Encoding.ASCII.GetString(buffer, 0, d.Length).Should().Be("later\n", "the wait consumed nothing: the whole datagram arrives");
        d.OriginalDestination.Should().Be(Ep("10.0.1.1", 5353));

        // The blocking receive waits in poll on a thread of its own.
        proxy.ReceiveTimeout = (int)Traffic.Timeout.TotalMilliseconds;
        Task<ReceivedDatagram> blocking = Task.Factory.StartNew(() => UdpOriginalDestination.Receive(proxy, new byte[64]), TaskCreationOptions.LongRunning);
        blocking.IsCompleted.Should().BeFalse("no second datagram was sent yet");
        client.Send("again\n"u8);
        (await blocking.WaitAsync(Traffic.Timeout)).Length.Should().Be(6);

        // Cancelling a wait ends it with OperationCanceledException.
        using var cancel = new CancellationTokenSource();
        ValueTask<ReceivedDatagram> cancelled = UdpOriginalDestination.ReceiveAsync(proxy, buffer, cancel.Token);
        cancel.Cancel();
        Func<Task> wait = async () => await cancelled;
        await wait.Should().ThrowAsync<OperationCanceledException>();
    }

    [NativeFact]
    public async Task After_a_udp_redirect_a_datagram_reports_the_translated_destination_which_is_why_a_udp_proxy_uses_tproxy()
    {
        using var topo = new Topology();
        using var nat = new NatTable("udpredirect", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new RedirectRule(TransportProtocol.Udp, PortRange.Single(53), 5300) });
        using Socket proxy = topo.Router.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        UdpOriginalDestination.Enable(proxy);
        proxy.Bind(new IPEndPoint(IPAddress.Any, 5300));
        using Socket client = ClientSocket(topo, Ep("10.0.2.2", 53));
        client.Send("q"u8);
        using var cts = new CancellationTokenSource(Traffic.Timeout);
        ReceivedDatagram d = await UdpOriginalDestination.ReceiveAsync(proxy, new byte[16], cts.Token);
        d.OriginalDestination.Should().Be(Ep("10.0.1.1", 5300), "IP_ORIGDSTADDR reads the packet as it reached the socket, after REDIRECT rewrote it");
    }

    [NativeFact]
    public async Task An_ipv6_tproxy_rule_hands_tcp_connections_for_another_host_to_a_transparent_listener()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv6, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("fd02::2", 443), "server6");
        Traffic.TcpRequest(topo.Client, Ep("fd02::2", 443)).Should().StartWith("server6 local=[fd02::2]:443 remote=[fd01::2]:", "before the rules the router forwards to the server");
        var routing = new TproxyRouting(mark: 0x10, table: 110, family: NetfilterFamily.IPv6);
        (await routing.EnsureAsync(topo.Router.Namespace)).IsComplete.Should().BeTrue();
        using var any = Traffic.StartTcp(topo.Router, Ep("::", 8443), "tproxy6", transparent: true);
        using var bound = Traffic.StartTcp(topo.Router, Ep("fd01::1", 8444), "tproxy6-bound", transparent: true);
        using var nat = new NatTable("tproxy6", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[]
        {
            new TproxyRule(TransportProtocol.Tcp, PortRange.Single(443), 8443, mark: 0x10),
            new TproxyRule(TransportProtocol.Tcp, PortRange.Single(444), 8444, mark: 0x10, toAddress: IPAddress.Parse("fd01::1")),
        });

        Traffic.TcpRequest(topo.Client, Ep("fd02::2", 443)).Should().StartWith("tproxy6 local=[fd02::2]:443 remote=[fd01::2]:",
            "the listener accepts the connection as the server, which never sees it");
        Traffic.TcpRequest(topo.Client, Ep("fd02::2", 444)).Should().StartWith("tproxy6-bound local=[fd02::2]:444 remote=[fd01::2]:",
            "with an address, tproxy looks the listener up on that address");
        server.Accepted.Should().HaveCount(1, "only the connection made before the rules reached the server");

        await routing.RemoveAsync(topo.Router.Namespace);
        Traffic.TcpRequest(topo.Client, Ep("fd02::2", 443)).Should().BeNull(
            "without the policy route the marked packet, which carries the listener's socket, is not delivered locally, and ip6_forward drops a packet that has a socket");
    }

    private static Socket ClientSocket(Topology topo, IPEndPoint target)
    {
        Socket socket = topo.Client.Namespace.Run(() => new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        socket.Connect(target);
        return socket;
    }

    private static IPEndPoint Unmapped(IPEndPoint endpoint) =>
        endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;

    /// <summary>Sends <paramref name="text"/> to <paramref name="to"/> from <paramref name="from"/>, an address that is not the router's.</summary>
    private static void AnswerAs(Topology topo, IPEndPoint from, IPEndPoint to, string text)
    {
        using Socket reply = topo.Router.Namespace.Run(() => new Socket(from.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        TransparentSocket.Enable(reply);
        reply.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        reply.Bind(from);
        reply.SendTo(Encoding.ASCII.GetBytes(text), to);
    }

    private static string ReceiveLine(Socket socket)
    {
        var buffer = new byte[512];
        using var cts = new CancellationTokenSource(Traffic.Timeout);
        int n = socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).AsTask().GetAwaiter().GetResult();
        return Encoding.ASCII.GetString(buffer, 0, n);
    }
}
