using System.Net;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Tests.Nat;

/// <summary>Reading a NAT table back: whole, partial and stale rules, foreign pieces, layout problems, and whose table it is.</summary>
public sealed class NatTableReaderTests
{
    private static readonly NatRule Forward = NatRuleParser.Parse("dnat tcp 2222 to 10.0.2.2:22 masquerade");
    private static readonly NatRule Second = NatRuleParser.Parse("dnat tcp 2223 to 10.0.2.2:22 masquerade local");
    private static readonly NatRule Conditional = NatRuleParser.Parse("dnat tcp 3000-3010 to 10.0.2.2:22 from 10.0.1.0/24 masquerade hairpin");
    private static readonly NatRule Redirect = NatRuleParser.Parse("redirect tcp 80 to 8080 local");
    private static readonly NatRule Snat = NatRuleParser.Parse("snat oif wan to 10.0.2.1");
    private static readonly NatRule Tproxy = NatRuleParser.Parse("tproxy udp 53 to :5353 mark 0x1");

    private static NatSnapshot Table(params NatRule[] rules) => new("t", rules: rules);

    [Fact]
    public void A_table_as_NatTable_writes_it_holds_exactly_whole_rules_and_its_layout()
    {
        NatTableContents contents = Table(Forward, Second, Conditional, Redirect, Snat, Tproxy).Read();
        contents.Ownership.Should().Be(NatTableOwnership.Owned);
        contents.LayoutVersion.Should().Be(3);
        contents.LayoutComplete.Should().BeTrue(string.Join("; ", contents.LayoutProblems));
        contents.Foreign.Should().BeEmpty();
        contents.Rules.Should().OnlyContain(r => r.IsWhole, string.Join("; ", contents.Rules.SelectMany(r => r.Problems())));
        contents.Rules.Select(r => r.Text).Should().BeEquivalentTo(new[] { Forward, Second, Conditional, Redirect, Snat, Tproxy }.Select(r => r.ToString()));
        NatTableReport.From(contents).IsIntact.Should().BeTrue();
    }

    [Fact]
    public void A_forward_whose_masquerade_element_was_deleted_is_partial_and_says_what_is_missing()
    {
        NatTableContents contents = Table(Forward, Second).DeleteElement(NatTableLayout.Masq4, "tcp . 2222 . 10.0.2.2 . 22").Read();
        NatFoundRule forward = contents.Find(Forward.ToString())!;
        forward.IsWhole.Should().BeFalse();
        forward.Problems().Should().Equal("missing element tcp . 2222 . 10.0.2.2 . 22 in set masq4");
        contents.Find(Second.ToString())!.IsWhole.Should().BeTrue("the other forward to the same backend owns its own element");
        NatTableReport report = NatTableReport.From(contents);
        report.Rules.Should().Equal(Second);
        report.Partial.Should().ContainSingle().Which.ToString().Should().Be("dnat tcp 2222 to 10.0.2.2:22 masquerade (missing element tcp . 2222 . 10.0.2.2 . 22 in set masq4)");
    }

    [Fact]
    public void A_piece_carrying_a_rules_comment_that_the_rule_does_not_compile_to_makes_it_partial()
    {
        var stray = new SetElement(NatRuleCompiler.Key(17, 2222)) { Data = NftData.Concat(NftData.FromIPAddress(IPAddress.Parse("10.0.2.2")), NftData.FromPort(22)), UserData = UserData.Comment(Forward.ToString()) };
        NatFoundRule forward = Table(Forward).AddElement(NatTableLayout.Dnat4Pre, stray).Read().Find(Forward.ToString())!;
        forward.IsWhole.Should().BeFalse();
        forward.Problems().Should().Equal("unexpected element udp . 2222 : 10.0.2.2 . 22 in map dnat4_pre");
    }

    [Fact]
    public void A_conditional_forward_without_its_hairpin_rule_is_partial()
    {
        NatTableContents contents = Table(Conditional)
            .DeleteRules(NatTableLayout.PostForward, r => NatRuleCompiler.HairpinNetwork(r) is not null)
            .Read();
        NatFoundRule found = contents.Find(Conditional.ToString())!;
        found.Problems().Should().Equal("missing rule in chain post_forward");
    }

