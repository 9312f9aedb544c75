using CsCheck;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Tests.Nat;

/// <summary>
/// Which typed rules can share a table (<see cref="NatConflicts"/>): a table of cases, each pair
/// checked in both orders, and the sweep over many rules checked against every pair.
/// </summary>
public sealed class NatConflictsTests
{
    public static IEnumerable<object[]> Cases() => new (string A, string B, string? Why)[]
    {
        // Forwards: family, protocol, ports.
        ("dnat tcp 2222 to 10.0.2.2:22", "dnat tcp 2222 to [fd02::2]:22", null),
        ("dnat tcp 2222 to 10.0.2.2:22", "dnat tcp 2222 to 10.0.2.9:22", "the same match (dnat ipv4 tcp 2222) with other options"),
        ("dnat tcp 2222 to 10.0.2.2:22", "dnat tcp 2222 to 10.0.2.2:22 masquerade", "the same match"),
        ("dnat tcp 2222 to 10.0.2.2:22", "dnat udp 2222 to 10.0.2.2:22", null),
        ("dnat both 2222 to 10.0.2.2:22", "dnat udp 2222 to 10.0.2.3:22", "both claim udp port 2222 of ipv4 connections (prerouting)"),
        ("dnat tcp 2222 to 10.0.2.2:22 masquerade", "dnat tcp 2223 to 10.0.2.2:22 masquerade", null),
        ("dnat tcp 2000-2010 to 10.0.2.2", "dnat tcp 2005 to 10.0.2.3:22", "both claim tcp port 2005 of ipv4 connections (prerouting)"),
        ("dnat tcp 2000-2010 to 10.0.2.2", "dnat tcp 2008-2020 to 10.0.2.3", "both claim tcp ports 2008-2010"),
        ("dnat tcp 2000-2010 to 10.0.2.2", "dnat tcp 2011-2020 to 10.0.2.2", null),
        ("dnat tcp all to 10.0.2.2", "dnat tcp 2222 to 10.0.2.3:22", "both claim tcp port 2222"),
        // Sources: disjoint, nested, none.
        ("dnat tcp 2222 to 10.0.2.2:22 from 10.0.1.0/24", "dnat tcp 2222 to 10.0.2.3:22 from 10.0.3.0/24", null),
        ("dnat tcp 2222 to 10.0.2.2:22 from 10.0.0.0/8", "dnat tcp 2222 to 10.0.2.3:22 from 10.0.1.0/24", "from 10.0.1.0/24"),
        ("dnat tcp 2222 to 10.0.2.2:22 from 10.0.1.0/24", "dnat tcp 2222 to 10.0.2.3:22", "from 10.0.1.0/24"),
        ("dnat tcp 2222 to 10.0.2.2:22 from 10.0.1.0/25", "dnat tcp 2222 to 10.0.2.3:22 from 10.0.1.128/25", null),
        // Destination addresses.
        ("dnat tcp 2222 to 10.0.2.2:22 dst 10.0.1.1", "dnat tcp 2222 to 10.0.2.3:22 dst 10.0.1.9", null),
        ("dnat tcp 2222 to 10.0.2.2:22 dst 10.0.1.1", "dnat tcp 2222 to 10.0.2.3:22", "to 10.0.1.1"),
        // Input interface: none overlaps any; two interfaces are apart unless both are local (output has no interface).
        ("dnat tcp 2222 to 10.0.2.2:22 iif lan", "dnat tcp 2222 to 10.0.2.3:22", "arriving on lan"),
        ("dnat tcp 2222 to 10.0.2.2:22 iif lan", "dnat tcp 2222 to 10.0.2.3:22 iif lan2", null),
        ("dnat tcp 2222 to 10.0.2.2:22 iif lan local", "dnat tcp 2222 to 10.0.2.3:22 iif lan2 local", "(output)"),
        ("dnat tcp 2222 to 10.0.2.2:22 iif lan local", "dnat tcp 2222 to 10.0.2.3:22 iif lan2", null),
        // ...but two forwards to the same target told apart only by the input interface are refused.
        ("dnat tcp 2222 to 10.0.2.2:22 iif lan", "dnat tcp 2222 to 10.0.2.2:22 iif lan2 masquerade", "told apart only by their input interface (lan, lan2): conntrack does not record the input interface"),
        ("dnat tcp 2222 to 10.0.2.2:22 iif lan", "dnat tcp 2222 to 10.0.2.2:23 iif lan2", null),
        ("dnat tcp 2222 to 10.0.2.2 iif lan", "dnat tcp 2222 to 10.0.2.2:2222 iif lan2", "told apart only by their input interface"),
        // Redirect, forward and tproxy compete for the same packets.
        ("redirect tcp 2222 to 8080", "dnat tcp 2222 to 10.0.2.2:22", "both claim tcp port 2222 of ipv4 connections (prerouting)"),
        ("redirect tcp 2222 to 8080 dst fd01::1", "dnat tcp 2222 to 10.0.2.2:22", null),
        ("redirect tcp 80 to 8080 from 10.0.1.0/24", "dnat tcp 80 to [fd02::2]:22", null),
        ("redirect tcp 80 to 8080 from 10.0.1.0/24,fd01::/64", "dnat tcp 80 to [fd02::2]:22", "of ipv6 connections from fd01::/64"),
        ("redirect tcp 80 to 8080 local", "dnat tcp 80 to 10.0.2.2 iif lan", "arriving on lan"),
        ("redirect tcp 80 to 8080", "redirect tcp 80 to 8081 local", "the same match (redirect ipv4+ipv6 tcp 80)"),
        ("tproxy tcp 443 to :8443 mark 0x1", "redirect tcp 443 to 8080", "both claim tcp port 443 of ipv4+ipv6 connections (prerouting)"),
        ("tproxy tcp 443 to :8443 mark 0x1", "tproxy tcp 443 to :8444 mark 0x2", "the same match"),
        ("tproxy udp 443 to :8443 mark 0x1", "redirect tcp 443 to 8080", null),
        ("tproxy tcp 443 to 10.0.1.1:8443 mark 0x1", "tproxy tcp 443 to [fd01::1]:8443 mark 0x1", null),
        ("tproxy tcp 443 to 10.0.1.1:8443 mark 0x1", "dnat tcp 443 to 10.0.2.2", "both claim tcp port 443 of ipv4 connections"),
        // SNAT and masquerade compete among themselves, by output interface and source.
        ("snat oif wan to 10.0.2.1", "masquerade oif wan", "both claim ipv4 connections leaving through wan (postrouting)"),
        ("snat oif wan to 10.0.2.1", "masquerade oif wan2", null),
        ("snat oif wan to 10.0.2.1", "masquerade", "leaving through wan"),
        ("masquerade oif wan from 10.0.1.0/24", "masquerade oif wan from 10.0.2.0/24", null),
        ("masquerade oif wan from 10.0.0.0/8", "snat oif wan to 10.0.2.1 from 10.0.1.0/24", "from 10.0.1.0/24"),
        ("snat oif wan to 10.0.2.1", "masquerade oif wan from fd01::/64", null),
        ("snat oif wan to 10.0.2.1", "snat oif wan to 10.0.2.9", "the same match (snat ipv4 oif wan)"),
        ("masquerade oif wan", "masquerade oif wan random", "the same match"),
        // Different groups never compete: a forward's own return path is its own.
        ("dnat tcp 2222 to 10.0.2.2:22 masquerade", "masquerade oif wan", null),
        ("dnat tcp 2222 to 10.0.2.2:22", "snat oif wan to 10.0.2.1", null),
    }.Select(c => new object?[] { c.A, c.B, c.Why })!;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Two_rules_conflict_exactly_when_their_claims_intersect(string a, string b, string? why)
    {
        NatRule x = NatRuleParser.Parse(a), y = NatRuleParser.Parse(b);
        string? forward = NatConflicts.Between(x, y), backward = NatConflicts.Between(y, x);
        if (why is null)
        {
            forward.Should().BeNull();
            backward.Should().BeNull();
            return;
        }
        forward.Should().NotBeNull().And.Contain(why);
        backward.Should().NotBeNull("a conflict is symmetric");
    }

