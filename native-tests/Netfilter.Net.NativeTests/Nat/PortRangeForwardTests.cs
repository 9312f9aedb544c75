using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// A forward of a port range, with connections to several ports of the range: onto the same
/// range each connection keeps its port, onto one port every connection arrives there. The
/// server's banner names the port it accepted on; conntrack names the public port each came to.
/// </summary>
public sealed class PortRangeForwardTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [NativeTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_range_onto_the_same_range_sends_each_port_to_the_same_port(bool ipv6)
    {
        string server = ipv6 ? "fd02::2" : "10.0.2.2";
        string publicAddress = ipv6 ? "fd01::1" : "10.0.1.1";
        string Shown(string address, int port) => ipv6 ? $"[{address}]:{port}" : $"{address}:{port}";
        using var topo = new Topology();
        Forwarding.Enable(ipv6 ? NetfilterFamily.IPv6 : NetfilterFamily.IPv4, topo.Router.Namespace);
        var servers = Enumerable.Range(3000, 4).Select(p => Traffic.StartTcp(topo.Server, Ep(server, p), $"s{p}")).ToList();
        try
        {
            using var nat = new NatTable("range", new NatTableOptions { Namespace = topo.Router.Namespace });
            var range = new PortRange(3000, 3003);
            foreach (PortRange? toPorts in new PortRange?[] { range, null })
            {
                await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, range, IPAddress.Parse(server), toPorts) });
                // Several rounds over the range, so a port chosen by the kernel rather than kept would show.
                for (int round = 0; round < 3; round++)
                {
                    foreach (int port in new[] { 3002, 3000, 3003, 3001 })
                    {
                        Traffic.TcpRequest(topo.Client, Ep(publicAddress, port)).Should().StartWith($"s{port} local={Shown(server, port)} remote=",
                            $"public port {port} of {range} onto {toPorts?.ToString() ?? "the kept port"} arrives at port {port}");
                    }
                }
                Traffic.TcpRequest(topo.Client, Ep(publicAddress, 2999)).Should().BeNull("2999 is below the range");
                Traffic.TcpRequest(topo.Client, Ep(publicAddress, 3004)).Should().BeNull("3004 is above the range");
            }
        }
        finally
        {
            foreach (var s in servers) s.Dispose();
        }
    }

    [NativeFact]
    public async Task A_range_onto_one_port_sends_every_port_there()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("10.0.2.2", 22), "server");
        using var nat = new NatTable("toone", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, new PortRange(4000, 4003), IPAddress.Parse("10.0.2.2"), PortRange.Single(22)) });

        foreach (int port in new[] { 4000, 4001, 4002, 4003, 4001 })
        {
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", port)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.1.2:", $"public port {port} is sent to 22");
        }
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 4004)).Should().BeNull();

        // The router's conntrack table: each public port of the range, translated to 22.
        using var conntrack = new ConntrackClient(topo.Router.Namespace);
        var entries = await conntrack.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Tcp });
        var forwarded = entries.Where(e => e.Reply.Source.Equals(IPAddress.Parse("10.0.2.2"))).ToList();
        forwarded.Select(e => (int)e.Original.DestinationPort!.Value).Distinct().Order().Should().Equal(4000, 4001, 4002, 4003);
        forwarded.Should().OnlyContain(e => e.Reply.SourcePort == 22);
    }
}