    [Fact]
    public void An_element_without_a_typed_rule_comment_is_foreign_and_described_in_nfts_words()
    {
        var byHand = new SetElement(NatRuleCompiler.Key(6, 4444)) { Data = NftData.Concat(NftData.FromIPAddress(IPAddress.Parse("10.0.2.9")), NftData.FromPort(22)) };
        NatTableContents contents = Table(Forward).AddElement(NatTableLayout.Dnat4Pre, byHand)
            .AddRule(new Rule(NetfilterFamily.Inet, "t", NatTableLayout.PreRules, NatSnapshot.AcceptTcp(5555)).WithComment("mine"))
            .AddChain(new Chain(NetfilterFamily.Inet, "t", "input") { Hook = new ChainHook(ChainHooks.Input, 0), Type = "filter", Policy = VerdictKind.Drop })
            .Read();
        List<string> foreign = contents.Foreign.Select(f => f.Description).ToList();
        foreign.Should().HaveCount(3);
        foreign.Should().Contain("chain input (type filter hook input priority 0; policy drop)");
        foreign.Should().Contain("element tcp . 4444 : 10.0.2.9 . 22 in map dnat4_pre (no comment)");
        foreign.Should().ContainMatch("rule handle * in chain pre_rules (comment \"mine\"): [ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x00000006 ] [ payload load 2b @ transport header + 2 => reg 1 ] [ cmp eq reg 1 0x0000b315 ] [ immediate reg 0 accept ]");
        contents.Rules.Should().ContainSingle().Which.IsWhole.Should().BeTrue();
        NatTableReport.From(contents).IsIntact.Should().BeFalse();
        NatClaim.OfElement(NatTableLayout.Dnat4Pre, byHand.Key)!.Ports.Should().Be(PortRange.Single(4444));
    }

    [Fact]
    public void Missing_and_changed_layout_pieces_are_named()
    {
        NatTableContents contents = Table(Forward)
            .DeleteRules(NatTableLayout.Prerouting, r => r.Comment == "nfnet layout: dnat map @dnat4_pre")
            .ReplaceSet(new Set(NetfilterFamily.Inet, "t", NatTableLayout.Masq4) { KeyType = 7, KeyLength = 4 })
            .Read();
        contents.BaseChainsToRebuild.Should().Equal(NatTableLayout.Prerouting);
        contents.Lacks.Should().Contain("rule \"dnat map @dnat4_pre\" in chain prerouting").And.Contain("set masq4 with the layout's key and data types");
        contents.Damaged.Should().Equal("set masq4");
        contents.LayoutComplete.Should().BeFalse();
    }

    [Fact]
    public void A_same_named_table_without_the_marker_is_foreign_and_says_what_it_holds()
    {
        var snapshot = new Ruleset(3,
            new List<Table> { new(NetfilterFamily.Inet, "t") },
            new List<Chain> { new(NetfilterFamily.Inet, "t", "input") { Hook = new ChainHook(ChainHooks.Input, 0), Type = "filter", Policy = VerdictKind.Drop } },
            new List<Set>(), new Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>>(), new List<Rule>());
        NatTableContents contents = NatTableReader.Read("t", snapshot);
        contents.Ownership.Should().Be(NatTableOwnership.Foreign);
        contents.NotOwnedMessage.Should().Be("table inet t exists but was not made by NatTable (it has no comment, not \"nfnet NAT table t layout 3\"; it holds chain input (type filter hook input priority 0; policy drop)): "
            + "it will not be adopted or changed. Choose another table name (the name a NatTable is created with), or delete that table (nft delete table inet t) if nothing needs it");
        contents.Rules.Should().BeEmpty();
    }

    [Fact]
    public void A_table_of_a_newer_layout_is_not_changed()
    {
        NatTableContents contents = new NatSnapshot("t", comment: "nfnet NAT table t layout 4", rules: Forward).Read();
        contents.Ownership.Should().Be(NatTableOwnership.Foreign);
        contents.LayoutVersion.Should().Be(4);
        contents.NotOwnedMessage.Should().Contain("newer Netfilter.Net (layout 4; this version knows layout 3");
    }

