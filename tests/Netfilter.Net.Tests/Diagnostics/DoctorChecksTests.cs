using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Routing;
using Netfilter.Net.Sockets;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Sysctl;
using static Netfilter.Net.Tests.Diagnostics.DoctorRulesets;

namespace Netfilter.Net.Tests.Diagnostics;

/// <summary>The checks as pure functions of the facts: the heuristics, the port scope, the texts.</summary>
public sealed class DoctorChecksTests
{
    private static readonly IPAddress Server = IPAddress.Parse("10.0.2.2");

    private static readonly DnatRule Forward = new(TransportProtocol.Tcp, PortRange.Single(2222), Server, PortRange.Single(22));

    private static Dictionary<IPAddress, RouteLookup?> ServerOnWan() => new() { [Server] = Route("10.0.2.2", "wan") };

    private static IReadOnlyList<DoctorFinding> Diagnose(DoctorRulesets rulesets, Func<DoctorFacts, DoctorFacts>? adjust = null) =>
        Doctor.Diagnose(rulesets.Facts(f => adjust is null ? new DoctorFacts(f.Table, f.Ruleset) { NamespaceName = f.NamespaceName, TableExists = f.TableExists, Rules = f.Rules, MissingLayout = f.MissingLayout, Forwarding = f.Forwarding, Routes = ServerOnWan() } : adjust(f)));

    private static DoctorFacts With(DoctorFacts f, ForwardingStatus? forwarding = null, IReadOnlyList<ListeningSocket>? listening = null, Dictionary<IPAddress, RouteLookup?>? routes = null, int? port = null, bool? routeLocalnetAll = null, Dictionary<string, bool>? routeLocalnet = null, Dictionary<string, ReplyEvidence>? evidence = null) =>
        new(f.Table, f.Ruleset)
        {
            NamespaceName = f.NamespaceName,
            TableExists = f.TableExists,
            Rules = f.Rules,
            MissingLayout = f.MissingLayout,
            Forwarding = forwarding ?? f.Forwarding,
            Listening = listening ?? f.Listening,
            Routes = routes ?? ServerOnWan(),
            Port = port,
            RouteLocalnetAll = routeLocalnetAll,
            RouteLocalnet = routeLocalnet ?? new Dictionary<string, bool>(),
            SocketOwner = inode => inode == 4242 ? "sshd (pid 812)" : null,
            ReplyEvidence = evidence ?? new Dictionary<string, ReplyEvidence>(),
        };

    private static ListeningSocket Tcp(string address, int port, ulong inode = 0) => new(ProtocolType.Tcp, new IPEndPoint(IPAddress.Parse(address), port)) { Inode = inode };

