using System.Net;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.Diagnostics.DoctorRulesets;
using NftVerdict = Netfilter.Net.NfTables.Verdict;

namespace Netfilter.Net.Tests.Diagnostics;

/// <summary>The walk of a hook: chain order by priority, jumps, gotos, returns, accept, policies.</summary>
public sealed class HookWalkerTests
{
    private static readonly RedirectRule Redirect = new(TransportProtocol.Tcp, PortRange.Single(80), 8080);

    private static readonly Probe Http = new(IpFamilies.IPv4, 6, 80, 80) { Identity = Redirect.ToString() };

    private static bool Takes(RuleAction action) => action.Stops;

    private static HookWalker.Report Walk(DoctorRulesets rulesets, Probe? probe = null)
    {
        Ruleset ruleset = rulesets.Build();
        var paths = new RulesetPaths(ruleset);
        Chain own = paths.FindChain(NetfilterFamily.Inet, "nfnet", "prerouting")!;
        return new HookWalker(paths).Walk(probe ?? Http, ChainHooks.Prerouting, Takes, own);
    }

    [Fact]
    public void Our_rule_alone_is_reached()
    {
        HookWalker.Report report = Walk(new DoctorRulesets().WithNatTable(Redirect));
        report.Reached.Should().BeTrue();
        report.Stop.Should().BeNull();
        report.Possible.Should().BeEmpty();
    }

    [Fact]
    public void A_drop_in_a_chain_of_lower_priority_stops_the_probe_but_one_of_higher_priority_does_not_matter()
    {
        NftExpression[] drop = Concat(L4Proto(6), DestinationPort(80), new[] { Verdict(NftVerdict.Drop) });
        HookWalker.Report before = Walk(new DoctorRulesets().WithNatTable(Redirect).WithBaseChain(NetfilterFamily.IPv4, "raw", "pre", ChainHooks.Prerouting, -300, rules: new[] { drop }));
        before.Reached.Should().BeFalse();
        before.Stop!.Definite.Should().BeTrue();
        before.Stop.Description.Should().Be("table ip raw chain pre handle 13: ip tcp dport 80 drop");

        HookWalker.Report after = Walk(new DoctorRulesets().WithNatTable(Redirect).WithBaseChain(NetfilterFamily.IPv4, "late", "pre", ChainHooks.Prerouting, 0, rules: new[] { drop }));
        after.Reached.Should().BeTrue();
    }

    [Fact]
    public void A_drop_for_another_port_or_family_does_not_matter()
    {
        NftExpression[] other = Concat(L4Proto(6), DestinationPort(81), new[] { Verdict(NftVerdict.Drop) });
        Walk(new DoctorRulesets().WithNatTable(Redirect).WithBaseChain(NetfilterFamily.IPv6, "raw6", "pre", ChainHooks.Prerouting, -300, rules: new[] { Concat(L4Proto(6), new[] { Verdict(NftVerdict.Drop) }) })
            .WithBaseChain(NetfilterFamily.IPv4, "raw", "pre", ChainHooks.Prerouting, -300, rules: new[] { other })).Reached.Should().BeTrue();
    }

    [Fact]
    public void Accept_ends_only_its_base_chain_and_a_jumped_to_chain_returns()
    {
        NftExpression[] accept = Concat(L4Proto(6), new[] { Verdict(NftVerdict.Accept) });
        NftExpression[] jump = { Verdict(NftVerdict.JumpTo("checks")) };
        NftExpression[] drop = Concat(L4Proto(6), DestinationPort(80), new[] { Verdict(NftVerdict.Drop) });
        NftExpression[] ret = { Verdict(NftVerdict.Return) };

        // accept in an earlier chain: the next base chain (ours) still runs.
        Walk(new DoctorRulesets().WithNatTable(Redirect).WithBaseChain(NetfilterFamily.Inet, "fw", "pre", ChainHooks.Prerouting, -300, rules: new[] { accept })).Reached.Should().BeTrue();

        // jump to a chain that drops port 80: stopped, reported with its base chain.
        HookWalker.Report dropped = Walk(new DoctorRulesets().WithNatTable(Redirect)
            .WithBaseChain(NetfilterFamily.Inet, "fw", "pre", ChainHooks.Prerouting, -300, rules: new[] { jump })
            .WithRegularChain(NetfilterFamily.Inet, "fw", "checks", drop));
        dropped.Stop!.BaseChain.Name.Should().Be("pre");
        dropped.Stop.Alternative!.Rule.Chain.Should().Be("checks");

        // return before the drop: the drop is never reached.
        Walk(new DoctorRulesets().WithNatTable(Redirect)
            .WithBaseChain(NetfilterFamily.Inet, "fw", "pre", ChainHooks.Prerouting, -300, rules: new[] { jump })
            .WithRegularChain(NetfilterFamily.Inet, "fw", "checks", ret, drop)).Reached.Should().BeTrue();
    }

