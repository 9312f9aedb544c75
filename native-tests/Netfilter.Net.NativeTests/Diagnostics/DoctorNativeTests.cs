using System.Net;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;
using Netfilter.Net.Cli.Output;

namespace Netfilter.Net.NativeTests.Diagnostics;

/// <summary>
/// Each doctor check triggered in namespaces set up to show it, proven with real traffic where
/// the problem breaks connections, and silent once the cause is fixed. The router's table is
/// "nfnet", the CLI's default.
/// </summary>
public sealed class DoctorNativeTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    private static Task<IReadOnlyList<DoctorFinding>> Diagnose(TestNamespace ns, int? port = null) =>
        Doctor.RunAsync(new DoctorOptions { Namespace = ns.Namespace, Port = port });

    private static NatTable Nat(TestNamespace ns) => new("nfnet", new NatTableOptions { Namespace = ns.Namespace });

    private static string Show(IReadOnlyList<DoctorFinding> findings) => string.Join("\n", findings);

    private static IEnumerable<DoctorFinding> Problems(IReadOnlyList<DoctorFinding> findings) => findings.Where(f => f.Severity >= DoctorSeverity.Warning);

    [NativeFact]
    public async Task A_correct_S2_setup_with_a_redirect_gives_no_warning_or_error()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var proxy = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 8080), "proxy");
        using var nat = Nat(topo.Router);
        await nat.ApplyAsync(new NatRule[]
        {
            new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true),
            new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080),
        });
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22", "the setup works");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().StartWith("proxy local=10.0.1.1:8080");

        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        Problems(findings).Should().BeEmpty(Show(findings));
        (await Diagnose(topo.Router, port: 2222)).Should().BeEmpty();
    }

    [NativeFact]
    public async Task Forwarding_off_is_an_error_until_forwarding_is_enabled()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var nat = Nat(topo.Router);
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true) });
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().BeNull("the router does not forward");

        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        DoctorFinding finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.ForwardingOff, Show(findings)).Subject;
        finding.Severity.Should().Be(DoctorSeverity.Error);
        finding.Problem.Should().Contain("IPv4 forwarding is off").And.Contain("net.ipv4.ip_forward");
        FixCommands.Render(finding).Should().Contain($"nfnet forwarding on --netns {topo.Router.Name}").And.Contain("Forwarding.Enable(NetfilterFamily.IPv4");
        finding.Rule.Should().Be("dnat tcp 2222 to 10.0.2.2:22 masquerade");

        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server ");
        Problems(await Diagnose(topo.Router)).Should().BeEmpty();
    }

    [NativeFact]
    public async Task IPv6_forwarding_is_checked_for_ipv6_forwards()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var nat = Nat(topo.Router);
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("fd02::2"), PortRange.Single(22), masquerade: true) });
        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        FixCommands.Render(findings.Should().ContainSingle(f => f.Code == DoctorCodes.ForwardingOff, Show(findings)).Subject)
            .Should().Contain("nfnet forwarding on --ipv6");
        Forwarding.Enable(NetfilterFamily.IPv6, topo.Router.Namespace);
        Problems(await Diagnose(topo.Router)).Should().BeEmpty();
    }

    [NativeFact]
    public async Task A_forward_without_masquerade_to_a_server_that_does_not_route_back_is_a_warning_then_an_error_once_conntrack_shows_it()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var nat = Nat(topo.Router);
        var forward = new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22));
        await nat.ApplyAsync(new NatRule[] { forward });

        // No connection yet: the heuristic alone, a warning.
        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        DoctorFinding finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.NoReturnPath, Show(findings)).Subject;
        finding.Severity.Should().Be(DoctorSeverity.Warning);
        finding.Problem.Should().Contain("leaving through wan");
        finding.Why.Should().Contain("10.0.2.2 is on the network of wan");
        FixCommands.Render(finding).Should().Contain("nfnet forward add --proto tcp --port 2222 --to 10.0.2.2:22 --masquerade").And.Contain("nfnet masquerade add --oif wan");

        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().BeNull("the server's replies go nowhere: it has no route to the client");
        findings = await Diagnose(topo.Router);
        finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.NoReturnPath, Show(findings)).Subject;
        finding.Severity.Should().Be(DoctorSeverity.Error, "conntrack shows a connection that never saw a reply");
        finding.Problem.Should().Contain("conntrack shows 1 connection of this forward that never saw a reply");

        // The fix the finding names: a masquerade on the way out.
        await nat.ApplyAsync(new NatRule[] { forward, new MasqueradeRule("wan") });
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:");
        Problems(await Diagnose(topo.Router)).Should().BeEmpty();
    }

    [NativeFact]
    public async Task A_forward_without_masquerade_whose_replies_conntrack_has_seen_is_silent()
    {
        using var topo = new Topology(serverRoutesViaRouter: true);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var nat = Nat(topo.Router);
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22)) });
        (await Diagnose(topo.Router)).Should().ContainSingle(f => f.Code == DoctorCodes.NoReturnPath, "the doctor cannot see the server's routes yet");

        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.1.2:", "the server routes back through the router");
        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        Problems(findings).Should().BeEmpty(Show(findings));
    }

    [NativeFact]
    public async Task A_masquerade_in_another_table_covers_the_forward()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var nat = Nat(topo.Router);
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22)) });
        topo.Router.Check("iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:");
        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        Problems(findings).Should().BeEmpty(Show(findings));
    }

    [NativeFact]
    public async Task A_forward_to_loopback_needs_route_localnet_on_the_ingress_interface()
    {
        using var topo = new Topology();
        using var local = Traffic.StartTcp(topo.Router, Ep("127.0.0.1", 9000), "loopback-service");
        using var nat = Nat(topo.Router);
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(8080), IPAddress.Parse("127.0.0.1"), PortRange.Single(9000), inputInterface: "lan") });
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 8080)).Should().BeNull("the kernel drops the translated packet as a martian");

        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        DoctorFinding finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.RouteLocalnetOff, Show(findings)).Subject;
        finding.Severity.Should().Be(DoctorSeverity.Error);
        finding.Why.Should().Contain("CVE-2020-8558");
        FixCommands.Render(finding).Should().Contain($"nfnet sysctl set net.ipv4.conf.lan.route_localnet 1 --netns {topo.Router.Name}").And.Contain("RouteLocalnet.Enable(\"lan\"");
        Problems(findings).Should().ContainSingle("a local target does not need forwarding, and 9000 is listening");

        RouteLocalnet.Enable("lan", topo.Router.Namespace);
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 8080)).Should().StartWith("loopback-service local=127.0.0.1:9000");
        Problems(await Diagnose(topo.Router)).Should().BeEmpty();

        RouteLocalnet.Enable("all", topo.Router.Namespace);
        findings = await Diagnose(topo.Router);
        findings.Should().ContainSingle(f => f.Code == DoctorCodes.RouteLocalnetExposed, Show(findings))
            .Which.Severity.Should().Be(DoctorSeverity.Warning);
    }

    [NativeFact]
    public async Task Without_an_interface_the_forward_to_loopback_names_the_candidates()
    {
        using var topo = new Topology();
        using var nat = Nat(topo.Router);
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(8080), IPAddress.Parse("127.0.0.1"), PortRange.Single(9000)) });
        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        findings.Should().Contain(f => f.Code == DoctorCodes.RouteLocalnetOff && f.Problem.Contains("lan") && f.Problem.Contains("wan"), Show(findings));
        findings.Should().Contain(f => f.Code == DoctorCodes.TargetNotListening && f.Problem.Contains("tcp port 9000 for 127.0.0.1"), Show(findings));
    }

    [NativeFact]
    public async Task A_forward_to_ipv6_loopback_is_an_error()
    {
        using var ns = new TestNamespace();
        using var nat = Nat(ns);
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(8080), IPAddress.IPv6Loopback, PortRange.Single(9000)) });
        IReadOnlyList<DoctorFinding> findings = await Diagnose(ns);
        findings.Should().Contain(f => f.Code == DoctorCodes.ForwardToIPv6Loopback && f.Severity == DoctorSeverity.Error, Show(findings));
    }

    [NativeFact]
    public async Task A_redirect_to_a_port_nothing_listens_on_is_an_error_until_the_service_starts()
    {
        using var topo = new Topology();
        using var nat = Nat(topo.Router);
        await nat.ApplyAsync(new NatRule[] { new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080) });
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().BeNull();

        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        DoctorFinding finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.TargetNotListening, Show(findings)).Subject;
        finding.Severity.Should().Be(DoctorSeverity.Error);
        finding.Problem.Should().Be($"nothing listens on tcp port 8080 in namespace {topo.Router.Name}, where 'redirect tcp 80 to 8080' redirects connections.");

        using (Traffic.StartTcp(topo.Router, Ep("127.0.0.1", 8080), "loopback-only"))
        {
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().BeNull("redirect delivers to 10.0.1.1, which a socket on 127.0.0.1 does not accept");
            findings = await Diagnose(topo.Router);
            findings.Should().ContainSingle(f => f.Code == DoctorCodes.TargetListensOnLoopbackOnly, Show(findings))
                .Which.Problem.Should().Contain("tcp 127.0.0.1:8080");
        }
        using (Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 8080), "proxy"))
        {
            Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 80)).Should().StartWith("proxy ");
            Problems(await Diagnose(topo.Router)).Should().BeEmpty();
        }
    }

    [NativeFact]
    public async Task A_forward_to_an_address_of_this_host_checks_the_listener_and_udp_too()
    {
        using var topo = new Topology();
        using var nat = Nat(topo.Router);
        // The target is the router's own lan address (a UDP server bound to 0.0.0.0 answers from the
        // address the route to the client picks, and conntrack matches the reply only if that is the target).
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Both, PortRange.Single(53), IPAddress.Parse("10.0.1.1"), PortRange.Single(5353)) });
        using var udp = Traffic.StartUdp(topo.Router, Ep("0.0.0.0", 5353), "dns");
        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        findings.Should().ContainSingle(f => f.Code == DoctorCodes.TargetNotListening, Show(findings))
            .Which.Problem.Should().StartWith("nothing listens on tcp port 5353 for 10.0.1.1");
        findings.Should().NotContain(f => f.Code == DoctorCodes.ForwardingOff, "the target is this host");
        Traffic.UdpRequest(topo.Client, Ep("10.0.1.1", 53)).Should().StartWith("dns ");
    }

    [NativeFact]
    public async Task A_public_port_held_by_a_local_process_is_a_warning_naming_the_process()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var holder = Traffic.StartTcp(topo.Router, Ep("0.0.0.0", 2222), "local-sshd");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("local-sshd ");
        using var nat = Nat(topo.Router);
        await nat.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true) });
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server ", "the forward takes the port over");

        IReadOnlyList<DoctorFinding> findings = await Diagnose(topo.Router);
        DoctorFinding finding = findings.Should().ContainSingle(f => f.Code == DoctorCodes.PublicPortInUse, Show(findings)).Subject;
        finding.Severity.Should().Be(DoctorSeverity.Warning);
        finding.Problem.Should().Contain($"(pid {Environment.ProcessId}) listens on tcp 0.0.0.0:2222");
        (await Diagnose(topo.Router, port: 22)).Should().ContainSingle(f => f.Code == DoctorCodes.NoRuleForPort, "port 22 is only the target");
    }
}
