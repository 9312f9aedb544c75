using System.Globalization;
using System.Net;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sockets;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// The client, router and server of <see cref="Topology"/>, set up so that every rule of
/// <see cref="ModelRuleSpace"/> can be proven with a real connection:
/// <code>
///   client 10.0.1.2 fd01::2 ── lan 10.0.1.1 fd01::1  router  wan 10.0.2.1 fd02::1 ── server 10.0.2.2 10.0.2.3 fd02::2
///                                     (snat addresses 10.0.4.100/.101, fd04::100/::101 on lo)   (+ 10.0.2.5, fd02::5: a host beside it)
/// </code>
/// The server does not route back to the client's network: only a source translation brings its
/// replies home, unless a probe adds the route (only when the prediction says the server sees an
/// untranslated client address). The server answers TCP on every address and UDP on 10.0.2.2 and
/// 10.0.2.3, on ports 22, 23, 80-90 and 9000; the router answers redirects on 8080 and 8081 and
/// has transparent listeners on 8443 with policy routes for marks 1 and 2; forwarding is on.
/// </summary>
internal sealed class ModelNetwork : IDisposable
{
    public static readonly IPAddress ClientV4 = IPAddress.Parse("10.0.1.2");
    public static readonly IPAddress ClientV6 = IPAddress.Parse("fd01::2");
    public static readonly IPAddress BesideV4 = IPAddress.Parse("10.0.2.5");
    public static readonly IPAddress BesideV6 = IPAddress.Parse("fd02::5");
    public static readonly IPAddress LanV4 = IPAddress.Parse("10.0.1.1");
    public static readonly IPAddress LanV6 = IPAddress.Parse("fd01::1");
    public static readonly IPAddress ServerV4 = IPAddress.Parse("10.0.2.2");
    public static readonly IPAddress ServerV6 = IPAddress.Parse("fd02::2");

    private static readonly IPAddress[] RouterAddresses = new[] { "10.0.1.1", "10.0.2.1", "10.0.4.100", "10.0.4.101", "127.0.0.1", "fd01::1", "fd02::1", "fd04::100", "fd04::101", "::1" }
        .Select(IPAddress.Parse).ToArray();

    private static readonly int[] ServerPorts = new[] { 22, 23, 9000 }.Concat(Enumerable.Range(80, 11)).ToArray();
    private static readonly IPAddress[] UdpServerAddresses = { IPAddress.Parse("10.0.2.2"), IPAddress.Parse("10.0.2.3") };

    private readonly List<Traffic.Server> _servers = new();
    private NftShell? _nft;

