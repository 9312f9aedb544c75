using System.Net;
using Netfilter.Net.Cli.Commands;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Contract;
using Netfilter.Net.Nat;
using Netfilter.Net.Tests.Contract;
using Netfilter.Net.Tests.Diagnostics;

namespace Netfilter.Net.Tests.Cli;

/// <summary>nfnet writes each of the doctor's typed fixes as the command that makes it; the library writes the same advice in words.</summary>
public sealed class FixCommandsTests
{
    private static readonly DnatRule Forward = new(TransportProtocol.Tcp, 2222, IPAddress.Parse("10.0.2.2"), 22, masquerade: true);

    [Fact]
    public void Each_fix_is_the_nfnet_command_that_makes_it()
    {
        FixCommands.Command(new SetSysctlFix("net.ipv4.conf.lan.route_localnet", "1") { NamespaceName = "router" })
            .Should().Be("nfnet sysctl set net.ipv4.conf.lan.route_localnet 1 --netns router");
        FixCommands.Command(new EnableForwardingFix(NetfilterFamily.IPv4)).Should().Be("nfnet forwarding on");
        FixCommands.Command(new EnableForwardingFix(NetfilterFamily.IPv6) { NamespaceName = "r" }).Should().Be("nfnet forwarding on --ipv6 --netns r");
        FixCommands.Command(new AddNatRuleFix("nfnet", Forward)).Should().Be("nfnet forward add --proto tcp --port 2222 --to 10.0.2.2:22 --masquerade");
        FixCommands.Command(new RemoveNatRuleFix("t", Forward) { NamespaceName = "r" })
            .Should().Be("nfnet forward remove --proto tcp --port 2222 --to 10.0.2.2:22 --masquerade --table t --netns r");
        FixCommands.Command(new AddNatRuleFix("nfnet", new RedirectRule(TransportProtocol.Both, new PortRange(80, 81), 8080, inputInterface: "lan", includeLocal: true)))
            .Should().Be("nfnet redirect add --proto both --port 80-81 --to-port 8080 --iif lan --local");
        FixCommands.Command(new AddNatRuleFix("nfnet", new MasqueradeRule("wan"))).Should().Be("nfnet masquerade add --oif wan");
        FixCommands.Command(new AddNatRuleFix("nfnet", new DnatRule(TransportProtocol.Udp, 53, IPAddress.Parse("fd00::1"), 5353)))
            .Should().Be("nfnet forward add --proto udp --port 53 --to [fd00::1]:5353");
    }

    [Fact]
    public void A_table_scope_is_the_options_that_differ_from_the_defaults()
    {
        FixCommands.Options(new NatTableScope("nfnet", null)).Should().BeEmpty();
        FixCommands.Options(new NatTableScope("t", null)).Should().Be(" --table t");
        FixCommands.Options(new NatTableScope("nfnet", "r")).Should().Be(" --netns r");
    }

    [Fact]
    public void The_library_writes_the_advice_in_words_and_nfnet_as_commands()
    {
        var fix = new RemoveNatRuleFix("t", Forward) { NamespaceName = "r" };
        DoctorFixText text = DoctorFixText.Of($"Remove it {{now}}: {fix}, or list{new NatTableScope("t", "r")} ({42}).");
        var finding = new DoctorFinding(DoctorSeverity.Error, "code", "problem", "why", text);

        text.Fixes.Should().Equal(fix);
        finding.Fixes.Should().Equal(fix);
        finding.Fix.Should().Be("Remove it {now}: remove 'dnat tcp 2222 to 10.0.2.2:22 masquerade' from table t in namespace r, or list (42).");
        FixCommands.Render(finding).Should().Be("Remove it {now}: nfnet forward remove --proto tcp --port 2222 --to 10.0.2.2:22 --masquerade --table t --netns r, or list --table t --netns r (42).");
        FixCommands.Render(new DoctorFinding(DoctorSeverity.Info, "code", "problem", "why", "plain words")).Should().Be("plain words");
    }

    [Fact]
    public void The_doctors_fixes_read_as_nfnet_commands()
    {
        FixCommands.Render(DoctorChecksTests.IPv6ForwardingOff())
            .Should().Be("nfnet forwarding on --ipv6 --netns router (Forwarding.Enable(NetfilterFamily.IPv6, NetworkNamespace.FromName(\"router\"))).");
        FixCommands.Render(DoctorChecksTests.ForwardingOffWhereSysctlsAreReadOnly()).Should().Be(
            "/proc/sys is read-only here (a container that is not privileged), so nfnet forwarding on --netns router (Forwarding.Enable(NetfilterFamily.IPv4, NetworkNamespace.FromName(\"router\"))) would fail: "
            + "set net.ipv4.ip_forward=1 when the container starts (docker run --sysctl net.ipv4.ip_forward=1, or the pod's securityContext.sysctls), or on the host if this is the host's namespace.");
        FixCommands.Render(DriftCheckTests.PartialRule())
            .Should().Contain("nfnet forward add --proto tcp --port 2222 --to 10.0.2.2:22 --masquerade --table t --netns router")
            .And.Contain("nfnet forward remove --proto tcp --port 2222 --to 10.0.2.2:22 --masquerade --table t --netns router");
        FixCommands.Render(DriftCheckTests.TableNotOwned())
            .Should().Be("Use another table name: nfnet ... --table OTHER --netns router (new NatTable(\"OTHER\")); or, if nothing needs the existing table, delete it: nft delete table inet t.");
    }

