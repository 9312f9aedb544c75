using System.Net;
using System.Net.Sockets;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sockets;

namespace Netfilter.Net.NativeTests.Sockets;

/// <summary>
/// TPROXY end to end: the library's policy routing and transparent socket, nft's tproxy rule,
/// and a real connection from the client to the server's address that the router's proxy
/// accepts as if it were the server.
/// </summary>
public sealed class TproxyNativeTests
{
    [NativeTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_transparent_listener_in_the_router_accepts_a_connection_to_the_servers_address(bool ipv6)
    {
        using var topology = new Topology();
        var routing = new TproxyRouting(mark: 1, table: 100);
        TproxyRoutingState state = await routing.EnsureAsync(topology.Router.Namespace);
        state.IsComplete.Should().BeTrue(string.Join("; ", state.Missing));
        topology.Router.NftScript("""
            table inet mangle {
              chain prerouting {
                type filter hook prerouting priority mangle;
                ip daddr 10.0.2.2 tcp dport 80 tproxy ip to :8080 meta mark set 1 accept
                ip6 daddr fd02::2 tcp dport 80 tproxy ip6 to :8080 meta mark set 1 accept
              }
            }
            """);
        var target = new IPEndPoint(IPAddress.Parse(ipv6 ? "fd02::2" : "10.0.2.2"), 80);
        using Socket listener = Connections.Listen(topology.Router, new IPEndPoint(ipv6 ? IPAddress.IPv6Any : IPAddress.Any, 8080), transparent: true);
        TransparentSocket.IsEnabled(listener).Should().BeTrue();

        (Socket client, Socket accepted) = await Connections.ConnectAsync(topology.Client, target, listener);
        using (client)
        using (accepted)
        {
            ((IPEndPoint)accepted.LocalEndPoint!).Should().Be(target, "the proxy answers as the server");
            ((IPEndPoint)accepted.RemoteEndPoint!).Address.Should().Be(IPAddress.Parse(ipv6 ? "fd01::2" : "10.0.1.2"));
            ((IPEndPoint)client.RemoteEndPoint!).Should().Be(target);
        }
    }

    [NativeFact]
    public async Task Without_the_policy_routing_the_transparent_listener_gets_nothing()
    {
        // The control experiment: same tproxy rule and listener, no fwmark rule or local route.
        using var topology = new Topology();
        topology.Router.NftScript("""
            table inet mangle {
              chain prerouting {
                type filter hook prerouting priority mangle;
                ip daddr 10.0.2.2 tcp dport 80 tproxy ip to :8080 meta mark set 1 accept
              }
            }
            """);
        using Socket listener = Connections.Listen(topology.Router, new IPEndPoint(IPAddress.Any, 8080), transparent: true);
        using Socket client = topology.Client.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        Func<Task> connect = async () => await client.ConnectAsync(new IPEndPoint(IPAddress.Parse("10.0.2.2"), 80), cts.Token);
        // The router does not forward and nothing delivers the packet locally: the SYN is dropped.
        await connect.Should().ThrowAsync<Exception>();
        listener.Poll(0, SelectMode.SelectRead).Should().BeFalse("no connection reached the listener");
    }

    [NativeFact]
    public void A_process_without_CAP_NET_ADMIN_cannot_make_a_transparent_socket()
    {
        using var ns = new TestNamespace("tproxy");
        string self = typeof(Program).Assembly.Location;
        Tool.Result result = ns.Exec("setpriv", "--bounding-set=-net_admin,-net_raw", "--inh-caps=-net_admin,-net_raw",
            "dotnet", self, "child", "transparent-socket");
        result.ExitCode.Should().Be(1, result.StandardError + result.StandardOutput);
        result.StandardError.Should().Contain("NetfilterException: EPERM").And.Contain("CAP_NET_ADMIN or CAP_NET_RAW");
        Tool.Result allowed = ns.Exec("dotnet", self, "child", "transparent-socket");
        allowed.ExitCode.Should().Be(0, allowed.StandardError);
    }
}