    [Fact]
    public void A_layout_1_table_is_read_from_its_comments_for_migration()
    {
        NatTableContents contents = new NatSnapshot("t", comment: "nfnet NAT table t", rules: new[] { Forward, Redirect, Forward }).Read();
        contents.Ownership.Should().Be(NatTableOwnership.Legacy);
        contents.LayoutVersion.Should().Be(1);
        contents.LegacyRules.Should().Equal(Redirect, Forward);
        NatTableReport report = NatTableReport.From(contents);
        report.Rules.Should().Equal(Redirect, Forward);
        report.LayoutProblems.Should().ContainSingle().Which.Should().Contain("migrates it to layout 3");
    }

    [Fact]
    public void A_layout_2_table_is_read_from_its_comments_for_migration_and_has_no_statistics()
    {
        NatTableContents contents = new NatSnapshot("t", comment: "nfnet NAT table t layout 2", rules: new[] { Forward, Redirect, Conditional }).Read();
        contents.Ownership.Should().Be(NatTableOwnership.Legacy);
        contents.LayoutVersion.Should().Be(2);
        contents.LegacyRules.Should().BeEquivalentTo(new[] { Forward, Redirect, Conditional });
        NatTableReport report = NatTableReport.From(contents);
        report.LayoutProblems.Should().ContainSingle().Which.Should().Be(
            "the table is in layout 2 (written before typed rules counted what they translate): the next change migrates it to layout 3 in one transaction");
        report.Statistics.Select(s => s.Rule).Should().Equal(report.Rules);
        report.Statistics.Should().OnlyContain(s => s.Packets == null && s.Bytes == null);
    }

    [Fact]
    public void Statistics_sum_the_counters_of_the_pieces_that_translate_and_only_those()
    {
        NatRule both = NatRuleParser.Parse("dnat both 5000 to 10.0.2.2:22");
        NatRule twoSources = NatRuleParser.Parse("redirect tcp 81 to 8081 from 10.0.1.0/24,10.0.3.0/24 local");
        NatTableContents contents = Table(Forward, Second, Conditional, both, twoSources, Snat, Tproxy).Counted(packets: 2, bytes: 120).Read();
        contents.Rules.Should().OnlyContain(r => r.IsWhole, "counter values are what a rule counted, not what it is: " + string.Join("; ", contents.Rules.SelectMany(r => r.Problems())));
        NatTableReport report = NatTableReport.From(contents);
        report.IsIntact.Should().BeTrue(report.ToString());
        Dictionary<string, (ulong?, ulong?)> figures = report.Statistics.ToDictionary(s => s.Rule.ToString(), s => (s.Packets, s.Bytes));
        figures[Forward.ToString()].Should().Be((2UL, 120UL), "its dnat4_pre element; its masq4 element is a return path");
        figures[Second.ToString()].Should().Be((4UL, 240UL), "its dnat4_pre and dnat4_out elements");
        figures[Conditional.ToString()].Should().Be((2UL, 120UL), "its pre_rules rule; its post_forward masquerade and hairpin rules are return paths");
        figures[both.ToString()].Should().Be((4UL, 240UL), "its tcp and udp elements");
        figures[twoSources.ToString()].Should().Be((8UL, 480UL), "one rule per source prefix in pre_rules and in out_rules");
        figures[Snat.ToString()].Should().Be((2UL, 120UL));
        figures[Tproxy.ToString()].Should().Be((2UL, 120UL));
        report.Statistics.Single(s => s.Rule.Equals(Tproxy)).CountsConnections.Should().BeFalse("the tproxy chain is a filter chain: it counts every packet");
        report.Statistics.Single(s => s.Rule.Equals(Forward)).ToString().Should().Be("dnat tcp 2222 to 10.0.2.2:22 masquerade: 2 connections (120 bytes)");
    }

