using System.Net;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Cli;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// Issue 9, the first three symptoms: every typed rule owns its pieces (two forwards to one
/// backend each keep their own return path), remove matches a rule's identity whatever its
/// options, and two rules that claim the same packets are refused. Proven with real connections
/// through a router whose server has no route back, so only masquerade brings replies home.
/// </summary>
public sealed class NatOwnershipTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    private static DnatRule Forward(int port, bool masquerade = true) =>
        new(TransportProtocol.Tcp, PortRange.Single(port), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: masquerade);

    [NativeFact]
    public async Task Removing_one_of_two_masqueraded_forwards_to_one_backend_keeps_the_others_return_path()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var server = Traffic.StartTcp(topo.Server, Ep("0.0.0.0", 22), "server");
        using var nat = new NatTable("own", new NatTableOptions { Namespace = topo.Router.Namespace });
        (await nat.AddAsync(Forward(2222))).Should().BeTrue();
        (await nat.AddAsync(Forward(2223))).Should().BeTrue();
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2223)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:");
        topo.Router.Nft("list", "set", "inet", "own", "masq4").Should()
            .Contain("tcp . 2222 . 10.0.2.2 . 22 comment \"dnat tcp 2222 to 10.0.2.2:22 masquerade\"")
            .And.Contain("tcp . 2223 . 10.0.2.2 . 22 comment \"dnat tcp 2223 to 10.0.2.2:22 masquerade\"");

        (await nat.RemoveAsync(Forward(2222)))!.ToString().Should().Be("dnat tcp 2222 to 10.0.2.2:22 masquerade");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2223)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:",
            "2223 owns its masquerade element: removing 2222 does not take its return path");
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().BeNull("2222 is gone");
        (await nat.ListAsync()).Should().Equal(Forward(2223));
        (await nat.InspectAsync()).IsIntact.Should().BeTrue();

        NatApplyResult first = await nat.ApplyAsync(new NatRule[] { Forward(2222), Forward(2223) });
        first.Added.Should().Equal(Forward(2222));
        first.Unchanged.Should().Be(1);
        NatApplyResult again = await nat.ApplyAsync(new NatRule[] { Forward(2222), Forward(2223) });
        again.Changed.Should().BeFalse("both forwards are whole: the second apply sends nothing ({0})", again);
        again.Unchanged.Should().Be(2);
        again.ToString().Should().Be("added 0, removed 0, repaired 0, foreign removed 0, unchanged 2 (1 attempt, nothing sent)");
    }

    [NativeFact]
    public async Task Remove_without_the_masquerade_option_removes_the_whole_forward()
    {
        using var ns = new TestNamespace();
        using var nat = new NatTable("own", new NatTableOptions { Namespace = ns.Namespace });
        await nat.AddAsync(Forward(2222));
        NatRule? removed = await nat.RemoveAsync(Forward(2222, masquerade: false));
        removed.Should().Be(Forward(2222), "the rule with that identity is removed, with the options it has");
        (await nat.ListAsync()).Should().BeEmpty();
        (await nat.InspectAsync()).IsIntact.Should().BeTrue("nothing is half-removed: no orphan element stays in masq4");
        ns.Nft("list", "set", "inet", "own", "masq4").Should().NotContain("2222");
        ns.Nft("list", "map", "inet", "own", "dnat4_pre").Should().NotContain("2222");
        (await nat.RemoveAsync(Forward(2222))).Should().BeNull("nothing claims those packets any more");
    }

    [NativeFact]
    public void Nfnet_forward_remove_without_masquerade_removes_the_whole_forward_and_prints_it()
    {
        using var ns = new TestNamespace();
        Nfnet.In(ns, "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22", "--masquerade").ExitCode.Should().Be(0);
        Nfnet.In(ns, "forward", "add", "--proto", "tcp", "--port", "2223", "--to", "10.0.2.2:22", "--masquerade").ExitCode.Should().Be(0);
        Tool.Result removed = Nfnet.In(ns, "forward", "remove", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22");
        removed.ExitCode.Should().Be(0, removed.StandardError);
        removed.StandardOutput.Should().Be($"removed from table inet nfnet of namespace {ns.Name}: dnat tcp 2222 to 10.0.2.2:22 masquerade\n");
        Nfnet.In(ns, "list").StandardOutput.Should().Be("dnat tcp 2223 to 10.0.2.2:22 masquerade\n");
        ns.Nft("list", "set", "inet", "nfnet", "masq4").Should().Contain("tcp . 2223 . 10.0.2.2 . 22").And.NotContain("2222");

        Nfnet.In(ns, "forward", "remove", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22").ShouldFail(1)[0]
            .Should().Be($"nfnet: no such rule in table inet nfnet of namespace {ns.Name}: dnat tcp 2222 to 10.0.2.2:22 (see 'nfnet list' for what is there)");
    }

    [NativeFact]
    public async Task A_redirect_and_a_forward_on_one_port_are_refused_before_anything_is_sent()
    {
        using var ns = new TestNamespace();
        using var nat = new NatTable("own", new NatTableOptions { Namespace = ns.Namespace });
        await nat.AddAsync(Forward(2222));
        string before = ns.Nft("list", "ruleset");

        var redirect = new RedirectRule(TransportProtocol.Tcp, PortRange.Single(2222), 8080);
        NatRuleConflictException conflict = (await FluentActions.Awaiting(() => nat.AddAsync(redirect)).Should().ThrowAsync<NatRuleConflictException>()).Which;
        conflict.Holder.Should().Be(Forward(2222));
        conflict.Message.Should().Be("cannot add 'redirect tcp 2222 to 8080' to table inet own: 'dnat tcp 2222 to 10.0.2.2:22 masquerade' is there and both claim tcp port 2222 of ipv4 connections (prerouting); remove it first");
        await FluentActions.Awaiting(() => nat.AddAsync(new TproxyRule(TransportProtocol.Both, new PortRange(2000, 2300), 8443, 1)))
            .Should().ThrowAsync<NatRuleConflictException>().WithMessage("*both claim tcp port 2222 of ipv4 connections (prerouting)*");
        await FluentActions.Awaiting(() => nat.AddAsync(new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.9"))))
            .Should().ThrowAsync<NatRuleConflictException>().WithMessage("*they have the same match (dnat ipv4 tcp 2222) with other options; remove it first (or replace it with ApplyAsync)");
        await FluentActions.Awaiting(() => nat.ApplyAsync(new NatRule[] { Forward(2222), redirect }))
            .Should().ThrowAsync<ArgumentException>().WithMessage("'dnat tcp 2222 to 10.0.2.2:22 masquerade' and 'redirect tcp 2222 to 8080' cannot share a table: both claim tcp port 2222*");
        ns.Nft("list", "ruleset").Should().Be(before, "a refused change sends nothing");

        Nfnet.In(ns, "redirect", "add", "--proto", "tcp", "--port", "2222", "--to-port", "8080", "--table", "own").ShouldFail(1)[0].Should().Be(
            $"nfnet: cannot add to table inet own of namespace {ns.Name}: redirect tcp 2222 to 8080; 'dnat tcp 2222 to 10.0.2.2:22 masquerade' is there and both claim tcp port 2222 of ipv4 connections (prerouting): remove it first (see 'nfnet list')");
        ns.Nft("list", "ruleset").Should().Be(before);
        (await nat.AddAsync(new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("fd02::2"), PortRange.Single(22))))
            .Should().BeTrue("the same port of the other family is other packets");
    }

    [NativeFact]
    public async Task Remove_of_a_rule_that_is_not_there_shows_the_rule_that_holds_its_packets()
    {
        using var ns = new TestNamespace();
        using var nat = new NatTable("own", new NatTableOptions { Namespace = ns.Namespace });
        await nat.AddAsync(Forward(2222));
        string before = ns.Nft("list", "ruleset");
        var redirect = new RedirectRule(TransportProtocol.Tcp, PortRange.Single(2222), 8080);
        await FluentActions.Awaiting(() => nat.RemoveAsync(redirect)).Should().ThrowAsync<NatRuleConflictException>().WithMessage(
            "table inet own holds no rule 'redirect tcp 2222 to 8080' (redirect ipv4+ipv6 tcp 2222): 'dnat tcp 2222 to 10.0.2.2:22 masquerade' is there and it claims tcp port 2222 of ipv4 connections (prerouting); nothing was removed");
        (await nat.RemoveAsync(new DnatRule(TransportProtocol.Tcp, PortRange.Single(2223), IPAddress.Parse("10.0.2.2")))).Should().BeNull();
        ns.Nft("list", "ruleset").Should().Be(before);

        Nfnet.In(ns, "redirect", "remove", "--proto", "tcp", "--port", "2222", "--to-port", "8080", "--table", "own").ShouldFail(1)[0].Should().Be(
            $"nfnet: no such rule in table inet own of namespace {ns.Name}: redirect tcp 2222 to 8080; 'dnat tcp 2222 to 10.0.2.2:22 masquerade' is there and it claims tcp port 2222 of ipv4 connections (prerouting): nothing was removed (see 'nfnet list')");
        ns.Nft("list", "ruleset").Should().Be(before);
    }
}