    [Fact]
    public void Rules_with_the_same_identity_always_conflict()
    {
        NatRuleSpace.Rule.Sample(rule =>
        {
            NatRule again = NatRuleParser.Parse(rule.ToString());
            NatConflicts.Between(rule, again).Should().NotBeNull($"'{rule}' has the same identity as itself");
        }, iter: 2000);
    }

    [Fact]
    public void A_conflict_does_not_depend_on_the_order()
    {
        Gen.Select(NatRuleSpace.Rule, NatRuleSpace.Rule).Sample((a, b) =>
            (NatConflicts.Between(a, b) is null).Should().Be(NatConflicts.Between(b, a) is null, $"'{a}' and '{b}'"), iter: 5000);
    }

    [Fact]
    public void The_sweep_over_many_rules_finds_exactly_the_conflicting_pairs()
    {
        NatRuleSpace.Rule.Array[2, 12].Sample(rules =>
        {
            var expected = new HashSet<(int, int)>();
            for (int i = 0; i < rules.Length; i++)
            {
                for (int j = i + 1; j < rules.Length; j++)
                {
                    if (NatConflicts.Between(rules[i], rules[j]) is not null)
                    {
                        expected.Add((i, j));
                    }
                }
            }
            int Index(NatRule rule) => Array.FindIndex(rules, r => ReferenceEquals(r, rule));
            var found = NatConflicts.Within(rules).Select(c => (Index(c.A), Index(c.B))).ToHashSet();
            found.Should().BeEquivalentTo(expected);
        }, iter: 1000);
    }

    [Fact]
    public void Ten_thousand_forwards_on_distinct_ports_have_no_conflict()
    {
        var rules = Enumerable.Range(0, 10_000)
            .Select(i => (NatRule)new DnatRule(TransportProtocol.Tcp, PortRange.Single(10000 + i), System.Net.IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true))
            .ToList();
        NatConflicts.Within(rules).Should().BeEmpty("forwards to one backend on distinct public ports each own their packets");
    }
}