    [Fact]
    public async Task The_contracts_findings_read_as_nfnet_writes_them()
    {
        using var kernel = new FakeContractKernel();
        IReadOnlyList<DoctorFinding> findings = await DoctorContract.SameWordsFindings(kernel);

        findings.Select(FixCommands.Render).Should().Equal(
            "nfnet forwarding on (Forwarding.Enable(NetfilterFamily.IPv4, null)).",
            "On the interface clients arrive on only: nfnet sysctl set net.ipv4.conf.lan0.route_localnet 1 (RouteLocalnet.Enable(\"lan0\", null)); better, replace the forward with a redirect: nfnet forward remove --proto udp --port 5353 --to 127.0.0.1:53 --table ct_doc, then nfnet redirect add --proto udp --port 5353 --to-port 53 --table ct_doc (NatTable.ApplyAsync with the RedirectRule in its place).",
            "Start the service on tcp port 18080 (bound to 0.0.0.0 or ::), or point the rule at the port the service uses: nfnet redirect remove --proto tcp --port 80 --to-port 18080 --table ct_doc, then add it with the right target port.",
            "Masquerade the forward: nfnet forward remove --proto tcp --port 2222 --to 10.0.2.2:22 --table ct_doc then nfnet forward add --proto tcp --port 2222 --to 10.0.2.2:22 --masquerade --table ct_doc (ApplyAsync with new DnatRule(..., masquerade: true)); or nfnet masquerade add --oif lan0 --table ct_doc (MasqueradeRule); or make this host the server's gateway.");
    }

    [Fact]
    public void A_table_scope_with_an_action_is_the_library_call_and_the_nfnet_command()
    {
        var list = new NatTableScope("t", "r") { Action = NatTableAction.ListRules };
        DoctorFixText text = DoctorFixText.Of($"List what is there with {list}.");

        text.ToString().Should().Be("List what is there with NatTable.ListAsync.");
        FixCommands.Scope(list).Should().Be("nfnet list --table t --netns r (NatTable.ListAsync)");
        FixCommands.Scope(new NatTableScope("OTHER", null) { Action = NatTableAction.Open }).Should().Be("nfnet ... --table OTHER (new NatTable(\"OTHER\"))");
        FixCommands.Scope(new NatTableScope("OTHER", null) { Action = NatTableAction.Examine }).Should().Be("nfnet doctor --table OTHER (new DoctorOptions { Table = \"OTHER\" })");
        FixCommands.Scope(new NatTableScope("nfnet", null) { Action = NatTableAction.AddRule }).Should().Be("nfnet redirect|forward ... add (NatTable.AddAsync)");
        FixCommands.Scope(new NatTableScope("t", null) { Action = NatTableAction.ApplyRules }).Should().Be("nfnet apply -f FILE --table t (NatTable.ApplyAsync)");
    }

    [Fact]
    public void An_apply_warning_is_the_librarys_words_and_the_nfnet_command_that_fixes_it()
    {
        var off = new NatWarning(NatWarningKind.ForwardingOff, Forward, "'x' forwards to another host but IPv6 forwarding is off in this namespace: nothing will pass. Enable it with Forwarding.Enable(NetfilterFamily.IPv6, ns).")
        {
            Family = NetfilterFamily.IPv6,
        };
        var loopback = new NatWarning(NatWarningKind.LoopbackTarget, Forward, "sends to a loopback address.") { Family = NetfilterFamily.IPv4 };

        DoctorFix.For(off, "r").Should().Be(new EnableForwardingFix(NetfilterFamily.IPv6) { NamespaceName = "r" });
        DoctorFix.For(loopback).Should().BeNull();
        ApplyCommand.WarningText(off, null).Should().Be(
            "'x' forwards to another host but IPv6 forwarding is off in this namespace: nothing will pass. Enable it with Forwarding.Enable(NetfilterFamily.IPv6, ns) or 'nfnet forwarding on --ipv6'.");
        ApplyCommand.WarningText(off, "r").Should().EndWith("or 'nfnet forwarding on --ipv6 --netns r'.");
        ApplyCommand.WarningText(loopback, null).Should().Be("sends to a loopback address.");
    }
}
