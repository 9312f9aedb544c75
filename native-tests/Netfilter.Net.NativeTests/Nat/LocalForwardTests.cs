using System.Net;
using System.Text.Json;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Cli;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// DNAT with includeLocal (<c>nfnet forward add --local</c>): a process on the router itself
/// reaches the forward through the output hook, proven by the server's banner, which names the
/// address it saw; clients outside keep reaching it through prerouting.
/// Traffic is what is asserted, not the table's layout (maps, chains), which may change.
/// </summary>
public sealed class LocalForwardTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [NativeFact]
    public async Task A_process_on_the_router_reaches_a_forward_with_includeLocal_through_the_map_and_through_a_rule()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("10.0.2.2", 22), "server");
        using var nat = new NatTable("local", new NatTableOptions { Namespace = topo.Router.Namespace });

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22)) });
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.1.2:");
        Traffic.TcpRequest(topo.Router, Ep("10.0.1.1", 2222)).Should().BeNull("without includeLocal the router's own connection is not translated and nothing listens on 2222");

        // A plain forward (today: an element of the output hook's map as well as of prerouting's).
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), includeLocal: true) });
        Traffic.TcpRequest(topo.Router, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.1.1:",
            "the output hook translates the router's own connection; its source stays the address it was made from, and the server routes back through the router");
        Traffic.TcpRequest(topo.Router, Ep("10.0.2.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:", "any of the router's addresses is a public address");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.1.2:", "remote clients still come through prerouting");

        // A conditional forward, narrowed to one destination address (today: a rule in each hook's rule chain).
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), destination: IPAddress.Parse("10.0.1.1"), includeLocal: true) });
        Traffic.TcpRequest(topo.Router, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.1.1:");
        Traffic.TcpRequest(topo.Router, Ep("10.0.2.1", 2222)).Should().BeNull("the rule is narrowed to destination 10.0.1.1");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.1.2:");

        await nat.ApplyAsync(Array.Empty<NatRule>());
        Traffic.TcpRequest(topo.Router, Ep("10.0.1.1", 2222)).Should().BeNull("nothing is left of the output path once the rule is gone");
    }

    [NativeFact]
    public async Task An_ipv6_forward_with_includeLocal_is_reached_from_the_router()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv6, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("fd02::2", 22), "server6");
        using var nat = new NatTable("local6", new NatTableOptions { Namespace = topo.Router.Namespace });

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("fd02::2"), PortRange.Single(22)) });
        Traffic.TcpRequest(topo.Router, Ep("fd01::1", 2222)).Should().BeNull("without includeLocal the router's own connection is not translated");

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("fd02::2"), PortRange.Single(22), includeLocal: true) });
        Traffic.TcpRequest(topo.Router, Ep("fd01::1", 2222)).Should().StartWith("server6 local=[fd02::2]:22 remote=[fd01::1]:");
        Traffic.TcpRequest(topo.Client, Ep("fd01::1", 2222)).Should().StartWith("server6 local=[fd02::2]:22 remote=[fd01::2]:");

        // With sources, the output path applies them too: the router's own address must be allowed.
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("fd02::2"), PortRange.Single(22), sources: new[] { IPNetwork.Parse("fd01::/64") }, includeLocal: true) });
        Traffic.TcpRequest(topo.Router, Ep("fd01::1", 2222)).Should().StartWith("server6 local=[fd02::2]:22 remote=[fd01::1]:", "fd01::1 is in fd01::/64");
        Traffic.TcpRequest(topo.Router, Ep("fd02::1", 2222)).Should().BeNull("a connection to fd02::1 leaves from fd02::1, outside the allowed prefix");
    }

    [NativeFact]
    public async Task A_local_forward_with_masquerade_reaches_a_server_that_does_not_route_back()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        using var server = Traffic.StartTcp(topo.Server, Ep("10.0.2.2", 22), "server");
        using var nat = new NatTable("localmasq", new NatTableOptions { Namespace = topo.Router.Namespace });

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), includeLocal: true) });
        Traffic.TcpRequest(topo.Router, Ep("10.0.1.1", 2222)).Should().BeNull("the server has no route back to 10.0.1.1");

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true, includeLocal: true) });
        Traffic.TcpRequest(topo.Router, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:",
            "postrouting masquerades the router's own translated connection too: the server sees the router's wan address");
    }

    [NativeFact]
    public void Nfnet_forward_add_local_lets_a_process_on_the_router_reach_the_forward()
    {
        using var topo = new Topology();
        using var server = Traffic.StartTcp(topo.Server, Ep("10.0.2.2", 22), "server");
        Nfnet.In(topo.Router, "forwarding", "on").ExitCode.Should().Be(0);

        Tool.Result added = Nfnet.In(topo.Router, "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22", "--local");
        added.ExitCode.Should().Be(0, added.StandardError);
        added.StandardOutput.Should().Be($"added to table inet nfnet of namespace {topo.Router.Name}: dnat tcp 2222 to 10.0.2.2:22 local\n");
        Traffic.TcpRequest(topo.Router, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.1.1:");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.1.2:");

        JsonElement rule = Nfnet.Json(Nfnet.In(topo.Router, "list", "--json")).GetProperty("rules").EnumerateArray().Single();
        rule.GetProperty("text").GetString().Should().Be("dnat tcp 2222 to 10.0.2.2:22 local");
        rule.GetProperty("local").GetBoolean().Should().BeTrue();

        Tool.Result removed = Nfnet.In(topo.Router, "forward", "remove", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22", "--local");
        removed.ExitCode.Should().Be(0, removed.StandardError);
        Traffic.TcpRequest(topo.Router, Ep("10.0.1.1", 2222)).Should().BeNull("the forward is gone from the output hook");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().BeNull("and from prerouting");
        Nfnet.In(topo.Router, "list").StandardOutput.Should().BeEmpty();
    }
}
