using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.Sockets;
using Netfilter.Net.Sysctl;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>Hairpin, transparent proxying, conntrack cleanup and the forwarding warning, with real traffic.</summary>
public sealed class HairpinProxyAndFlowTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [NativeFact]
    public async Task S7_a_client_beside_the_server_reaches_it_through_the_public_address_with_hairpin()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        // A second host on the server's network, the "LAN client" that uses the public address.
        topo.Server.Ip("addr", "add", "10.0.2.3/24", "dev", "eth0");
        using var server = Traffic.StartTcp(topo.Server, Ep("10.0.2.2", 22), "server");
        using var nat = new NatTable("s7", new NatTableOptions { Namespace = topo.Router.Namespace });

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22)) });
        Traffic.TcpRequest(topo.Server, Ep("10.0.1.1", 2222), bind: Ep("10.0.2.3", 0)).Should().BeNull("without hairpin the server answers the LAN client directly, which drops the reply");

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), hairpin: true) });
        Traffic.TcpRequest(topo.Server, Ep("10.0.1.1", 2222), bind: Ep("10.0.2.3", 0)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:", "hairpin masquerades LAN clients");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.1.2:", "clients outside the server's network keep their address");
    }

    [NativeFact]
    public async Task S8_a_transparent_proxy_learns_the_original_destination_after_redirect()
    {
        using var topo = new Topology();
        using var proxy = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 3128), "proxy");
        proxy.Extra = socket => " original=" + OriginalDestination.Get(socket);
        using var nat = new NatTable("s8r", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 3128) });
        // The client goes to a host behind the router; the router's redirect catches it on the way.
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 80)).Should().MatchRegex(@"^proxy local=10\.0\.1\.1:3128 remote=10\.0\.1\.2:\d+ original=10\.0\.2\.2:80$");
    }

    [NativeFact]
    public async Task S8_tproxy_hands_a_connection_for_another_address_to_a_transparent_listener()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        var routing = new TproxyRouting(mark: 1, table: 100, family: NetfilterFamily.IPv4);
        await routing.EnsureAsync(topo.Router.Namespace);
        using var listener = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 8443), "tproxy", transparent: true);
        using var nat = new NatTable("s8t", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new TproxyRule(TransportProtocol.Tcp, PortRange.Single(443), 8443, mark: 1) });
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 443)).Should().StartWith("tproxy local=10.0.2.2:443 remote=10.0.1.2:", "the listener accepts a connection for an address that is not its own");
    }

    [NativeFact]
    public async Task Changing_a_udp_forward_drops_its_conntrack_entries_so_the_new_target_applies_at_once()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        topo.Server.Ip("addr", "add", "10.0.2.3/24", "dev", "eth0");
        using var first = Traffic.StartUdp(topo.Server, Ep("10.0.2.2", 53), "first");
        using var second = Traffic.StartUdp(topo.Server, Ep("10.0.2.3", 53), "second");
        using var nat = new NatTable("flows", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Udp, PortRange.Single(53), IPAddress.Parse("10.0.2.2"), masquerade: true) });

        // One client socket, one flow: the same 5-tuple keeps going to the same target while the entry lives.
        using Socket client = topo.Client.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        client.Connect(Ep("10.0.1.1", 53));
        Ask(client).Should().StartWith("first ");
        using (var conntrack = new ConntrackClient(topo.Router.Namespace))
        {
            (await conntrack.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Udp })).Should().ContainSingle();
        }

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Udp, PortRange.Single(53), IPAddress.Parse("10.0.2.3"), masquerade: true) });
        Ask(client).Should().StartWith("second ", "the old flow was deleted, so the same socket now reaches the new target");
    }

    [NativeFact]
    public async Task Applying_a_forward_to_another_host_while_forwarding_is_off_warns_and_changes_nothing_else()
    {
        using var topo = new Topology();
        using var nat = new NatTable("warn", new NatTableOptions { Namespace = topo.Router.Namespace });
        NatApplyResult result = await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22)) });
        result.Warnings.Should().ContainSingle().Which.Message.Should().Contain("IPv4 forwarding is off").And.Contain("Forwarding.Enable");
        Forwarding.GetStatus(topo.Router.Namespace).IPv4.Should().BeFalse("forwarding is never switched on silently");
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        (await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22)) })).Warnings.Should().BeEmpty();
    }

    private static string Ask(Socket socket)
    {
        socket.Send("q\n"u8);
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(Traffic.Timeout);
        int n = socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).AsTask().GetAwaiter().GetResult();
        return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
    }
}