    [Fact]
    public void A_masqueraded_forward_with_forwarding_on_is_silent()
    {
        var forward = new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), Server, PortRange.Single(22), masquerade: true);
        Diagnose(new DoctorRulesets().WithNatTable(forward)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("masquerade oif wan", false)]
    [InlineData("masquerade", false)]
    [InlineData("snat oif wan to 10.0.2.1", false)]
    [InlineData("masquerade oif lan", true)]
    [InlineData("masquerade oif wan from 10.0.1.0/24", true)]
    [InlineData("snat oif wan to fd02::1", true)]
    public void The_return_path_heuristic_reads_the_output_interface_sources_and_family(string other, bool warns)
    {
        IReadOnlyList<DoctorFinding> findings = Diagnose(new DoctorRulesets().WithNatTable(Forward, NatRuleParser.Parse(other)));
        findings.Any(f => f.Code == DoctorCodes.NoReturnPath).Should().Be(warns, string.Join("\n", findings));
    }

    [Fact]
    public void A_masquerade_whose_sources_contain_the_forwards_clients_covers_it()
    {
        var limited = new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), Server, PortRange.Single(22), sources: new[] { IPNetwork.Parse("10.0.1.0/25") });
        Diagnose(new DoctorRulesets().WithNatTable(limited, NatRuleParser.Parse("masquerade oif wan from 10.0.1.0/24"))).Should().NotContain(f => f.Code == DoctorCodes.NoReturnPath);
    }

    [Fact]
    public void The_return_path_warning_names_a_gateway_when_the_server_is_not_directly_connected()
    {
        IReadOnlyList<DoctorFinding> findings = Diagnose(new DoctorRulesets().WithNatTable(Forward), f => With(f, routes: new() { [Server] = Route("10.0.2.2", "wan", gateway: "10.0.9.1") }));
        findings.Single(f => f.Code == DoctorCodes.NoReturnPath).Why.Should().Contain("reached through the gateway 10.0.9.1");
    }

    [Theory]
    [InlineData(0, 0, DoctorSeverity.Warning)]
    [InlineData(0, 3, DoctorSeverity.Error)]
    [InlineData(1, 3, null)]
    public void Conntrack_evidence_decides_the_return_path_finding(int replied, int unreplied, DoctorSeverity? expected)
    {
        var evidence = new Dictionary<string, ReplyEvidence> { [Forward.ToString()] = new ReplyEvidence(replied, unreplied) };
        DoctorFinding? finding = Diagnose(new DoctorRulesets().WithNatTable(Forward), f => With(f, evidence: evidence)).SingleOrDefault(f => f.Code == DoctorCodes.NoReturnPath);
        finding?.Severity.Should().Be(expected);
        (finding is null).Should().Be(expected is null);
        if (expected == DoctorSeverity.Error)
        {
            finding!.Problem.Should().EndWith("conntrack shows 3 connections of this forward that never saw a reply, and none that did.");
        }
    }

    [Fact]
    public void Forwarding_is_checked_per_family_and_not_for_local_targets()
    {
        DoctorFinding finding = IPv6ForwardingOff();
        finding.Problem.Should().StartWith("IPv6 forwarding is off in namespace router (net.ipv6.conf.all.forwarding = 0)");
        finding.Fixes.Should().Equal(new EnableForwardingFix(NetfilterFamily.IPv6) { NamespaceName = "router" });
        finding.Fix.Should().Be("turn IPv6 forwarding on in namespace router (Forwarding.Enable(NetfilterFamily.IPv6, NetworkNamespace.FromName(\"router\"))).");
    }

    /// <summary>The one forwarding finding for a v4 forward (forwarding on), a v6 one (off) and a local one (also shown as nfnet writes it: Cli/FixCommandsTests).</summary>
    internal static DoctorFinding IPv6ForwardingOff()
    {
        var v6 = new DnatRule(TransportProtocol.Tcp, PortRange.Single(2223), IPAddress.Parse("fd02::2"), masquerade: true);
        var local = new DnatRule(TransportProtocol.Tcp, PortRange.Single(2224), IPAddress.Parse("10.0.1.1"), PortRange.Single(22));
        var routes = new Dictionary<IPAddress, RouteLookup?>
        {
            [Server] = Route("10.0.2.2", "wan"),
            [IPAddress.Parse("fd02::2")] = Route("fd02::2", "wan", source: "fd02::1"),
            [IPAddress.Parse("10.0.1.1")] = LocalRoute("10.0.1.1"),
        };
        var masqueraded = new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), Server, PortRange.Single(22), masquerade: true);
        IReadOnlyList<DoctorFinding> findings = Diagnose(new DoctorRulesets().WithNatTable(masqueraded, v6, local),
            f => With(f, forwarding: new ForwardingStatus(IPv4: true, IPv6: false), routes: routes, listening: new[] { Tcp("0.0.0.0", 22) }));
        return findings.Should().ContainSingle(f => f.Code == DoctorCodes.ForwardingOff).Subject;
    }

    [Fact]
    public void Where_proc_sys_is_read_only_the_forwarding_fix_is_the_container_level_one()
    {
        DoctorFinding finding = ForwardingOffWhereSysctlsAreReadOnly();
        finding.Fixes.Should().Equal(new EnableForwardingFix(NetfilterFamily.IPv4) { NamespaceName = "router" });
        finding.Fix.Should().Be(
            "/proc/sys is read-only here (a container that is not privileged), so turn IPv4 forwarding on in namespace router (Forwarding.Enable(NetfilterFamily.IPv4, NetworkNamespace.FromName(\"router\"))) would fail: "
            + "set net.ipv4.ip_forward=1 when the container starts (docker run --sysctl net.ipv4.ip_forward=1, or the pod's securityContext.sysctls), or on the host if this is the host's namespace.");
    }

    /// <summary>The forwarding finding where /proc/sys is read-only (also shown as nfnet writes it: Cli/FixCommandsTests).</summary>
    internal static DoctorFinding ForwardingOffWhereSysctlsAreReadOnly()
    {
        IReadOnlyList<DoctorFinding> findings = Diagnose(new DoctorRulesets().WithNatTable(Forward),
            f => new DoctorFacts(f.Table, f.Ruleset)
            {
                NamespaceName = f.NamespaceName,
                TableExists = f.TableExists,
                Rules = f.Rules,
                MissingLayout = f.MissingLayout,
                Forwarding = new ForwardingStatus(false, false),
                Routes = ServerOnWan(),
                SysctlsReadOnly = true
            });
        return findings.Should().ContainSingle(f => f.Code == DoctorCodes.ForwardingOff).Subject;
    }

    [Fact]
    public void No_route_to_the_target_is_an_error()
    {
        IReadOnlyList<DoctorFinding> findings = Diagnose(new DoctorRulesets().WithNatTable(Forward), f => With(f, routes: new() { [Server] = null }));
        findings.Should().ContainSingle(f => f.Code == DoctorCodes.TargetUnreachable).Which.Severity.Should().Be(DoctorSeverity.Error);
    }

    [Fact]
    public void Route_localnet_on_the_ingress_interface_is_enough_and_on_all_is_a_warning()
    {
        var loop = new DnatRule(TransportProtocol.Tcp, PortRange.Single(8080), IPAddress.Loopback, PortRange.Single(9000), inputInterface: "lan");
        var routes = new Dictionary<IPAddress, RouteLookup?> { [IPAddress.Loopback] = LocalRoute("127.0.0.1") };
        ListeningSocket[] listening = { Tcp("127.0.0.1", 9000) };
        Diagnose(new DoctorRulesets().WithNatTable(loop), f => With(f, routes: routes, listening: listening, routeLocalnetAll: false, routeLocalnet: new() { ["lan"] = true, ["wan"] = false }))
            .Should().BeEmpty();
        Diagnose(new DoctorRulesets().WithNatTable(loop), f => With(f, routes: routes, listening: listening, routeLocalnetAll: false, routeLocalnet: new() { ["lan"] = false, ["wan"] = true }))
            .Should().ContainSingle(f => f.Code == DoctorCodes.RouteLocalnetOff).Which.Problem.Should().Contain("interface lan");
        Diagnose(new DoctorRulesets().WithNatTable(loop), f => With(f, routes: routes, listening: listening, routeLocalnetAll: true))
            .Should().ContainSingle().Which.Code.Should().Be(DoctorCodes.RouteLocalnetExposed);
    }

    [Fact]
    public void A_redirects_target_listening_only_on_loopback_is_a_warning_and_a_held_public_port_names_its_owner()
    {
        var redirect = new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080);
        IReadOnlyList<DoctorFinding> findings = Diagnose(new DoctorRulesets().WithNatTable(redirect), f => With(f, listening: new[] { Tcp("127.0.0.1", 8080), Tcp("0.0.0.0", 80, inode: 4242) }));
        findings.Select(f => f.Code).Should().BeEquivalentTo(DoctorCodes.TargetListensOnLoopbackOnly, DoctorCodes.PublicPortInUse);
        findings.Single(f => f.Code == DoctorCodes.PublicPortInUse).Problem.Should().Be("sshd (pid 812) listens on tcp 0.0.0.0:80: a public port that 'redirect tcp 80 to 8080' takes over.");
    }

    [Fact]
    public void A_dual_stack_listener_serves_a_redirect_and_a_loopback_only_holder_of_the_public_port_is_no_conflict()
    {
        var redirect = new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080);
        ListeningSocket dual = new(ProtocolType.Tcp, new IPEndPoint(IPAddress.IPv6Any, 8080)) { IsDualStack = true };
        Diagnose(new DoctorRulesets().WithNatTable(redirect), f => With(f, listening: new[] { dual, Tcp("127.0.0.1", 80) })).Should().BeEmpty();
    }

    [Fact]
    public void Port_narrows_the_checks_to_the_rules_of_that_public_port()
    {
        var redirect = new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080);
        var range = new RedirectRule(TransportProtocol.Udp, new PortRange(5000, 5100), 9999);
        DoctorRulesets rulesets = new DoctorRulesets().WithNatTable(redirect, range);
        Diagnose(rulesets, f => With(f)).Select(f => f.Rule).Should().BeEquivalentTo(redirect.ToString(), range.ToString());
        Diagnose(rulesets, f => With(f, port: 80)).Should().ContainSingle().Which.Rule.Should().Be(redirect.ToString());
        Diagnose(rulesets, f => With(f, port: 5050)).Should().ContainSingle().Which.Rule.Should().Be(range.ToString());
        Diagnose(rulesets, f => With(f, port: 443)).Should().ContainSingle().Which.Code.Should().Be(DoctorCodes.NoRuleForPort);
    }

    [Fact]
    public void Findings_are_sorted_errors_first()
    {
        var redirect = new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080);
        IReadOnlyList<DoctorFinding> findings = Diagnose(new DoctorRulesets().WithNatTable(Forward, redirect), f => With(f, forwarding: new ForwardingStatus(false, false), listening: new[] { Tcp("0.0.0.0", 80, 4242) }));
        findings.Select(f => f.Severity).Should().BeInDescendingOrder();
        findings.Select(f => f.Code).Should().Contain(new[] { DoctorCodes.ForwardingOff, DoctorCodes.TargetNotListening, DoctorCodes.NoReturnPath, DoctorCodes.PublicPortInUse });
    }

    [Fact]
    public async Task Options_are_validated_before_anything_is_read()
    {
        (await FluentActions.Awaiting(() => Doctor.RunAsync(new DoctorOptions { Table = "no spaces" })).Should().ThrowAsync<ArgumentException>().WithParameterName("options"))
            .Which.Message.Should().Contain("DoctorOptions.Table");
        (await FluentActions.Awaiting(() => Doctor.RunAsync(new DoctorOptions { Port = 0 })).Should().ThrowAsync<ArgumentException>().WithParameterName("options"))
            .Which.Message.Should().Contain("DoctorOptions.Port");
    }

    [Fact]
    public void A_tproxy_rule_needs_its_transparent_listener_and_is_shadowed_by_an_earlier_raw_drop()
    {
        var tproxy = new TproxyRule(TransportProtocol.Tcp, PortRange.Single(443), 8443, 1);
        Diagnose(new DoctorRulesets().WithNatTable(tproxy), f => With(f)).Should().ContainSingle()
            .Which.Problem.Should().Be("nothing listens on tcp port 8443 in namespace router, where 'tproxy tcp 443 to :8443 mark 0x1' hands connections (tproxy).");

        NftExpression[] drop = Concat(L4Proto(6), DestinationPort(443), new[] { Verdict(global::Netfilter.Net.NfTables.Verdict.Drop) });
        IReadOnlyList<DoctorFinding> findings = Diagnose(
            new DoctorRulesets().WithNatTable(tproxy).WithBaseChain(NetfilterFamily.Inet, "guard", "raw", ChainHooks.Prerouting, ChainPriorities.Raw, rules: new[] { drop }),
            f => With(f, listening: new[] { Tcp("0.0.0.0", 8443) }));
        DoctorFinding shadowed = findings.Should().ContainSingle().Subject;
        shadowed.Code.Should().Be(DoctorCodes.RuleShadowed);
        shadowed.Severity.Should().Be(DoctorSeverity.Error);
        shadowed.Why.Should().Contain("priority -300, ours (table inet nfnet chain tproxy_rules) -150");
    }
}