    [Fact]
    public void Goto_does_not_come_back_so_the_base_chain_policy_applies()
    {
        NftExpression[] gotoEmpty = { Verdict(NftVerdict.GotoChain("empty")) };
        NftExpression[] accept = { Verdict(NftVerdict.Accept) };
        HookWalker.Report report = Walk(new DoctorRulesets().WithNatTable(Redirect)
            .WithBaseChain(NetfilterFamily.Inet, "fw", "pre", ChainHooks.Prerouting, -300, policy: VerdictKind.Drop, rules: new[] { gotoEmpty, accept })
            .WithRegularChain(NetfilterFamily.Inet, "fw", "empty"));
        report.Stop!.Alternative.Should().BeNull("the policy drops it");
        report.Stop.Description.Should().Be("the policy drop of table inet fw chain pre");
    }

    [Fact]
    public void A_policy_drop_after_an_accept_with_unevaluated_conditions_is_only_possible()
    {
        NftExpression[] fromOneHost = Concat(SourceAddress("10.0.1.2"), new[] { Verdict(NftVerdict.Accept) });
        HookWalker.Report report = Walk(new DoctorRulesets().WithNatTable(Redirect)
            .WithBaseChain(NetfilterFamily.IPv4, "fw", "pre", ChainHooks.Prerouting, -300, policy: VerdictKind.Drop, rules: new[] { fromOneHost }));
        report.Reached.Should().BeTrue("some packets get through");
        report.Possible.Should().ContainSingle().Which.Definite.Should().BeFalse();
    }

    [Fact]
    public void Another_tables_nat_chain_at_our_priority_may_run_first_even_if_listed_after_ours()
    {
        NftExpression[] dnat = Concat(L4Proto(6), DestinationPort(80), new[] { XtTarget("DNAT") });
        HookWalker.Report report = Walk(new DoctorRulesets().WithNatTable(Redirect)
            .WithBaseChain(NetfilterFamily.IPv4, "nat", "PREROUTING", ChainHooks.Prerouting, -100, "nat", rules: new[] { dnat }));
        report.Reached.Should().BeTrue();
        PathStop stop = report.Possible.Should().ContainSingle().Subject;
        stop.SamePriority.Should().BeTrue();
        stop.Definite.Should().BeFalse();
    }

    [Fact]
    public void Within_our_table_the_redirect_map_comes_before_the_forward_map()
    {
        var forward = new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse("10.0.2.2"));
        HookWalker.Report report = Walk(new DoctorRulesets().WithNatTable(forward, Redirect), Http with { Identity = forward.ToString() });
        report.Reached.Should().BeFalse();
        report.Stop!.Alternative!.Identity.Should().Be(Redirect.ToString());
    }

    [Fact]
    public void A_map_of_ten_thousand_forwards_is_walked_by_key()
    {
        var rules = Enumerable.Range(10000, 10000).Select(p => (NatRule)new DnatRule(TransportProtocol.Tcp, PortRange.Single(p), IPAddress.Parse("10.0.2.2"), PortRange.Single(22))).ToArray();
        Ruleset ruleset = new DoctorRulesets().WithNatTable(rules).Build();
        var paths = new RulesetPaths(ruleset);
        var walker = new HookWalker(paths);
        Chain own = paths.FindChain(NetfilterFamily.Inet, "nfnet", "prerouting")!;
        foreach (NatRule rule in rules)
        {
            var d = (DnatRule)rule;
            var probe = new Probe(IpFamilies.IPv4, 6, d.Ports!.Value.First, d.Ports.Value.First) { Identity = d.ToString() };
            walker.Walk(probe, ChainHooks.Prerouting, Takes, own).Reached.Should().BeTrue();
        }
    }
}
