using System.Net;
using System.Text.Json;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Cli;

/// <summary>
/// redirect, forward, masquerade, snat and tproxy add|remove, and list, each run in the router
/// namespace of a client/router/server topology, proven with real traffic and read back with
/// nft and with <c>nfnet list --json</c>.
/// </summary>
public sealed class CliNatRuleTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [NativeFact]
    public void Redirect_add_list_and_remove_with_real_traffic()
    {
        using var topo = new Topology();
        using var proxy = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 8080), "proxy");

        Tool.Result added = Nfnet.In(topo.Router, "redirect", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--source", "10.0.1.0/24", "--iif", "lan");
        added.ExitCode.Should().Be(0, added.StandardError);
        added.StandardOutput.Should().Be($"added to table inet nfnet of namespace {topo.Router.Name}: redirect tcp 80 to 8080 iif lan from 10.0.1.0/24\n");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().StartWith("proxy local=10.0.1.1:8080 remote=10.0.1.2:");
        topo.Router.Nft("list", "table", "inet", "nfnet").Should().Contain("comment \"redirect tcp 80 to 8080 iif lan from 10.0.1.0/24\"");

        Nfnet.In(topo.Router, "redirect", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--source", "10.0.1.0/24", "--iif", "lan")
            .StandardOutput.Should().StartWith("already in table inet nfnet", "adding the same rule twice changes nothing");

        JsonElement list = Nfnet.Json(Nfnet.In(topo.Router, "list", "--json"));
        list.GetProperty("namespace").GetString().Should().Be(topo.Router.Name);
        list.GetProperty("family").GetString().Should().Be("inet");
        list.GetProperty("table").GetString().Should().Be("nfnet");
        JsonElement rule = list.GetProperty("rules").EnumerateArray().Single();
        rule.GetProperty("kind").GetString().Should().Be("redirect");
        rule.GetProperty("text").GetString().Should().Be("redirect tcp 80 to 8080 iif lan from 10.0.1.0/24");
        rule.GetProperty("protocol").GetString().Should().Be("tcp");
        rule.GetProperty("ports").GetString().Should().Be("80");
        rule.GetProperty("toPort").GetInt32().Should().Be(8080);
        rule.GetProperty("inputInterface").GetString().Should().Be("lan");
        rule.GetProperty("sources").EnumerateArray().Select(s => s.GetString()).Should().Equal("10.0.1.0/24");
        rule.GetProperty("local").GetBoolean().Should().BeFalse();

        Tool.Result removed = Nfnet.In(topo.Router, "redirect", "remove", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--source", "10.0.1.0/24", "--iif", "lan");
        removed.ExitCode.Should().Be(0, removed.StandardError);
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().BeNull("the redirect is gone");
        Nfnet.In(topo.Router, "list").StandardOutput.Should().BeEmpty();

        Nfnet.In(topo.Router, "redirect", "remove", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--source", "10.0.1.0/24", "--iif", "lan")
            .ShouldFail(1)[0].Should().Be($"nfnet: no such rule in table inet nfnet of namespace {topo.Router.Name}: redirect tcp 80 to 8080 iif lan from 10.0.1.0/24 (see 'nfnet list' for what is there)");
    }

    [NativeFact]
    public void Forward_with_masquerade_reaches_a_server_that_does_not_route_back()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        Nfnet.In(topo.Router, "forwarding", "on").ExitCode.Should().Be(0);
        Tool.Result added = Nfnet.In(topo.Router, "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22", "--masquerade", "--table", "fwd");
        added.ExitCode.Should().Be(0, added.StandardError);

        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:", "masquerade makes the server see the router");

        JsonElement rule = Nfnet.Json(Nfnet.In(topo.Router, "list", "--table", "fwd", "--json")).GetProperty("rules").EnumerateArray().Single();
        rule.GetProperty("kind").GetString().Should().Be("forward");
        rule.GetProperty("text").GetString().Should().Be("dnat tcp 2222 to 10.0.2.2:22 masquerade");
        rule.GetProperty("toAddress").GetString().Should().Be("10.0.2.2");
        rule.GetProperty("toPorts").GetString().Should().Be("22");
        rule.GetProperty("masquerade").GetBoolean().Should().BeTrue();
        rule.GetProperty("hairpin").GetBoolean().Should().BeFalse();

        Nfnet.In(topo.Router, "list").StandardOutput.Should().BeEmpty("--table fwd was used, the default table nfnet holds nothing");
        Nfnet.In(topo.Router, "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.9:22", "--table", "fwd")
            .ShouldFail(1)[0].Should().Be($"nfnet: cannot add to table inet fwd of namespace {topo.Router.Name}: dnat tcp 2222 to 10.0.2.9:22; 'dnat tcp 2222 to 10.0.2.2:22 masquerade' is there and they have the same match (dnat ipv4 tcp 2222) with other options: remove it first (see 'nfnet list')");

        Nfnet.In(topo.Router, "forward", "remove", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22", "--masquerade", "--table", "fwd").ExitCode.Should().Be(0);
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().BeNull();
    }

    [NativeFact]
    public void Forward_to_an_ipv6_target_in_brackets()
    {
        using var topo = new Topology();
        using var server = Traffic.StartTcp(topo.Server, Ep("::", 22), "server6");
        Nfnet.In(topo.Router, "forwarding", "on", "--ipv6").ExitCode.Should().Be(0);
        Tool.Result added = Nfnet.In(topo.Router, "forward", "add", "--proto", "both", "--port", "2222", "--to", "[fd02::2]:22");
        added.ExitCode.Should().Be(0, added.StandardError);
        added.StandardOutput.Should().Contain("dnat both 2222 to [fd02::2]:22");
        Traffic.TcpRequest(topo.Client, Ep("fd01::1", 2222)).Should().StartWith("server6 local=[fd02::2]:22 remote=[fd01::2]:");
    }

    [NativeFact]
    public void Masquerade_and_snat_let_the_lan_reach_a_server_without_a_route_back()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        topo.Router.Check("sysctl", "-qw", "net.ipv4.ip_forward=1");
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 80), "internet");
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 80)).Should().BeNull("no route back without NAT");

        Nfnet.In(topo.Router, "masquerade", "add", "--oif", "wan", "--source", "10.0.1.0/24").ExitCode.Should().Be(0);
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 80)).Should().StartWith("internet local=10.0.2.2:80 remote=10.0.2.1:");
        Nfnet.In(topo.Router, "masquerade", "remove", "--oif", "wan", "--source", "10.0.1.0/24").ExitCode.Should().Be(0);

        Nfnet.In(topo.Router, "snat", "add", "--oif", "wan", "--to", "10.0.2.1").ExitCode.Should().Be(0);
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 80)).Should().StartWith("internet local=10.0.2.2:80 remote=10.0.2.1:");
        JsonElement rule = Nfnet.Json(Nfnet.In(topo.Router, "list", "--json")).GetProperty("rules").EnumerateArray().Single();
        rule.GetProperty("kind").GetString().Should().Be("snat");
        rule.GetProperty("outputInterface").GetString().Should().Be("wan");
        rule.GetProperty("toAddress").GetString().Should().Be("10.0.2.1");
        Nfnet.In(topo.Router, "snat", "remove", "--oif", "wan", "--to", "10.0.2.1").ExitCode.Should().Be(0);
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 80)).Should().BeNull();
    }

    [NativeFact]
    public void Tproxy_add_intercepts_passing_traffic_and_sets_up_the_policy_route_remove_takes_both_away()
    {
        using var topo = new Topology();
        topo.Router.Check("sysctl", "-qw", "net.ipv4.ip_forward=1");
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 80), "server");
        using var proxy = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 8080), "proxy", transparent: true);
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 80)).Should().StartWith("server ", "before the rule traffic passes through");

        Tool.Result added = Nfnet.In(topo.Router, "tproxy", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--mark", "0x7");
        added.ExitCode.Should().Be(0, added.StandardError);
        added.StandardOutput.Should().Contain("policy routing: packets marked 0x7 are looked up in table 100");
        topo.Router.Ip("rule", "show").Should().Contain("fwmark 0x7 lookup 100");
        topo.Router.Ip("route", "show", "table", "100").Should().Contain("local default dev lo");
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 80)).Should().StartWith("proxy local=10.0.2.2:80 remote=10.0.1.2:", "the transparent proxy answers for the server's address");

        Nfnet.In(topo.Router, "tproxy", "remove", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--mark", "0x7").ExitCode.Should().Be(0);
        topo.Router.Ip("rule", "show").Should().NotContain("fwmark 0x7");
        topo.Router.Ip("route", "show", "table", "100").Should().BeEmpty();
        Traffic.TcpRequest(topo.Client, Ep("10.0.2.2", 80)).Should().StartWith("server ");
    }

    [NativeFact]
    public void A_tproxy_add_that_is_refused_leaves_no_policy_route_behind()
    {
        using var ns = new TestNamespace();
        Tool.Result first = Nfnet.In(ns, "tproxy", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--mark", "0x7");
        first.ExitCode.Should().Be(0, first.StandardError);

        // The same port with another listener and mark: refused as a conflict, after the route
        // for mark 9 went in first (a TPROXY rule must never be without its route); the refusal
        // takes that route back and leaves mark 7's alone.
        Tool.Result refused = Nfnet.In(ns, "tproxy", "add", "--proto", "tcp", "--port", "80", "--to-port", "9090", "--mark", "0x9");
        refused.ExitCode.Should().Be(1, refused.StandardOutput);
        refused.StandardError.Should().Contain("'tproxy tcp 80 to :8080 mark 0x7' is there");
        ns.Ip("rule", "show").Should().Contain("fwmark 0x7 lookup 100").And.NotContain("fwmark 0x9");
        ns.Ip("route", "show", "table", "100").Should().Contain("local default dev lo");
        Nfnet.In(ns, "list").StandardOutput.Should().NotContain("9090");
    }

    [NativeFact]
    public void A_tproxy_add_whose_policy_route_cannot_go_in_adds_no_rule()
    {
        using var ns = new TestNamespace();
        // Table 100 already routes the default prefix elsewhere: the local route cannot go in.
        ns.Ip("route", "add", "unreachable", "default", "table", "100");

        Tool.Result refused = Nfnet.In(ns, "tproxy", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--mark", "0x7");
        refused.ExitCode.Should().NotBe(0, refused.StandardOutput);
        refused.StandardOutput.Should().NotContain("added", "the route goes in before the rule, so the rule was never sent");
        Nfnet.In(ns, "list").StandardOutput.Should().NotContain("tproxy");
        ns.Nft("list", "ruleset").Should().NotContain("tproxy to");
    }

    [NativeFact]
    public void Without_CAP_NET_ADMIN_the_error_says_so_in_one_line()
    {
        using var ns = new TestNamespace();
        // setpriv drops CAP_NET_ADMIN from the bounding set, so nfnet never has it.
        Nfnet.Wrapped(ns, new[] { "setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin" }, "list")
            .ShouldFail(1)[0].Should().StartWith("nfnet: needs CAP_NET_ADMIN: run as root");
        Nfnet.Wrapped(ns, new[] { "setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin" }, "forward", "add", "--proto", "tcp", "--port", "1", "--to", "10.9.9.9")
            .ShouldFail(1)[0].Should().StartWith("nfnet: needs CAP_NET_ADMIN: run as root");
    }

    [NativeFact]
    public async Task A_table_owned_by_another_process_is_named_when_the_kernel_refuses_a_change()
    {
        using var ns = new TestNamespace();
        string self = typeof(Program).Assembly.Location;
        using var owner = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ip", new[] { "netns", "exec", ns.Name, "dotnet", self, "child", "hold-owned-table", "owned" })
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            (await owner.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))).Should().Be("ready");
            // The operation's description is the library's ("add 1 element(s) of set inet owned dnat4_pre").
            Nfnet.In(ns, "forward", "add", "--proto", "tcp", "--port", "3333", "--to", "10.9.9.9", "--table", "owned").ShouldFail(1)[0]
                .Should().MatchRegex("^nfnet: the kernel refused '[^']*dnat4_pre' \\(EPERM\\): the table belongs to another process \\(an owned table\\), or nfnet lacks CAP_NET_ADMIN; nothing was applied$");
            Nfnet.In(ns, "list", "--table", "owned").StandardOutput.Should().Be("dnat tcp 2222 to 10.9.9.9:22\n", "reading an owned table is allowed");
        }
        finally
        {
            owner.Kill(entireProcessTree: true);
            await owner.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
