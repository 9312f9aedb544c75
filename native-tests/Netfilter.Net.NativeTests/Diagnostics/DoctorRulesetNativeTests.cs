using System.Net;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;
using Netfilter.Net.Cli.Output;

namespace Netfilter.Net.NativeTests.Diagnostics;

/// <summary>
/// The checks that read the whole ruleset: rules of ours shadowed by earlier rules, chains or
/// tables (nft and iptables-nft), translated connections dropped by a firewall, and the table's
/// own state. Each is proven with real traffic where it breaks connections.
/// </summary>
public sealed class DoctorRulesetNativeTests
{
    private static readonly DnatRule Forward = new(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true);

    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    private static Task<IReadOnlyList<DoctorFinding>> Diagnose(TestNamespace ns) => Doctor.RunAsync(new DoctorOptions { Namespace = ns.Namespace });

    private static string Show(IReadOnlyList<DoctorFinding> findings) => string.Join("\n", findings);

    /// <summary>A working S2 forward: router forwarding, server on 22, our table forwarding 2222 with masquerade.</summary>
    private static async Task<(Topology Topo, Traffic.Server Server, NatTable Nat)> WorkingForwardAsync()
    {
        var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        Traffic.Server server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { Forward });
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server ", "the forward works before anything else is added");
        return (topo, server, nat);
    }

    [NativeFact]
    public async Task A_nat_chain_of_another_table_at_a_lower_priority_shadows_our_forward()
    {
        (Topology topo, Traffic.Server server, NatTable nat) = await WorkingForwardAsync();
        using (topo) using (server) using (nat)
        using (var decoy = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 7000), "decoy"))
        {
            topo.Router.NftScript("table ip early { chain pre { type nat hook prerouting priority -150; tcp dport 2222 redirect to :7000; }\n}\n");
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("decoy ", "the earlier chain translates first");

            IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
            DoctorFinding finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.RuleShadowed, Show(findings)).Subject;
            finding.Severity.Should().Be(DoctorSeverity.Error);
            finding.Rule.Should().Be(Forward.ToString());
            finding.Problem.Should().Contain("table ip early chain pre handle").And.Contain("tcp dport 2222").And.Contain("redirect");
            finding.Why.Should().Contain("priority -150, ours (table inet nfnet chain prerouting) -100");
            finding.Fix.Should().MatchRegex(@"nft delete rule ip early pre handle \d+");

            topo.Router.Nft("delete", "table", "ip", "early");
            (await Diagnose(topo.Router)).Where(f => f.Severity >= DoctorSeverity.Warning).Should().BeEmpty();
        }
    }

    [NativeFact]
    public async Task An_iptables_raw_drop_is_found_and_an_iptables_dnat_at_the_same_priority_is_a_possibility()
    {
        (Topology topo, Traffic.Server server, NatTable nat) = await WorkingForwardAsync();
        using (topo) using (server) using (nat)
        {
            topo.Router.Check("iptables", "-t", "nat", "-A", "PREROUTING", "-p", "tcp", "--dport", "2222", "-j", "DNAT", "--to-destination", "10.0.2.2:23");
            IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
            DoctorFinding same = findings.Should().ContainSingle(f => f.Code == DoctorCodes.RuleShadowed, Show(findings)).Subject;
            same.Severity.Should().Be(DoctorSeverity.Warning, "both chains have priority -100: registration order decides");
            same.Problem.Should().Contain("table ip nat chain PREROUTING").And.Contain("iptables DNAT");
            same.Why.Should().Contain("order they were registered");

            topo.Router.Check("iptables", "-t", "raw", "-A", "PREROUTING", "-p", "tcp", "--dport", "2222", "-j", "DROP");
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().BeNull("raw drops it before any NAT");
            findings = await Diagnose(topo.Router);
            DoctorFinding drop = findings.Should().ContainSingle(f => f.Code == DoctorCodes.RuleShadowed, Show(findings)).Subject;
            drop.Severity.Should().Be(DoctorSeverity.Error);
            drop.Problem.Should().Contain("table ip raw chain PREROUTING").And.Contain("drop");
        }
    }

    [NativeTheory]
    [InlineData("tcp dport vmap { 22 : accept, 2222 : drop }", "drop")]
    [InlineData("tcp dport { 2000-3000 } reject", "reject")]
    [InlineData("meta l4proto . th dport { tcp . 2222, udp . 53 } drop", "drop")]
    public async Task Sets_interval_sets_concatenations_and_verdict_maps_of_a_filter_chain_are_read(string rule, string action)
    {
        (Topology topo, Traffic.Server server, NatTable nat) = await WorkingForwardAsync();
        using (topo) using (server) using (nat)
        {
            topo.Router.NftScript($"table inet guard {{ chain pre {{ type filter hook prerouting priority raw; {rule}; }}\n}}\n");
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().BeNull();
            IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
            DoctorFinding finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.RuleShadowed, Show(findings)).Subject;
            finding.Severity.Should().Be(DoctorSeverity.Error);
            finding.Problem.Should().Contain("table inet guard chain pre").And.Contain(action);
        }
    }

    [NativeFact]
    public async Task A_drop_with_conditions_the_doctor_does_not_evaluate_is_a_warning()
    {
        (Topology topo, Traffic.Server server, NatTable nat) = await WorkingForwardAsync();
        using (topo) using (server) using (nat)
        {
            topo.Router.NftScript("table inet guard { chain pre { type filter hook prerouting priority raw; ip saddr 10.0.1.3 tcp dport 2222 drop; }\n}\n");
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server ", "the client is 10.0.1.2");
            IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
            DoctorFinding finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.RuleShadowed, Show(findings)).Subject;
            finding.Severity.Should().Be(DoctorSeverity.Warning);
            finding.Problem.Should().Contain("ip saddr");
        }
    }

    [NativeFact]
    public async Task A_base_chain_with_policy_drop_before_ours_is_found_and_accepting_the_port_silences_it()
    {
        (Topology topo, Traffic.Server server, NatTable nat) = await WorkingForwardAsync();
        using (topo) using (server) using (nat)
        {
            topo.Router.NftScript("table inet guard { chain pre { type filter hook prerouting priority raw; policy drop; }\n}\n");
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().BeNull();
            IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
            findings.Should().ContainSingle(f => f.Code == DoctorCodes.RuleShadowed && f.Severity == DoctorSeverity.Error, Show(findings))
                .Which.Problem.Should().Contain("the policy drop of table inet guard chain pre");

            topo.Router.Nft("add", "rule", "inet", "guard", "pre", "tcp", "dport", "2222", "accept");
            findings = await Diagnose(topo.Router);
            findings.Should().NotContain(f => f.Code == DoctorCodes.RuleShadowed, Show(findings));
        }
    }

    [NativeFact]
    public async Task Two_rules_of_a_layout_1_table_on_the_same_port_the_redirect_map_wins()
    {
        // NatTable refuses two rules that claim the same packets (issue 9); a table written in
        // layout 1, before that, can still hold them, and the doctor says which one wins.
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var proxy = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 8080), "proxy");
        var forward = new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse("10.0.2.2"), masquerade: true);
        var redirect = new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080);
        using (var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace }))
        {
            await FluentActions.Awaiting(() => nat.ApplyAsync(new NatRule[] { forward, redirect })).Should().ThrowAsync<ArgumentException>();
        }
        topo.Router.NftScript("""
            table inet nfnet {
              comment "nfnet NAT table nfnet"
              map redirect_pre { type inet_proto . inet_service : inet_service; elements = { tcp . 80 comment "redirect tcp 80 to 8080" : 8080 } }
              map dnat4_pre { type inet_proto . inet_service : ipv4_addr . inet_service; elements = { tcp . 80 comment "dnat tcp 80 to 10.0.2.2 masquerade" : 10.0.2.2 . 80 } }
              chain prerouting { type nat hook prerouting priority dstnat; policy accept;
                meta l4proto { tcp, udp } redirect to : meta l4proto . th dport map @redirect_pre comment "nfnet layout: redirect map @redirect_pre"
                fib daddr type local meta nfproto ipv4 dnat ip to meta l4proto . th dport map @dnat4_pre comment "nfnet layout: dnat map @dnat4_pre"
              }
            }

            """);
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().StartWith("proxy ", "the redirect map is looked up before the forward map");

        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        DoctorFinding finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.RuleShadowed, Show(findings)).Subject;
        finding.Severity.Should().Be(DoctorSeverity.Error);
        finding.Rule.Should().Be(forward.ToString());
        finding.Problem.Should().Contain("map entry redirect tcp 80 to 8080");
        FixCommands.Render(finding).Should().Contain($"nfnet redirect remove --proto tcp --port 80 --to-port 8080 --netns {topo.Router.Name}");
        findings.Should().Contain(f => f.Code == DoctorCodes.TableDrift && f.Severity == DoctorSeverity.Info, "the doctor also says the table is in layout 1");
    }

    [NativeFact]
    public async Task A_forward_chain_with_policy_drop_blocks_the_forward_until_dnat_is_accepted()
    {
        (Topology topo, Traffic.Server server, NatTable nat) = await WorkingForwardAsync();
        using (topo) using (server) using (nat)
        {
            topo.Router.NftScript("table inet fw { chain forward { type filter hook forward priority filter; policy drop; }\n}\n");
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().BeNull();
            IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
            DoctorFinding finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.BlockedAfterTranslation, Show(findings)).Subject;
            finding.Severity.Should().Be(DoctorSeverity.Error);
            finding.Problem.Should().Contain("forward hook").And.Contain("policy drop of table inet fw chain forward");
            finding.Fix.Should().Contain("nft insert rule inet fw forward ct status dnat accept");

            // What the fix says, plus the usual established rule for the replies.
            topo.Router.Nft("add", "rule", "inet", "fw", "forward", "ct", "state", "established,related", "accept");
            topo.Router.Nft("add", "rule", "inet", "fw", "forward", "ct", "status", "dnat", "accept");
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server ");
            findings = await Diagnose(topo.Router);
            findings.Where(f => f.Severity >= DoctorSeverity.Warning).Should().BeEmpty(Show(findings));
        }
    }

    [NativeFact]
    public async Task An_input_firewall_that_accepts_the_public_port_but_not_the_redirect_target_is_found()
    {
        using var topo = new Topology();
        using var proxy = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 8080), "proxy");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080) });
        topo.Router.NftScript("table inet fw { chain input { type filter hook input priority filter; policy drop; ct state established,related accept; tcp dport 80 accept; }\n}\n");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().BeNull("input sees port 8080, which the firewall does not accept");

        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        DoctorFinding finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.BlockedAfterTranslation, Show(findings)).Subject;
        finding.Severity.Should().Be(DoctorSeverity.Error);
        finding.Problem.Should().Contain("tcp port 8080").And.Contain("input hook");

        topo.Router.Nft("add", "rule", "inet", "fw", "input", "tcp", "dport", "8080", "accept");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().StartWith("proxy ");
        findings = await Diagnose(topo.Router);
        findings.Where(f => f.Severity >= DoctorSeverity.Warning).Should().BeEmpty(Show(findings));
    }

    [NativeFact]
    public async Task A_missing_table_is_info_and_a_damaged_layout_is_a_warning()
    {
        using var ns = new TestNamespace();
        IReadOnlyList<DoctorFinding> findings = await Diagnose(ns);
        findings.Should().ContainSingle().Which.Should().Match<DoctorFinding>(f => f.Code == DoctorCodes.TableMissing && f.Severity == DoctorSeverity.Info);

        (Topology topo, Traffic.Server server, NatTable nat) = await WorkingForwardAsync();
        using (topo) using (server) using (nat)
        {
            topo.Router.Nft("flush", "chain", "inet", "nfnet", "prerouting");
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().BeNull("nothing looks the map up any more");
            findings = await Diagnose(topo.Router);
            DoctorFinding finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.TableLayoutIncomplete, Show(findings)).Subject;
            finding.Severity.Should().Be(DoctorSeverity.Warning);
            finding.Problem.Should().Contain("rule \"dnat map @dnat4_pre\" in chain prerouting");

            await nat.ApplyAsync(new NatRule[] { Forward });
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server ", "apply rebuilt the layout, as the fix says");
            (await Diagnose(topo.Router)).Where(f => f.Severity >= DoctorSeverity.Warning).Should().BeEmpty();
        }
    }

    [NativeFact]
    public async Task Without_CAP_NET_ADMIN_the_doctor_reports_it_instead_of_throwing()
    {
        using var ns = new TestNamespace();
        string self = typeof(Program).Assembly.Location;
        Tool.Result denied = ns.Exec("setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin", "dotnet", self, "child", "doctor");
        denied.ExitCode.Should().Be(0, denied.StandardError + denied.StandardOutput);
        denied.StandardOutput.Trim().Should().StartWith("error cap-net-admin-missing: this process may not read or change nftables");

        Tool.Result allowed = ns.Exec("dotnet", self, "child", "doctor");
        allowed.ExitCode.Should().Be(0, allowed.StandardError + allowed.StandardOutput);
        allowed.StandardOutput.Trim().Should().StartWith("info table-missing:");
    }
}
