using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Cli;

/// <summary>nfnet conntrack list|delete|watch|stats on real forwarded connections, checked against conntrack(8).</summary>
public sealed class CliConntrackTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    private static Topology ForwardedTopology(out Traffic.Server server)
    {
        var topo = new Topology(serverRoutesViaRouter: false);
        try
        {
            topo.Router.Check("sysctl", "-qw", "net.ipv4.ip_forward=1");
            server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
            Nfnet.In(topo.Router, "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22", "--masquerade").ExitCode.Should().Be(0);
            return topo;
        }
        catch
        {
            topo.Dispose();
            throw;
        }
    }

    /// <summary>
    /// SCTP entries in every state conntrack(8) can create, made by conntrack -I (the oracle), and
    /// listed by nfnet in text and JSON with the state word conntrack -L prints for each.
    /// </summary>
    [NativeFact]
    public void List_shows_an_sctp_entrys_state_as_conntrack_does()
    {
        using var ns = new TestNamespace();
        string[] states = { "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED", "SHUTDOWN_SENT", "SHUTDOWN_RECD", "SHUTDOWN_ACK_SENT" };
        for (int i = 0; i < states.Length; i++)
        {
            ns.Check("conntrack", "-I", "-p", "sctp", "-s", "10.0.0.1", "-d", $"10.0.1.{i + 1}", "--sport", "1000", "--dport", "2000",
                "--state", states[i], "-t", "100", "--orig-vtag", "1", "--reply-vtag", "2");
        }
        string oracle = ns.Check("conntrack", "-L", "-p", "sctp");
        foreach (string state in states)
        {
            oracle.Should().Contain($" {state} src=", "conntrack -L prints the state it was given");
        }

        string text = Nfnet.In(ns, "conntrack", "list", "--proto", "sctp").StandardOutput;
        JsonElement list = Nfnet.Json(Nfnet.In(ns, "conntrack", "list", "--proto", "sctp", "--json"));
        for (int i = 0; i < states.Length; i++)
        {
            text.Should().Contain($"sctp 10.0.0.1:1000 -> 10.0.1.{i + 1}:2000 {states[i]} timeout ");
            list.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("original").GetProperty("destination").GetString() == $"10.0.1.{i + 1}")
                .GetProperty("state").GetString().Should().Be(states[i]);
        }
    }

    [NativeFact]
    public void List_shows_the_translation_and_delete_removes_the_matching_entries()
    {
        using Topology topo = ForwardedTopology(out Traffic.Server server);
        using (server)
        {
            string? banner = Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222));
            banner.Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:");
            int clientPort = int.Parse(banner!.Split(':').Last(), System.Globalization.CultureInfo.InvariantCulture);

            JsonElement list = Nfnet.Json(Nfnet.In(topo.Router, "conntrack", "list", "--proto", "tcp", "--dport", "2222", "--json"));
            list.GetProperty("namespace").GetString().Should().Be(topo.Router.Name);
            JsonElement entry = list.GetProperty("entries").EnumerateArray().Single();
            entry.GetProperty("family").GetString().Should().Be("ipv4");
            entry.GetProperty("protocol").GetString().Should().Be("tcp");
            entry.GetProperty("original").GetProperty("source").GetString().Should().Be("10.0.1.2");
            entry.GetProperty("original").GetProperty("destinationPort").GetInt32().Should().Be(2222);
            entry.GetProperty("reply").GetProperty("source").GetString().Should().Be("10.0.2.2");
            entry.GetProperty("status").EnumerateArray().Select(s => s.GetString()).Should().Contain(new[] { "SEEN_REPLY", "DST_NAT", "SRC_NAT" });
            JsonElement nat = entry.GetProperty("translation");
            nat.GetProperty("originalDestination").GetString().Should().Be("10.0.1.1:2222");
            nat.GetProperty("translatedDestination").GetString().Should().Be("10.0.2.2:22");
            nat.GetProperty("translatedSource").GetString().Should().Be($"10.0.2.1:{clientPort}");
            nat.GetProperty("destinationTranslated").GetBoolean().Should().BeTrue();
            nat.GetProperty("sourceTranslated").GetBoolean().Should().BeTrue();

            // The oracle sees the same connection.
            topo.Router.Check("conntrack", "-L", "-p", "tcp", "--orig-port-dst", "2222").Should().Contain("dst=10.0.1.1").And.Contain("src=10.0.2.2");

            Tool.Result text = Nfnet.In(topo.Router, "conntrack", "list", "--dst", "10.0.1.1");
            text.ExitCode.Should().Be(0);
            text.StandardOutput.Should().Contain("tcp 10.0.1.2:").And.Contain("-> 10.0.1.1:2222 was sent to 10.0.2.2:22 from 10.0.2.1:");

            JsonElement stats = Nfnet.Json(Nfnet.In(topo.Router, "conntrack", "stats", "--json"));
            stats.GetProperty("entries").GetUInt32().Should().BeGreaterThanOrEqualTo(1);
            stats.GetProperty("max").GetUInt32().Should().BeGreaterThan(0);
            stats.GetProperty("cpus").GetInt32().Should().BeGreaterThan(0);

            Nfnet.In(topo.Router, "conntrack", "delete").ShouldFail(2)[0].Should().Contain("needs at least one of --proto");
            Nfnet.In(topo.Router, "conntrack", "delete", "--proto", "tcp", "--dport", "2222").StandardOutput.Should().StartWith("deleted 1 entry");
            Nfnet.Json(Nfnet.In(topo.Router, "conntrack", "list", "--dport", "2222", "--json")).GetProperty("entries").GetArrayLength().Should().Be(0);
            topo.Router.Exec("conntrack", "-L", "-p", "tcp", "--orig-port-dst", "2222").StandardOutput.Should().NotContain("dport=2222");
        }
    }

    [NativeFact]
    public async Task Watch_prints_new_connections_as_json_lines_and_ends_on_ctrl_c_with_exit_0()
    {
        using Topology topo = ForwardedTopology(out Traffic.Server server);
        using (server)
        {
            using Process watch = Nfnet.Start("conntrack", "watch", "--json", "--dport", "2222", "--netns", topo.Router.Name);
            try
            {
                string? first = await watch.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                first.Should().NotBeNull(watch.HasExited ? watch.StandardError.ReadToEnd() : "no output");
                JsonDocument.Parse(first!).RootElement.GetProperty("type").GetString().Should().Be("snapshot", "a watch starts with the table as it is");

                Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server ");
                JsonElement? created = null;
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                while (created is null)
                {
                    string? line = await watch.StandardOutput.ReadLineAsync(deadline.Token);
                    line.Should().NotBeNull();
                    JsonElement e = JsonDocument.Parse(line!).RootElement.Clone();
                    e.GetProperty("type").GetString().Should().BeOneOf("new", "update", "destroy");
                    if (e.GetProperty("type").GetString() == "new")
                    {
                        created = e;
                    }
                }
                created.Value.GetProperty("entry").GetProperty("original").GetProperty("destinationPort").GetInt32().Should().Be(2222);
                created.Value.GetProperty("entry").GetProperty("translation").GetProperty("translatedDestination").GetString().Should().Be("10.0.2.2:22");
            }
            finally
            {
                if (!watch.HasExited)
                {
                    Nfnet.Signal(watch, "INT");
                }
            }
            await watch.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            watch.ExitCode.Should().Be(0, "Ctrl-C is how a watch ends");
        }
    }
}
