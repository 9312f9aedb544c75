using System.Net;
using System.Net.Sockets;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sockets;

namespace Netfilter.Net.NativeTests.Sockets;

/// <summary>
/// A proxy in the router learns where a redirected or DNATed connection was going, over a real
/// connection from the client namespace (or from the router itself). Rules are set with nft.
/// </summary>
public sealed class OriginalDestinationNativeTests
{
    private static readonly IPEndPoint Server4 = new(IPAddress.Parse("10.0.2.2"), 80);
    private static readonly IPEndPoint Server6 = new(IPAddress.Parse("fd02::2"), 80);

    [NativeTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Redirect_in_the_router_the_proxy_reads_the_servers_address(bool ipv6)
    {
        using var topology = new Topology();
        topology.Router.NftScript("""
            table inet nat {
              chain prerouting { type nat hook prerouting priority dstnat; tcp dport 80 redirect to :8080; }
            }
            """);
        IPEndPoint target = ipv6 ? Server6 : Server4;
        using Socket listener = Connections.Listen(topology.Router, new IPEndPoint(ipv6 ? IPAddress.IPv6Any : IPAddress.Any, 8080));
        (Socket client, Socket accepted) = await Connections.ConnectAsync(topology.Client, target, listener);
        using (client)
        using (accepted)
        {
            // redirect translates to the primary address of the interface the packet came in on.
            ((IPEndPoint)accepted.LocalEndPoint!).Should().Be(new IPEndPoint(IPAddress.Parse(ipv6 ? "fd01::1" : "10.0.1.1"), 8080));
            OriginalDestination.Get(accepted).Should().Be(target);
            OriginalDestination.TryGet(accepted, out IPEndPoint? again).Should().BeTrue();
            again.Should().Be(target);
        }
    }

    [NativeTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dnat_to_a_dual_stack_proxy_reports_ipv4_for_ipv4_and_ipv6_for_ipv6(bool ipv6)
    {
        using var topology = new Topology();
        topology.Router.NftScript("""
            table inet nat {
              chain prerouting {
                type nat hook prerouting priority dstnat;
                ip daddr 10.0.2.2 tcp dport 80 dnat ip to 10.0.1.1:8080
                ip6 daddr fd02::2 tcp dport 80 dnat ip6 to [fd01::1]:8080
              }
            }
            """);
        IPEndPoint target = ipv6 ? Server6 : Server4;
        // One IPv6 socket without IPV6_V6ONLY takes both; IPv4 peers appear as ::ffff:10.0.1.2.
        using Socket listener = Connections.Listen(topology.Router, new IPEndPoint(IPAddress.IPv6Any, 8080), dualMode: true);
        (Socket client, Socket accepted) = await Connections.ConnectAsync(topology.Client, target, listener);
        using (client)
        using (accepted)
        {
            ((IPEndPoint)accepted.RemoteEndPoint!).Address.IsIPv4MappedToIPv6.Should().Be(!ipv6);
            OriginalDestination.Get(accepted).Should().Be(target, "the IPv4 connection's conntrack entry is asked at SOL_IP");
        }
    }

    [NativeTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Redirect_of_the_hosts_own_connections_on_output(bool ipv6)
    {
        using var topology = new Topology();
        topology.Router.NftScript("""
            table inet nat {
              chain output { type nat hook output priority -100; tcp dport 80 redirect to :8080; }
            }
            """);
        IPEndPoint target = ipv6 ? Server6 : Server4;
        using Socket listener = Connections.Listen(topology.Router, new IPEndPoint(ipv6 ? IPAddress.IPv6Any : IPAddress.Any, 8080));
        (Socket client, Socket accepted) = await Connections.ConnectAsync(topology.Router, target, listener);
        using (client)
        using (accepted)
        {
            // On output, redirect goes to the loopback address.
            ((IPEndPoint)accepted.LocalEndPoint!).Address.Should().Be(ipv6 ? IPAddress.IPv6Loopback : IPAddress.Loopback);
            OriginalDestination.Get(accepted).Should().Be(target);
        }
    }

    [NativeFact]
    public async Task A_connection_conntrack_does_not_track_is_ENOENT_with_the_reason()
    {
        using var ns = new TestNamespace("nocontrack");
        // No ruleset at all: conntrack's hooks are not registered in this namespace.
        using Socket listener = Connections.Listen(ns, new IPEndPoint(IPAddress.Loopback, 8080));
        (Socket client, Socket accepted) = await Connections.ConnectAsync(ns, new IPEndPoint(IPAddress.Loopback, 8080), listener);
        using (client)
        using (accepted)
        {
            OriginalDestination.TryGet(accepted, out IPEndPoint? none).Should().BeFalse();
            none.Should().BeNull();
            Action get = () => OriginalDestination.Get(accepted);
            get.Should().Throw<NetfilterException>().Where(e => e.Errno == Errno.ENOENT
                && e.Message.Contains("the connection was not redirected or conntrack is not tracking it")
                && e.Message.Contains("127.0.0.1"));
        }
    }

    [NativeFact]
    public async Task A_tracked_connection_that_was_not_translated_reports_its_own_destination()
    {
        using var ns = new TestNamespace("tracked");
        ns.NftScript("add table ip t\nadd chain ip t c { type filter hook input priority 0; }\nadd rule ip t c ct state new accept\n");
        using Socket listener = Connections.Listen(ns, new IPEndPoint(IPAddress.Loopback, 8080));
        (Socket client, Socket accepted) = await Connections.ConnectAsync(ns, new IPEndPoint(IPAddress.Loopback, 8080), listener);
        using (client)
        using (accepted)
        {
            OriginalDestination.Get(accepted).Should().Be(new IPEndPoint(IPAddress.Loopback, 8080));
        }
    }
}