    [Fact]
    public void Elements_without_counters_are_whole_and_read_back_without_statistics()
    {
        NatTableContents contents = Table(Forward, Conditional).WithoutElementCounters().Read();
        contents.Rules.Should().OnlyContain(r => r.IsWhole, "a kernel that keeps no per-element counter changes nothing on the packet path");
        NatTableReport report = NatTableReport.From(contents);
        report.IsIntact.Should().BeTrue(report.ToString());
        report.Statistics.Single(s => s.Rule.Equals(Forward)).Packets.Should().BeNull();
        report.Statistics.Single(s => s.Rule.Equals(Forward)).ToString().Should().EndWith(": no counters");
        report.Statistics.Single(s => s.Rule.Equals(Conditional)).Packets.Should().Be(0, "its rule has its counter");
    }

    [Fact]
    public void A_conditional_rule_without_its_counter_is_partial()
    {
        NatTableContents contents = Table(Conditional)
            .DeleteRules(NatTableLayout.PreRules, _ => true)
            .AddRule(NatRuleCompiler.Compile("t", Conditional, NatRuleSpace.ConnectedNetwork).Rules.Single(r => r.Chain == NatTableLayout.PreRules) is Rule r
                ? r with { Expressions = r.Expressions.Where(e => e is not CounterExpression).ToList() }
                : throw new InvalidOperationException())
            .Read();
        NatFoundRule found = contents.Find(Conditional.ToString())!;
        found.IsWhole.Should().BeFalse("a layout-3 rule translates with its counter; ApplyAsync writes it again");
        found.Problems().Should().Contain("missing rule in chain pre_rules");
    }

    [Fact]
    public void A_missing_table_is_empty_and_lacks_its_whole_layout()
    {
        NatTableContents contents = Table(Forward).WithoutTable().Read();
        contents.Ownership.Should().Be(NatTableOwnership.Missing);
        contents.Exists.Should().BeFalse();
        contents.MissingChains.Should().HaveCount(NatTableLayout.AllChains.Length);
        NatTableReport.From(contents).IsIntact.Should().BeTrue("there is nothing wrong in a table that is not there");
    }

    [Fact]
    public void A_hairpin_rule_is_whole_with_the_network_it_was_written_for_and_stale_when_the_host_moved()
    {
        var old = new NatSnapshot("t", connectedNetwork: _ => IPNetwork.Parse("10.0.0.0/16"), rules: Conditional);
        NatFoundRule found = old.Read().Find(Conditional.ToString())!;
        found.IsWhole.Should().BeTrue();
        found.HairpinNetwork.Should().Be(IPNetwork.Parse("10.0.0.0/16"));
        found.IsStale.Should().BeFalse("no host was consulted");
        NatFoundRule judged = old.Read(NatRuleSpace.ConnectedNetwork).Find(Conditional.ToString())!;
        judged.IsStale.Should().BeTrue("the host's network of 10.0.2.2 is 10.0.2.0/24 now");
        NatTableReport.From(old.Read(NatRuleSpace.ConnectedNetwork)).Stale.Should().Equal(Conditional);
        new NatSnapshot("t", rules: Conditional).Read(NatRuleSpace.ConnectedNetwork).Find(Conditional.ToString())!.IsStale.Should().BeFalse();
    }

    [Fact]
    public void The_report_prints_rules_first_then_comment_lines()
    {
        NatTableContents contents = Table(Forward, Redirect).DeleteElement(NatTableLayout.RedirectOut, "tcp . 80 : 8080")
            .AddElement(NatTableLayout.Dnat4Pre, new SetElement(NatRuleCompiler.Key(6, 4444)) { Data = NftData.Concat(NftData.FromIPAddress(IPAddress.Parse("10.0.2.9")), NftData.FromPort(22)) })
            .Read();
        NatTableReport.From(contents).ToString().Should().Be(
            "dnat tcp 2222 to 10.0.2.2:22 masquerade\n"
            + "# partial: redirect tcp 80 to 8080 local (missing element tcp . 80 : 8080 in map redirect_out)\n"
            + "# foreign: element tcp . 4444 : 10.0.2.9 . 22 in map dnat4_pre (no comment)\n");
    }
}