    public ModelNetwork()
    {
        Topology = new Topology(serverRoutesViaRouter: false);
        try
        {
            TestNamespace router = Topology.Router, server = Topology.Server;
            // SNAT addresses on the router's loopback, on networks of their own that the server routes
            // to the router: so masquerade's choice on wan stays the one address wan has per family.
            foreach (string a in new[] { "10.0.4.100/32", "10.0.4.101/32" })
            {
                router.Ip("addr", "add", a, "dev", "lo");
            }
            foreach (string a in new[] { "fd04::100/128", "fd04::101/128" })
            {
                router.Ip("-6", "addr", "add", a, "dev", "lo", "nodad");
            }
            server.Ip("route", "add", "10.0.4.0/24", "via", "10.0.2.1");
            server.Ip("-6", "route", "add", "fd04::/64", "via", "fd02::1");
            foreach (string a in new[] { "10.0.2.3/24", "10.0.2.5/24" })
            {
                server.Ip("addr", "add", a, "dev", "eth0");
            }
            server.Ip("-6", "addr", "add", "fd02::5/64", "dev", "eth0", "nodad");
            Forwarding.Enable(NetfilterFamily.IPv4, router.Namespace);
            Forwarding.Enable(NetfilterFamily.IPv6, router.Namespace);
            new TproxyRouting(mark: 1, table: 100).EnsureAsync(router.Namespace).GetAwaiter().GetResult();
            new TproxyRouting(mark: 2, table: 101).EnsureAsync(router.Namespace).GetAwaiter().GetResult();
            foreach (int port in ServerPorts)
            {
                _servers.Add(Traffic.StartTcp(server, new IPEndPoint(IPAddress.Any, port), "server"));
                _servers.Add(Traffic.StartTcp(server, new IPEndPoint(IPAddress.IPv6Any, port), "server"));
                foreach (IPAddress address in UdpServerAddresses)
                {
                    _servers.Add(Traffic.StartUdp(server, new IPEndPoint(address, port), "server"));
                }
            }
            foreach (int port in new[] { 8080, 8081 })
            {
                _servers.Add(Traffic.StartTcp(router, new IPEndPoint(IPAddress.Any, port), "redirect"));
                _servers.Add(Traffic.StartTcp(router, new IPEndPoint(IPAddress.IPv6Any, port), "redirect"));
                _servers.Add(Traffic.StartUdp(router, new IPEndPoint(IPAddress.Any, port), "redirect"));
            }
            _servers.Add(Traffic.StartTcp(router, new IPEndPoint(IPAddress.Any, 8443), "tproxy", transparent: true));
            _servers.Add(Traffic.StartTcp(router, new IPEndPoint(IPAddress.IPv6Any, 8443), "tproxy", transparent: true));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public Topology Topology { get; }

    public TestNamespace Router => Topology.Router;

    /// <summary>A long-lived <c>nft -j -i</c> in the router: the oracle read after every model step.</summary>
    public NftShell RouterNft => _nft ??= new NftShell(Router);

    public static bool IsRouterAddress(IPAddress address) => RouterAddresses.Contains(address);

    public static IPAddress WanAddress(bool v6) => IPAddress.Parse(v6 ? "fd02::1" : "10.0.2.1");

    public static IPNetwork ServerNetwork(bool v6) => IPNetwork.Parse(v6 ? "fd02::/64" : "10.0.2.0/24");

    public static IPNetwork ClientNetwork(bool v6) => IPNetwork.Parse(v6 ? "fd01::/64" : "10.0.1.0/24");

    /// <summary>The source Linux gives the router's own connection: the destination itself when it is the router's, else the address of the interface toward it.</summary>
    public static IPAddress RouterSourceFor(IPAddress destination)
    {
        if (IsRouterAddress(destination))
        {
            return destination;
        }
        bool v6 = ModelRule.IsV6(destination);
        return ModelConflicts.Contains(ClientNetwork(v6), destination) ? IPAddress.Parse(v6 ? "fd01::1" : "10.0.1.1") : WanAddress(v6);
    }

    public static bool ServerListens(bool udp, IPAddress address, int port) =>
        ServerPorts.Contains(port) && (udp ? UdpServerAddresses.Contains(address) : ModelConflicts.Contains(ServerNetwork(ModelRule.IsV6(address)), address) && !address.Equals(BesideV4) && !address.Equals(BesideV6));

    /// <summary>Makes the connection and returns the answer line (<c>NAME local=ADDR:PORT remote=ADDR:PORT</c>), or null when nothing answered in time.</summary>
    public string? Connect(Probe probe, bool routeBack)
    {
        bool route = routeBack || probe.From == ProbeFrom.Beside;
        string[] add = probe.V6 ? new[] { "-6", "route", "add", "fd01::/64", "via", "fd02::1" } : new[] { "route", "add", "10.0.1.0/24", "via", "10.0.2.1" };
        if (route)
        {
            Topology.Server.Ip(add);
        }
        try
        {
            var target = new IPEndPoint(probe.Destination, probe.Port);
            TestNamespace from = probe.From switch
            {
                ProbeFrom.Client => Topology.Client,
                ProbeFrom.Router => Topology.Router,
                _ => Topology.Server,
            };
            if (probe.Udp)
            {
                return Traffic.UdpRequest(from, target);
            }
            return Traffic.TcpRequest(from, target, probe.From == ProbeFrom.Beside ? new IPEndPoint(probe.Source, 0) : null);
        }
        finally
        {
            if (route)
            {
                add[Array.IndexOf(add, "add")] = "del";
                Topology.Server.Ip(add);
            }
        }
    }

    /// <summary>Null when <paramref name="answer"/> is what <paramref name="prediction"/> says; otherwise what differs.</summary>
    public static string? Judge(Prediction prediction, string? answer)
    {
        if (prediction.Answerer is null)
        {
            return answer is null ? null : $"expected no answer ({prediction.Why}), got '{answer}'";
        }
        if (answer is null)
        {
            return $"expected {prediction.Answerer} to answer ({prediction.Why}), nothing did";
        }
        // NAME local=ADDR:PORT remote=ADDR:PORT
        string[] parts = answer.Split(' ');
        if (parts.Length < 3 || !parts[1].StartsWith("local=", StringComparison.Ordinal) || !parts[2].StartsWith("remote=", StringComparison.Ordinal))
        {
            return $"unreadable answer '{answer}'";
        }
        var local = IPEndPoint.Parse(parts[1]["local=".Length..]);
        var remote = IPEndPoint.Parse(parts[2]["remote=".Length..]);
        if (parts[0] != prediction.Answerer)
        {
            return $"expected {prediction.Answerer} to answer ({prediction.Why}), got '{answer}'";
        }
        if (prediction.AnyPortOf is (int first, int last))
        {
            if (prediction.Local is not null && (!prediction.Local.Address.Equals(local.Address) || local.Port < first || local.Port > last))
            {
                return $"expected the answer from {prediction.Local.Address} on a port of {first.ToString(CultureInfo.InvariantCulture)}-{last.ToString(CultureInfo.InvariantCulture)} ({prediction.Why}), got '{answer}'";
            }
        }
        else if (prediction.Local is not null && !prediction.Local.Equals(local))
        {
            return $"expected the answer from {prediction.Local} ({prediction.Why}), got '{answer}'";
        }
        if (prediction.LocalPort is int port && local.Port != port)
        {
            return $"expected the answer from port {port.ToString(CultureInfo.InvariantCulture)} ({prediction.Why}), got '{answer}'";
        }
        if (prediction.Remote is not null && !prediction.Remote.Contains(remote.Address))
        {
            return $"expected the answering side to see {string.Join(" or ", prediction.Remote)} ({prediction.Why}), got '{answer}'";
        }
        return null;
    }

    public void Dispose()
    {
        _nft?.Dispose();
        foreach (Traffic.Server server in _servers)
        {
            server.Dispose();
        }
        Topology.Dispose();
    }
}
