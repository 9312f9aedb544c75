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

        (await nat.RemoveAsync(new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, includeLocal: true)))?.ToString().Should().Be("redirect tcp 80 to 8080 local", "RemoveAsync returns the rule it removed");
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

    [NativeFact]
    public async Task S3_the_lan_leaves_with_the_routers_address()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        topo.Router.Check("sysctl", "-qw", "net.ipv4.ip_forward=1");
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 80), "internet");
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 80)).Should().BeNull("the server has no route back to the LAN");

        using var nat = new NatTable("s3", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new MasqueradeRule("wan", new[] { IPNetwork.Parse("10.0.1.0/24") }) });
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 80)).Should().StartWith("internet local=10.0.2.2:80 remote=10.0.2.1:");

        await nat.ApplyAsync(new NatRule[] { new SnatRule(IPAddress.Parse("10.0.2.1"), outputInterface: "wan") });
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 80)).Should().StartWith("internet local=10.0.2.2:80 remote=10.0.2.1:", "snat to the router's fixed address works the same");
    }

    [NativeFact]
    public async Task S4_udp_datagrams_are_forwarded_and_redirected()
    {
        using var topo = new Topology();
        topo.Router.Check("sysctl", "-qw", "net.ipv4.ip_forward=1");
        using var dns = Traffic.StartUdp(topo.Server, Ep("0.0.0.0", 5353), "dns");
        using var local = Traffic.StartUdp(topo.Router, Ep("0.0.0.0", 5300), "local-dns");
        using var nat = new NatTable("s4", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[]
        {
            new DnatRule(TransportProtocol.Udp, PortRange.Single(53), IPAddress.Parse("10.0.2.2"), PortRange.Single(5353), masquerade: true),
            new RedirectRule(TransportProtocol.Udp, PortRange.Single(54), 5300),
        });
        Traffic.UdpRequest(topo.Client, Ep("10.0.1.1", 53)).Should().StartWith("dns local=0.0.0.0:5353 remote=10.0.2.1:");
        Traffic.UdpRequest(topo.Client, Ep("10.0.1.1", 54)).Should().StartWith("local-dns local=0.0.0.0:5300 remote=10.0.1.2:");
    }

    [NativeFact]
    public async Task S5_ipv6_dnat_and_redirect()
    {
        using var topo = new Topology();
        topo.Router.Check("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
        using var server = Traffic.StartTcp(topo.Server, Ep("::", 22), "server6");
        using var proxy = Traffic.StartTcp(topo.Router, Ep("::", 8080), "proxy6");
        using var nat = new NatTable("s5", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[]
        {
            new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("fd02::2"), PortRange.Single(22)),
            new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080),
        });
        Traffic.TcpRequest(topo.Client, Ep("fd01::1", 2222)).Should().StartWith("server6 local=[fd02::2]:22 remote=[fd01::2]:");
        Traffic.TcpRequest(topo.Client, Ep("fd01::1", 80)).Should().StartWith("proxy6 local=[fd01::1]:8080 remote=[fd01::2]:");
    }

    [NativeFact]
    public async Task S6_a_source_outside_the_allowed_prefixes_is_not_forwarded()
    {
        using var topo = new Topology();
        topo.Router.Check("sysctl", "-qw", "net.ipv4.ip_forward=1");
        topo.Client.Ip("addr", "add", "10.0.1.3/24", "dev", "eth0");
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var nat = new NatTable("s6", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), sources: new[] { IPNetwork.Parse("10.0.1.2/32") }) });
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222), bind: Ep("10.0.1.2", 0)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.1.2:");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222), bind: Ep("10.0.1.3", 0)).Should().BeNull("10.0.1.3 is not in the allowed prefixes");
    }

    [NativeFact]
    public async Task An_owner_bound_table_disappears_when_its_process_is_killed()
    {
        using var ns = new TestNamespace();
        string self = typeof(Program).Assembly.Location;
        using var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ip", new[] { "netns", "exec", ns.Name, "dotnet", self, "child", "hold-owned-table", "owned" })
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        string? ready = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        ready.Should().Be("ready");
        ns.Nft("list", "tables").Should().Contain("table inet owned");
        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        ns.Nft("list", "tables").Should().NotContain("owned", "the kernel removes an owned table when its socket closes");
    }
}
