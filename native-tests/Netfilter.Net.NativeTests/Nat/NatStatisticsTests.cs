using System.Net;
using System.Text.Json;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Cli;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.Sockets;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// Issue 16 item 1: every typed rule counts the connections it translates, read back typed
/// (<see cref="NatTable.ListStatisticsAsync"/>) and by <c>nfnet list --stats</c>, with real
/// connections: N connections through a forward give it N, and the other forwards keep theirs.
/// nft's own listing of the same counters is the oracle.
/// </summary>
public sealed class NatStatisticsTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    // A TCP SYN from Linux with its default options (mss, sack, timestamps, window scaling): 20 bytes
    // of IPv4 header, 20 of TCP header, 20 of options. nat chains see only that first packet.
    private const ulong SynBytes = 60;

    private static readonly NatRule MapForward = NatRuleParser.Parse("dnat tcp 2222 to 10.0.2.2:22 masquerade");
    private static readonly NatRule OtherMapForward = NatRuleParser.Parse("dnat tcp 2223 to 10.0.2.2:22 masquerade");
    private static readonly NatRule RuleForward = NatRuleParser.Parse("dnat tcp 3000 to 10.0.2.2:22 from 10.0.1.0/24 masquerade");
    private static readonly NatRule Redirect = NatRuleParser.Parse("redirect tcp 80 to 8080");
    private static readonly NatRule Snat = NatRuleParser.Parse("snat oif wan to 10.0.2.1");

    [NativeFact]
    public async Task N_connections_through_a_forward_count_N_and_the_other_forwards_keep_their_counts()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var proxy = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 8080), "proxy");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace, FlushConntrackOnChange = false });
        await nat.ApplyAsync(new[] { MapForward, OtherMapForward, RuleForward, Redirect, Snat });
        (await CountsAsync(nat)).Values.Should().OnlyContain(c => c.Item1 == 0 && c.Item2 == 0, "nothing has passed yet");

        Connect(topo, 2222, 3, "server local=10.0.2.2:22 remote=10.0.2.1:");
        await ExpectAsync(nat, topo, (MapForward, 3));

        Connect(topo, 3000, 2, "server local=10.0.2.2:22 remote=10.0.2.1:");
        Connect(topo, 80, 4, "proxy local=10.0.1.1:8080 ");
        for (int i = 0; i < 2; i++)
        {
            Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 22)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:", "routed, and snat on the way out");
        }
        await ExpectAsync(nat, topo, (MapForward, 3), (RuleForward, 2), (Redirect, 4), (Snat, 2));

        // A change that leaves a rule's pieces alone leaves its counter alone.
        NatRule added = NatRuleParser.Parse("dnat tcp 2224 to 10.0.2.2:22 masquerade");
        (await nat.AddAsync(added)).Should().BeTrue();
        Connect(topo, 2224, 1, "server local=10.0.2.2:22 remote=10.0.2.1:");
        await ExpectAsync(nat, topo, (MapForward, 3), (RuleForward, 2), (Redirect, 4), (Snat, 2), (added, 1));

        // nfnet list --stats, text and JSON, says the same.
        Tool.Result text = Nfnet.In(topo.Router, "list", "--stats");
        text.ExitCode.Should().Be(0, text.StandardError);
        text.StandardOutput.Should().Contain("dnat tcp 2222 to 10.0.2.2:22 masquerade  # 3 connections (180 bytes)\n")
            .And.Contain("dnat tcp 2223 to 10.0.2.2:22 masquerade  # 0 connections (0 bytes)\n")
            .And.Contain("redirect tcp 80 to 8080  # 4 connections (240 bytes)\n");
        Nfnet.In(topo.Router, "list").StandardOutput.Should().NotContain("#", "without --stats the output is the rules alone");
        JsonElement json = Nfnet.Json(Nfnet.In(topo.Router, "list", "--stats", "--json"));
        JsonElement forward = json.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("text").GetString() == MapForward.ToString());
        forward.GetProperty("packets").GetUInt64().Should().Be(3);
        forward.GetProperty("bytes").GetUInt64().Should().Be(3 * SynBytes);
        forward.GetProperty("counts").GetString().Should().Be("connections");
        Nfnet.Json(Nfnet.In(topo.Router, "list", "--json")).GetProperty("rules")[0].TryGetProperty("packets", out _).Should().BeFalse("counters only with --stats");
    }

    [NativeFact]
    public async Task A_tproxy_rule_counts_every_packet_it_diverts()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        var tproxy = NatRuleParser.Parse("tproxy tcp 443 to :8443 mark 0x1");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace, FlushConntrackOnChange = false });
        await nat.ApplyAsync(new[] { tproxy });
        await new TproxyRouting(mark: 1, table: 100, family: NetfilterFamily.IPv4).EnsureAsync(topo.Router.Namespace);
        using var proxy = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 8443), "proxy", transparent: true);
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 443)).Should().StartWith("proxy local=10.0.2.2:443 ");
        NatRuleStatistics statistics = (await nat.ListStatisticsAsync()).Single();
        statistics.CountsConnections.Should().BeFalse();
        statistics.Packets.Should().BeGreaterThan(1, "a filter chain sees every packet of the connection, not only its first");
        Counter(topo, "tcp dport 443 counter packets ").Should().Be(statistics.Packets, "nft reads the same counter");
    }

    private static void Connect(Topology topo, int port, int count, string banner)
    {
        for (int i = 0; i < count; i++)
        {
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", port)).Should().StartWith(banner, $"connection {i + 1} to port {port}");
        }
    }

    private static async Task<Dictionary<string, (ulong?, ulong?)>> CountsAsync(NatTable nat) =>
        (await nat.ListStatisticsAsync()).ToDictionary(s => s.Rule.ToString(), s => (s.Packets, s.Bytes));

    /// <summary>Each listed rule counted exactly its connections (SYNs), every other rule none, and nft agrees.</summary>
    private static async Task ExpectAsync(NatTable nat, Topology topo, params (NatRule Rule, ulong Connections)[] expected)
    {
        Dictionary<string, (ulong?, ulong?)> counts = await CountsAsync(nat);
        foreach ((string rule, (ulong? packets, ulong? bytes)) in counts)
        {
            ulong n = expected.Where(e => e.Rule.ToString() == rule).Select(e => e.Connections).SingleOrDefault();
            (packets, bytes).Should().Be(((ulong?)n, (ulong?)(n * SynBytes)), $"'{rule}' translated {n} connections");
        }
        foreach ((NatRule rule, ulong n) in expected)
        {
            // The map forwards' elements, as nft lists them: "tcp . 2222 counter packets 3 bytes 180 comment ...".
            if (rule is DnatRule { Sources.Count: 0 } d)
            {
                Counter(topo, $"tcp . {d.Ports!.Value.First} counter packets ").Should().Be(n, $"nft reads {rule}'s element counter");
            }
        }
    }

    /// <summary>The packets of the first counter nft lists after <paramref name="prefix"/>.</summary>
    private static ulong? Counter(Topology topo, string prefix)
    {
        string listing = topo.Router.Nft("list", "table", "inet", "nfnet");
        int at = listing.IndexOf(prefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        string rest = listing[(at + prefix.Length)..];
        return ulong.Parse(rest[..rest.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }
}
