using Netfilter.Net.Nat;

namespace Netfilter.Net.Tests.Nat;

/// <summary>NatRuleConflicts: ApplyAsync's conflict check, public and by index.</summary>
public sealed class NatRuleConflictsTests
{
    private static NatRule R(string text) => NatRuleParser.Parse(text);

    [Fact]
    public void Within_reports_each_conflicting_pair_by_index_in_input_order_and_skips_repeats()
    {
        NatRule[] rules =
        {
            R("redirect tcp 80 to 8080"),
            R("dnat tcp 2222 to 10.0.2.2:22"),
            R("dnat tcp 2222 to 10.0.2.9:22"),
            R("redirect tcp 80 to 8080"),
            R("dnat tcp 80 to 10.0.2.2"),
        };

        IReadOnlyList<(int First, int Second, string Reason)> conflicts = NatRuleConflicts.Within(rules);

        conflicts.Select(c => (c.First, c.Second)).Should().Equal((0, 4), (1, 2));
        conflicts[0].Reason.Should().Be(NatConflicts.Between(rules[0], rules[4]));
        conflicts[1].Reason.Should().Be("they have the same match (dnat ipv4 tcp 2222) with other options");
    }

    [Fact]
    public void Within_agrees_with_ApplyAsyncs_check()
    {
        NatRule[] rules = { R("dnat tcp 2000-2010 to 10.0.2.2"), R("dnat tcp 2011-2020 to 10.0.2.2"), R("dnat tcp 2005 to 10.0.2.3:22") };

        NatRuleConflicts.Within(rules).Select(c => (c.First, c.Second)).Should().Equal((0, 2));
        NatConflicts.Within(rules).Should().ContainSingle();
    }

    [Fact]
    public void Between_is_null_for_identical_rules_and_for_rules_that_can_share()
    {
        NatRuleConflicts.Between(R("redirect tcp 80 to 8080"), R("redirect tcp 80 to 8080")).Should().BeNull();
        NatRuleConflicts.Between(R("redirect tcp 80 to 8080"), R("redirect udp 80 to 8080")).Should().BeNull();
        NatRuleConflicts.Between(R("redirect tcp 80 to 8080"), R("redirect tcp 80 to 8081")).Should().NotBeNull();
    }

    [Fact]
    public void A_null_rule_is_named()
    {
        Action within = () => NatRuleConflicts.Within(new NatRule[] { R("redirect tcp 80 to 8080"), null! });

        within.Should().Throw<ArgumentNullException>().WithMessage("rules[1] is null*");
    }
}
