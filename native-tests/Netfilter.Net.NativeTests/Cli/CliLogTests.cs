using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Conntrack;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NativeTests.Nat;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Cli;

/// <summary>
/// Issue 16: the <c>nfnet log</c> process itself, as an operator runs it, with real traffic: two
/// clients through two forwards give exactly one JSON line per connection, with the rule, client,
/// public port, target and the byte and packet counts <c>conntrack -L -o extended</c> shows, and
/// Ctrl-C ends it with exit 0.
/// </summary>
public sealed class CliLogTests
{
    private const string Ssh = "dnat tcp 2222 to 10.0.2.2:22 masquerade";
    private const string Web = "dnat tcp 3000 to 10.0.2.2:80 masquerade";

    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [NativeFact]
    public async Task Nfnet_log_json_prints_one_line_per_connection_with_the_rule_client_and_the_bytes_conntrack_counted()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        topo.Client.Ip("addr", "add", "10.0.1.3/24", "dev", "eth0");
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var ssh = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "ssh");
        ssh.Extra = _ => new string('s', 1500);
        using var web = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 80), "web");
        web.Extra = _ => new string('w', 4000);
        using (var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace, FlushConntrackOnChange = false }))
        {
            await nat.ApplyAsync(new[] { NatRuleParser.Parse(Ssh), NatRuleParser.Parse(Web) });
        }
        using var conntrack = new ConntrackClient(topo.Router.Namespace);

        using Process log = Nfnet.Start("log", "--json", "--accounting", "--netns", topo.Router.Name);
        var output = new List<JsonElement>();
        try
        {
            JsonElement started = await NextAsync(log, output);
            started.GetProperty("type").GetString().Should().Be("started");
            started.GetProperty("table").GetString().Should().Be("nfnet");
            started.GetProperty("accounting").GetBoolean().Should().BeTrue("--accounting turned nf_conntrack_acct on in the router");
            new SysctlClient(topo.Router.Namespace).Read(SysctlKey.Parse("net.netfilter.nf_conntrack_acct")).Should().Be("1");

            var plan = new (string Client, int Port, int Send)[] { ("10.0.1.2", 2222, 100), ("10.0.1.3", 2222, 700), ("10.0.1.2", 3000, 2000), ("10.0.1.3", 3000, 9000) };
            var exchanges = new List<(IPEndPoint Client, int Port)>();
            foreach ((string client, int port, int send) in plan)
            {
                (IPEndPoint local, int received) = NatAccessLogTests.Exchange(topo.Client, Ep(client, 0), Ep("10.0.1.1", port), send);
                received.Should().BeGreaterThan(port == 2222 ? 1500 : 4000);
                exchanges.Add((local, port));
            }
            // Closed both ways: in TIME_WAIT no packet moves again, so the oracle's counters are final.
            await NatAccessLogTests.WaitAsync(async () => (await conntrack.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Tcp })).Count(e => e.TcpState == TcpConntrackState.TimeWait) == 4,
                "the four connections reach TIME_WAIT");
            List<ConntrackToolLine> oracle = ConntrackOracle.List(topo.Router, "-p", "tcp");
            oracle.Should().HaveCount(4);
            topo.Router.Check("conntrack", "-D", "-p", "tcp");

            var records = new List<JsonElement>();
            while (records.Count < 4)
            {
                JsonElement line = await NextAsync(log, output);
                line.GetProperty("type").GetString().Should().Be("connection", "nothing was lost: " + line);
                records.Add(line);
            }
            Nfnet.Signal(log, "INT");
            await log.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            log.ExitCode.Should().Be(0, "Ctrl-C is how a log ends: " + await log.StandardError.ReadToEndAsync());
            string rest = await log.StandardOutput.ReadToEndAsync();
            rest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeEmpty("exactly one line per connection");

            foreach ((IPEndPoint client, int port) in exchanges)
            {
                JsonElement record = records.Single(r => r.GetProperty("client").GetString() == client.Address.ToString() && r.GetProperty("clientPort").GetInt32() == client.Port);
                ConntrackToolLine line = oracle.Single(l => l.Original["sport"] == client.Port.ToString(CultureInfo.InvariantCulture));
                string why = $"{client} -> {port}: {record}";
                record.GetProperty("id").GetUInt32().Should().Be(line.Id!.Value, why);
                record.GetProperty("protocol").GetString().Should().Be("tcp", why);
                record.GetProperty("rule").GetString().Should().Be(port == 2222 ? Ssh : Web, why);
                record.GetProperty("publicAddress").GetString().Should().Be("10.0.1.1", why);
                record.GetProperty("publicPort").GetInt32().Should().Be(port, why);
                record.GetProperty("target").GetString().Should().Be("10.0.2.2", why);
                record.GetProperty("targetPort").GetInt32().Should().Be(port == 2222 ? 22 : 80, why);
                record.GetProperty("clientPackets").GetUInt64().Should().Be(ulong.Parse(line.Original["packets"], CultureInfo.InvariantCulture), why);
                record.GetProperty("clientBytes").GetUInt64().Should().Be(ulong.Parse(line.Original["bytes"], CultureInfo.InvariantCulture), why);
                record.GetProperty("serverPackets").GetUInt64().Should().Be(ulong.Parse(line.Reply["packets"], CultureInfo.InvariantCulture), why);
                record.GetProperty("serverBytes").GetUInt64().Should().Be(ulong.Parse(line.Reply["bytes"], CultureInfo.InvariantCulture), why);
                record.GetProperty("wasOpen").GetBoolean().Should().BeFalse(why);
            }
        }
        finally
        {
            if (!log.HasExited)
            {
                Nfnet.TrySignal(log, "KILL");
                log.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
    }

    /// <summary>The next JSON line nfnet prints (at most 30 s), kept in <paramref name="output"/>.</summary>
    private static async Task<JsonElement> NextAsync(Process log, List<JsonElement> output)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line = await log.StandardOutput.ReadLineAsync(timeout.Token);
        line.Should().NotBeNull("nfnet log ended early: " + (log.HasExited ? await log.StandardError.ReadToEndAsync() : "(still running)"));
        using JsonDocument document = JsonDocument.Parse(line!);
        JsonElement element = document.RootElement.Clone();
        output.Add(element);
        return element;
    }
}
