using System.Net;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// The IPv6 variants of S3, S6 and S7 with real connections over the topology's IPv6 addresses
/// (client fd01::2, router fd01::1 / fd02::1, server fd02::2): masquerade and SNAT proven by the
/// address the server sees and by a return path that exists only through the router; hairpin by
/// a client beside the server; source prefixes by an allowed and a refused client.
/// Traffic is what is asserted, not the table's layout (maps, chains), which may change.
/// </summary>
public sealed class IPv6NatTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [NativeFact]
    public async Task Masquerade_gives_the_lan_the_routers_address_and_brings_replies_back()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv6, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("::", 80), "internet6");
        Traffic.TcpRequest(topo.Client, Ep("fd02::2", 80)).Should().BeNull("the server has no route back to fd01::/64");

        using var nat = new NatTable("masq6", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new MasqueradeRule("wan", new[] { IPNetwork.Parse("fd01::/64") }) });
        Traffic.TcpRequest(topo.Client, Ep("fd02::2", 80)).Should().StartWith("internet6 local=[fd02::2]:80 remote=[fd02::1]:",
            "the server sees the router's wan address and its replies come back through the router");
    }

    [NativeFact]
    public async Task A_forward_with_masquerade_returns_through_the_router()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv6, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("fd02::2", 22), "server6");
        using var nat = new NatTable("fwd6", new NatTableOptions { Namespace = topo.Router.Namespace });

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("fd02::2"), PortRange.Single(22)) });
        Traffic.TcpRequest(topo.Client, Ep("fd01::1", 2222)).Should().BeNull("without masquerade the server answers fd01::2, which it cannot reach");

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("fd02::2"), PortRange.Single(22), masquerade: true) });
        Traffic.TcpRequest(topo.Client, Ep("fd01::1", 2222)).Should().StartWith("server6 local=[fd02::2]:22 remote=[fd02::1]:");
    }

    [NativeFact]
    public async Task Snat_to_a_given_address_is_the_address_the_server_sees()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv6, topo.Router.Namespace);
        // A second, non-primary address on the router's wan: masquerade would pick fd02::1, SNAT must use this one.
        topo.Router.Ip("-6", "addr", "add", "fd02::100/64", "dev", "wan", "nodad");
        using var server = Traffic.StartTcp(topo.Server, Ep("::", 80), "internet6");
        using var nat = new NatTable("snat6", new NatTableOptions { Namespace = topo.Router.Namespace });

        await nat.ApplyAsync(new NatRule[] { new SnatRule(IPAddress.Parse("fd02::100"), outputInterface: "wan", sources: new[] { IPNetwork.Parse("fd01::/64") }) });
        Traffic.TcpRequest(topo.Client, Ep("fd02::2", 80)).Should().StartWith("internet6 local=[fd02::2]:80 remote=[fd02::100]:");
        topo.Router.Nft("list", "table", "inet", "snat6").Should().Contain("snat ip6 to fd02::100");
    }

    [NativeFact]
    public async Task Hairpin_lets_a_client_beside_the_server_use_the_public_address()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv6, topo.Router.Namespace);
        // A second host on the server's network: the LAN client that uses the public address.
        topo.Server.Ip("-6", "addr", "add", "fd02::3/64", "dev", "eth0", "nodad");
        using var server = Traffic.StartTcp(topo.Server, Ep("fd02::2", 22), "server6");
        using var nat = new NatTable("hairpin6", new NatTableOptions { Namespace = topo.Router.Namespace });

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("fd02::2"), PortRange.Single(22)) });
        Traffic.TcpRequest(topo.Server, Ep("fd01::1", 2222), bind: Ep("fd02::3", 0)).Should().BeNull(
            "without hairpin the server answers fd02::3 directly, from an address the client did not call");

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("fd02::2"), PortRange.Single(22), hairpin: true) });
        Traffic.TcpRequest(topo.Server, Ep("fd01::1", 2222), bind: Ep("fd02::3", 0)).Should().StartWith("server6 local=[fd02::2]:22 remote=[fd02::1]:", "hairpin masquerades LAN clients");
        Traffic.TcpRequest(topo.Client, Ep("fd01::1", 2222)).Should().StartWith("server6 local=[fd02::2]:22 remote=[fd01::2]:", "clients outside the server's network keep their address");
    }

    [NativeFact]
    public async Task Source_prefixes_forward_the_allowed_clients_and_refuse_the_others()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv6, topo.Router.Namespace);
        topo.Client.Ip("-6", "addr", "add", "fd01::10/64", "dev", "eth0", "nodad");
        topo.Client.Ip("-6", "addr", "add", "fd01::20/64", "dev", "eth0", "nodad");
        using var server = Traffic.StartTcp(topo.Server, Ep("fd02::2", 22), "server6");
        using var nat = new NatTable("src6", new NatTableOptions { Namespace = topo.Router.Namespace });
        // A masked prefix (fd01::0 to fd01::3) and a single address: both shapes of the source match.
        await nat.ApplyAsync(new NatRule[]
        {
            new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("fd02::2"), PortRange.Single(22),
                sources: new[] { IPNetwork.Parse("fd01::/126"), IPNetwork.Parse("fd01::20/128") }),
        });

        Traffic.TcpRequest(topo.Client, Ep("fd01::1", 2222), bind: Ep("fd01::2", 0)).Should().StartWith("server6 local=[fd02::2]:22 remote=[fd01::2]:", "fd01::2 is in fd01::/126");
        Traffic.TcpRequest(topo.Client, Ep("fd01::1", 2222), bind: Ep("fd01::20", 0)).Should().StartWith("server6 local=[fd02::2]:22 remote=[fd01::20]:", "fd01::20 is allowed by itself");
        Traffic.TcpRequest(topo.Client, Ep("fd01::1", 2222), bind: Ep("fd01::10", 0)).Should().BeNull("fd01::10 is in neither prefix");
    }
}
