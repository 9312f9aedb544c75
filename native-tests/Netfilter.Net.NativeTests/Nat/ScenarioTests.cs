using System.Net;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>DESIGN.md's scenarios with real traffic through typed rules.</summary>
public sealed class ScenarioTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [NativeFact]
    public async Task S1_redirect_tcp_80_to_a_local_listener_on_8080_for_remote_and_local_clients()
    {
        using var topo = new Topology();
        using var server = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 8080), "proxy");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().BeNull("nothing listens on 80 before the rule");

        using var nat = new NatTable("s1", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, includeLocal: true) });

        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().StartWith("proxy local=10.0.1.1:8080 remote=10.0.1.2:");
        Traffic.TcpRequest(topo.Router, Ep("10.0.1.1", 80)).Should().StartWith("proxy local=127.0.0.1:8080", "local clients go through the output hook, where redirect sends to the loopback address");
        topo.Router.Nft("list", "ruleset").Should().Contain("comment \"redirect tcp 80 to 8080 local\"");

        (await nat.RemoveAsync(new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, includeLocal: true))).Should().BeTrue();
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().BeNull("after RemoveAsync traffic is no longer redirected");
    }

    [NativeFact]
    public async Task S2_forward_through_the_router_with_and_without_masquerade()
    {
        using var topo = new Topology();
        topo.Router.Check("sysctl", "-qw", "net.ipv4.ip_forward=1");
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var nat = new NatTable("s2", new NatTableOptions { Namespace = topo.Router.Namespace });

        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22)) });
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.1.2:", "without masquerade the server sees the client");

        NatApplyResult result = await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true) });
        result.Added.Should().HaveCount(1);
        result.Removed.Should().HaveCount(1);
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:", "with masquerade the server sees the router");

        NatApplyResult again = await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true) });
        again.Changed.Should().BeFalse("the same input twice sends nothing the second time");
        (await nat.ListAsync()).Select(r => r.ToString()).Should().Equal("dnat tcp 2222 to 10.0.2.2:22 masquerade");
    }
}
