using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sockets;

namespace Netfilter.Net.KernelSuite.Checks;

/// <summary>TPROXY end to end, the fwmark policy routing it needs (rtnetlink rules and routes), and listening sockets over sock_diag.</summary>
internal static class SocketChecks
{
    public static IEnumerable<Check> All()
    {
        yield return new("routing.tproxy", "rtnetlink: fwmark rule and local route made, read back and removed (ip rule/ip route agree)", RoutingAsync);
        yield return new("tproxy.traffic", "TPROXY: a NatTable tproxy rule, policy routing and a transparent listener take a forwarded connection", TproxyAsync);
        yield return new("sockdiag.listening", "NETLINK_SOCK_DIAG: listening TCP and UDP sockets, as /proc/net agrees", SockDiagAsync);
    }

    private static async Task<string> RoutingAsync()
    {
        using var ns = new TestNamespace("rt");
        var routing = new TproxyRouting(mark: 1, table: 100);
        TproxyRoutingState state = await routing.EnsureAsync(ns.Namespace);
        Expect.That(state.IsComplete, "complete after Ensure: " + string.Join("; ", state.Missing));
        string rules = ns.Ip("rule", "show"), rules6 = ns.Ip("-6", "rule", "show");
        Expect.That(rules.Contains("from all fwmark 0x1 lookup 100", StringComparison.Ordinal) && rules6.Contains("from all fwmark 0x1 lookup 100", StringComparison.Ordinal), $"ip rule shows the fwmark rules:\n{rules}{rules6}");
        string routes = ns.Ip("route", "show", "table", "100");
        Expect.That(routes.Trim() == "local default dev lo scope host", $"ip route shows the local route: {routes}");
        TproxyRoutingState again = await routing.EnsureAsync(ns.Namespace);
        Expect.That(again.Rules.Count == 2 && again.Routes.Count == 2, $"a second Ensure adds nothing: {again.Rules.Count} rules, {again.Routes.Count} routes");
        await routing.RemoveAsync(ns.Namespace);
        Expect.That(!ns.Ip("rule", "show").Contains("fwmark", StringComparison.Ordinal) && ns.Ip("route", "show", "table", "100").Trim().Length == 0, "Remove cleared the rule and the route");
        return $"{state.Rules.Count} rules, {state.Routes.Count} routes made, read back, removed";
    }

    private static async Task<string> TproxyAsync()
    {
        using var topology = new Topology();
        TestNamespace router = topology.Router;
        TproxyRoutingState state = await new TproxyRouting(mark: 1, table: 100).EnsureAsync(router.Namespace);
        Expect.That(state.IsComplete, "policy routing complete");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new TproxyRule(TransportProtocol.Tcp, PortRange.Single(443), 8443, mark: 1) });
        using Socket listener = router.Namespace.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            TransparentSocket.Enable(s);
            s.Bind(new IPEndPoint(IPAddress.Any, 8443));
            s.Listen(4);
            return s;
        });
        Expect.That(TransparentSocket.IsEnabled(listener), "IP_TRANSPARENT reads back on");
        using Socket client = topology.Client.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var target = new IPEndPoint(IPAddress.Parse("10.0.2.2"), 443);
        Task connect = client.ConnectAsync(target, cts.Token).AsTask();
        using Socket accepted = await listener.AcceptAsync(cts.Token);
        await connect;
        Expect.That(target.Equals(accepted.LocalEndPoint), $"the proxy's accepted socket is the server's address: {accepted.LocalEndPoint}");
        Expect.That(((IPEndPoint)accepted.RemoteEndPoint!).Address.Equals(IPAddress.Parse("10.0.1.2")), $"the client's own address: {accepted.RemoteEndPoint}");
        return $"client -> {target} accepted by the router's transparent listener as {accepted.LocalEndPoint}";
    }

    private static async Task<string> SockDiagAsync()
    {
        using var ns = new TestNamespace("sd");
        using Socket tcp = ns.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        tcp.Bind(new IPEndPoint(IPAddress.Loopback, 9001));
        tcp.Listen(1);
        using Socket tcp6 = ns.Namespace.Run(() => new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp));
        tcp6.DualMode = false;
        tcp6.Bind(new IPEndPoint(IPAddress.IPv6Any, 9002));
        tcp6.Listen(1);
        using Socket udp = ns.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        udp.Bind(new IPEndPoint(IPAddress.Any, 9003));
        IReadOnlyList<ListeningSocket> listening = await ListeningSockets.ListAsync(ns.Namespace);
        string ours = string.Join(" ", listening.Select(s => $"{(s.Protocol == ProtocolType.Tcp ? "tcp" : "udp")}:{s.LocalEndPoint.Port}").OrderBy(s => s, StringComparer.Ordinal));
        string proc = string.Join(" ", ProcNet(ns).OrderBy(s => s, StringComparer.Ordinal));
        Expect.That(ours == proc, $"sock_diag lists {ours}; /proc/net lists {proc}");
        Expect.That(await ListeningSockets.IsListeningAsync(ProtocolType.Tcp, 9001, IPAddress.Loopback, ns.Namespace), "9001 is listening on loopback");
        Expect.That(!await ListeningSockets.IsListeningAsync(ProtocolType.Tcp, 9004, null, ns.Namespace), "nothing listens on 9004");
        return ours;
    }

    /// <summary>Listening TCP (state 0A) and bound UDP ports from /proc/net/{tcp,tcp6,udp,udp6} inside the namespace.</summary>
    private static IEnumerable<string> ProcNet(TestNamespace ns)
    {
        foreach ((string file, string proto, string? state) in new[] { ("tcp", "tcp", "0A"), ("tcp6", "tcp", "0A"), ("udp", "udp", (string?)null), ("udp6", "udp", null) })
        {
            foreach (string line in ns.Check("cat", $"/proc/net/{file}").Split('\n').Skip(1))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 3 && (state is null || f[3] == state))
                {
                    yield return $"{proto}:{int.Parse(f[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)}";
                }
            }
        }
    }
}
