using System.Net;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.Diagnostics.DoctorRulesets;

namespace Netfilter.Net.Tests.Diagnostics;

/// <summary>What RuleAnalyzer reads from rules: NatTable's own compiled rules, and rules as nft and iptables-nft write them.</summary>
public sealed class RuleAnalyzerTests
{
    private static IReadOnlyList<RuleAlternative> Analyze(Ruleset ruleset, string table, string chain, int index = 0) =>
        RuleAnalyzer.Analyze(ruleset.Rules.Where(r => r.Table == table && r.Chain == chain).ElementAt(index), ruleset);

    [Fact]
    public void The_redirect_map_of_our_layout_is_one_alternative_per_element_named_by_its_comment()
    {
        Ruleset ruleset = new DoctorRulesets().WithNatTable(
            new RedirectRule(TransportProtocol.Both, PortRange.Single(53), 5353),
            new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080)).Build();
        // prerouting: jump pre_rules, redirect map, dnat4 map, dnat6 map.
        IReadOnlyList<RuleAlternative> alternatives = Analyze(ruleset, "nfnet", "prerouting", 1);
        alternatives.Select(a => $"{a.Match} {a.Action} '{a.Identity}'").Should().BeEquivalentTo(
            "tcp dport 53 redirect 'redirect both 53 to 5353'",
            "udp dport 53 redirect 'redirect both 53 to 5353'",
            "tcp dport 80 redirect 'redirect tcp 80 to 8080'");
    }

    [Fact]
    public void The_dnat_maps_are_per_family_and_narrowed_by_fib()
    {
        Ruleset ruleset = new DoctorRulesets().WithNatTable(new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22))).Build();
        RuleAlternative dnat = Analyze(ruleset, "nfnet", "prerouting", 2).Should().ContainSingle().Subject;
        dnat.Match.Families.Should().Be(IpFamilies.IPv4);
        dnat.Match.Protocols.Should().Equal((byte)6);
        dnat.Match.Ports.ToString().Should().Be("2222");
        dnat.Match.OtherConditions.Should().ContainSingle().Which.Should().StartWith("fib");
        dnat.Action.Kind.Should().Be(RuleActionKind.DestinationNat);
        Analyze(ruleset, "nfnet", "prerouting", 3).Should().BeEmpty("the IPv6 map is empty");
    }

    [Fact]
    public void A_conditional_rule_keeps_interface_ports_and_family_and_is_narrowed_by_the_source()
    {
        var rule = new RedirectRule(TransportProtocol.Tcp, new PortRange(8000, 8100), 3128, inputInterface: "lan", sources: new[] { IPNetwork.Parse("10.0.1.0/24") });
        Ruleset ruleset = new DoctorRulesets().WithNatTable(rule).Build();
        RuleAlternative alternative = Analyze(ruleset, "nfnet", "pre_rules").Should().ContainSingle().Subject;
        alternative.Match.InputInterface.Should().Be("lan");
        alternative.Match.Families.Should().Be(IpFamilies.IPv4);
        alternative.Match.Ports.ToString().Should().Be("8000-8100");
        alternative.Match.OtherConditions.Should().ContainSingle().Which.Should().StartWith("ip saddr");
        alternative.Identity.Should().Be(rule.ToString());
    }

    [Fact]
    public void Iptables_targets_are_read_by_name()
    {
        Ruleset ruleset = new DoctorRulesets()
            .WithBaseChain(NetfilterFamily.IPv4, "nat", "PREROUTING", ChainHooks.Prerouting, -100, "nat", rules: new[]
            {
                // iptables -t nat -A PREROUTING -p tcp --dport 2222 -j DNAT --to-destination 10.0.2.2:23
                Concat(L4Proto(6), DestinationPort(2222), new[] { new CounterExpression(0, 0), XtTarget("DNAT") }),
                // iptables -t nat -A PREROUTING -j LOG
                new[] { XtTarget("LOG") },
            })
            .Build();
        RuleAlternative dnat = Analyze(ruleset, "nat", "PREROUTING").Single();
        dnat.Action.Kind.Should().Be(RuleActionKind.DestinationNat);
        dnat.Action.Text.Should().Be("iptables DNAT");
        dnat.Match.Narrowed.Should().BeFalse("the port is matched natively");
        Analyze(ruleset, "nat", "PREROUTING", 1).Single().Action.Kind.Should().Be(RuleActionKind.Continue, "LOG returns XT_CONTINUE");
    }

    [Fact]
    public void Ct_state_is_evaluated_for_the_first_packet_of_a_connection()
    {
        // ct state established,related accept: [ ct load state => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x00000006 ) ^ 0x00000000 ] [ cmp neq reg 1 0x00000000 ]
        NftExpression[] established =
        {
            CtExpression.Load(CtKey.State, Register.R1),
            BitwiseExpression.MaskXor(Register.R1, Register.R1, NftData.FromHostUInt32(6), NftData.FromHostUInt32(0)),
            new CmpExpression(CmpOperator.NotEqual, Register.R1, NftData.FromHostUInt32(0)),
            Verdict(global::Netfilter.Net.NfTables.Verdict.Accept),
        };
        // ct state new accept: the same with mask 0x00000008.
        NftExpression[] fresh =
        {
            CtExpression.Load(CtKey.State, Register.R1),
            BitwiseExpression.MaskXor(Register.R1, Register.R1, NftData.FromHostUInt32(8), NftData.FromHostUInt32(0)),
            new CmpExpression(CmpOperator.NotEqual, Register.R1, NftData.FromHostUInt32(0)),
            Verdict(global::Netfilter.Net.NfTables.Verdict.Accept),
        };
        Ruleset ruleset = new DoctorRulesets().WithBaseChain(NetfilterFamily.Inet, "fw", "input", ChainHooks.Input, 0, rules: new[] { established, fresh }).Build();
        Analyze(ruleset, "fw", "input", 0).Should().BeEmpty("a new connection is not established or related");
        RuleAlternative accept = Analyze(ruleset, "fw", "input", 1).Single();
        accept.Match.Narrowed.Should().BeFalse();
        accept.Action.Kind.Should().Be(RuleActionKind.Accept);
    }

    [Fact]
    public void Ct_status_dnat_is_a_test_each_probe_answers()
    {
        // ct status dnat accept: [ ct load status => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x00000020 ) ^ 0x00000000 ] [ cmp neq reg 1 0x00000000 ]
        NftExpression[] dnat =
        {
            CtExpression.Load(CtKey.Status, Register.R1),
            BitwiseExpression.MaskXor(Register.R1, Register.R1, NftData.FromHostUInt32(0x20), NftData.FromHostUInt32(0)),
            new CmpExpression(CmpOperator.NotEqual, Register.R1, NftData.FromHostUInt32(0)),
            Verdict(global::Netfilter.Net.NfTables.Verdict.Accept),
        };
        Ruleset ruleset = new DoctorRulesets().WithBaseChain(NetfilterFamily.Inet, "fw", "forward", ChainHooks.Forward, 0, rules: new[] { dnat }).Build();
        PacketMatch match = Analyze(ruleset, "fw", "forward").Single().Match;
        match.ToString().Should().Contain("ct status dnat");
        var translated = new Probe(IpFamilies.IPv4, 6, 22, 22) { CtStatus = Probe.StatusDestinationNat };
        var untranslated = new Probe(IpFamilies.IPv4, 6, 22, 22);
        match.Covers(translated).Should().BeTrue();
        match.Overlaps(untranslated).Should().BeFalse();
    }

    [Fact]
    public void An_interval_set_of_ports_is_read_from_its_start_and_end_elements()
    {
        // tcp dport { 22, 1000-2000 } drop: nft's anonymous interval set holds 0 (end), 22, 23 (end), 1000, 2001 (end).
        var set = new Set(NetfilterFamily.Inet, "fw", "__set0") { Flags = SetFlags.Anonymous | SetFlags.Constant | SetFlags.Interval, KeyType = SetDataTypes.InetService, KeyLength = 2 };
        SetElement Element(ushort port, bool end = false) => new(NftData.FromPort(port)) { Flags = end ? SetElementFlags.IntervalEnd : null };
        NftExpression[] rule = Concat(L4Proto(6), new NftExpression[]
        {
            PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
            new LookupExpression("__set0", Register.R1),
            Verdict(global::Netfilter.Net.NfTables.Verdict.Drop),
        });
        Ruleset ruleset = new DoctorRulesets()
            .WithSet(set, Element(2001, end: true), Element(1000), Element(23, end: true), Element(22), Element(0, end: true))
            .WithBaseChain(NetfilterFamily.Inet, "fw", "pre", ChainHooks.Prerouting, -300, rules: new[] { rule })
            .Build();
        RuleAlternative drop = Analyze(ruleset, "fw", "pre").Single();
        drop.Match.Ports.ToString().Should().Be("{ 22, 1000-2000 }");
        drop.Action.Kind.Should().Be(RuleActionKind.Drop);
    }

    [Fact]
    public void A_verdict_map_gives_each_element_its_own_verdict()
    {
        // tcp dport vmap { 22 : accept, 2222 : drop }
        var map = new Set(NetfilterFamily.Inet, "fw", "__map0") { Flags = SetFlags.Anonymous | SetFlags.Constant | SetFlags.Map, KeyType = SetDataTypes.InetService, KeyLength = 2, DataType = SetDataTypes.VerdictData };
        NftExpression[] rule = Concat(L4Proto(6), new NftExpression[]
        {
            PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
            new LookupExpression("__map0", Register.R1, Register.Verdict),
        });
        Ruleset ruleset = new DoctorRulesets()
            .WithSet(map, new SetElement(NftData.FromPort(22)) { Verdict = global::Netfilter.Net.NfTables.Verdict.Accept }, new SetElement(NftData.FromPort(2222)) { Verdict = global::Netfilter.Net.NfTables.Verdict.Drop })
            .WithBaseChain(NetfilterFamily.Inet, "fw", "pre", ChainHooks.Prerouting, -300, rules: new[] { rule })
            .Build();
        Analyze(ruleset, "fw", "pre").Select(a => a.ToString()).Should().BeEquivalentTo("tcp dport 22 accept", "tcp dport 2222 drop");
    }

    [Fact]
    public void An_expression_the_doctor_does_not_know_clobbers_every_register_and_narrows_the_match()
    {
        NftExpression[] rule =
        {
            PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
            new UnknownExpression("future", new byte[] { 8, 0, 1, 0, 0, 0, 0, 1 }),
            new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort(80)),
            Verdict(global::Netfilter.Net.NfTables.Verdict.Drop),
        };
        Ruleset ruleset = new DoctorRulesets().WithBaseChain(NetfilterFamily.Inet, "fw", "pre", ChainHooks.Prerouting, -300, rules: new[] { rule }).Build();
        RuleAlternative drop = Analyze(ruleset, "fw", "pre").Single();
        drop.Match.Ports.IsAll.Should().BeTrue("register 1 may no longer hold the port");
        drop.Match.OtherConditions.Should().Contain("future");
    }
}
