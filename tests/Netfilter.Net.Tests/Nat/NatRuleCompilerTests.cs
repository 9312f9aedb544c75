using System.Net;
using CsCheck;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Tests.Nat;

/// <summary>
/// The compiler gives every typed rule pieces of its own (layout 2 and later): two rules that do not
/// conflict never compile to the same map or set element, nor to the same rule in the same chain.
/// </summary>
public sealed class NatRuleCompilerTests
{
    /// <summary>A rule's pieces: elements by (set, key), rules by (chain, expressions as the kernel dumps them).</summary>
    private static HashSet<string> Pieces(NatRule rule)
    {
        CompiledNatRule compiled = NatRuleCompiler.Compile("t", rule, NatRuleSpace.ConnectedNetwork);
        var pieces = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string set, SetElement element) in compiled.Elements)
        {
            pieces.Add($"element {set} {element.Key}");
        }
        foreach (Rule r in compiled.Rules)
        {
            pieces.Add($"rule {r.Chain} {NatRuleText.Of(r)}");
        }
        return pieces;
    }

    [Fact]
    public void Two_rules_that_do_not_conflict_have_disjoint_pieces()
    {
        Gen.Select(NatRuleSpace.Rule, NatRuleSpace.Rule).Sample((a, b) =>
        {
            if (NatConflicts.Between(a, b) is not null)
            {
                return;
            }
            Pieces(a).Intersect(Pieces(b)).Should().BeEmpty($"'{a}' and '{b}' do not conflict, so no piece may serve both");
        }, iter: 20_000);
    }

    [Fact]
    public void Every_piece_that_translates_counts_once_and_return_paths_count_nothing()
    {
        NatRuleSpace.Rule.Sample(rule =>
        {
            CompiledNatRule compiled = NatRuleCompiler.Compile("t", rule, NatRuleSpace.ConnectedNetwork);
            foreach ((string set, SetElement element) in compiled.Elements)
            {
                int counters = element.Expressions?.Count(e => e is CounterExpression) ?? 0;
                counters.Should().Be(NatTableLayout.IsCounted(set) ? 1 : 0, $"'{rule}': element {NatElementText.Format(set, element)} in {set}");
            }
            foreach (Rule r in compiled.Rules)
            {
                var expressions = r.Expressions.ToList();
                int at = expressions.FindIndex(e => e is CounterExpression);
                if (r.Chain == NatTableLayout.PostForward)
                {
                    at.Should().Be(-1, $"'{rule}': a return path sees connections its forward already counted");
                    continue;
                }
                expressions.Count(e => e is CounterExpression).Should().Be(1, $"'{rule}' in {r.Chain}");
                // Right before the translation: every expression after it loads a register or translates, none matches.
                expressions.Skip(at + 1).Where(e => !LoadsOrTranslates(e)).Should().BeEmpty($"'{rule}' in {r.Chain}: after the counter only loads and the translation come: {NatRuleText.Of(r)}");
                expressions.Take(at).Where(Translates).Should().BeEmpty($"'{rule}': the counter runs before the translation ends the rule");
            }
        }, iter: 2_000);
    }

    private static bool Translates(NftExpression e) => e is NatExpression or RedirExpression or MasqExpression or TproxyExpression;

    private static bool LoadsOrTranslates(NftExpression e) => Translates(e) || e is ImmediateExpression or MetaExpression;

    [Fact]
    public void Two_forwards_to_one_backend_each_own_their_masquerade_element()
    {
        var first = new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true);
        var second = new DnatRule(TransportProtocol.Tcp, PortRange.Single(2223), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true);
        (string Set, SetElement Element) a = NatRuleCompiler.Compile("t", first, _ => null).Elements.Single(e => e.Set == NatTableLayout.Masq4);
        (string Set, SetElement Element) b = NatRuleCompiler.Compile("t", second, _ => null).Elements.Single(e => e.Set == NatTableLayout.Masq4);
        // protocol . public port . target address . target port, each padded to 4 bytes.
        a.Element.Key.ToString().Should().Be("06000000" + "08ae0000" + "0a000202" + "00160000");
        b.Element.Key.ToString().Should().Be("06000000" + "08af0000" + "0a000202" + "00160000");
        NatElementText.Format(a.Set, a.Element).Should().Be("tcp . 2222 . 10.0.2.2 . 22");
    }

    [Fact]
    public void The_return_path_of_a_conditional_forward_matches_its_own_claim_through_conntrack()
    {
        var rule = new DnatRule(TransportProtocol.Tcp, new PortRange(2000, 2010), IPAddress.Parse("10.0.2.2"), PortRange.Single(22),
            destination: IPAddress.Parse("10.0.1.1"), sources: new[] { IPNetwork.Parse("10.0.1.0/24") }, masquerade: true, hairpin: true);
        CompiledNatRule compiled = NatRuleCompiler.Compile("t", rule, NatRuleSpace.ConnectedNetwork);
        compiled.Elements.Should().BeEmpty();
        List<string> post = compiled.Rules.Where(r => r.Chain == NatTableLayout.PostForward).Select(NatRuleText.Of).ToList();
        post.Should().HaveCount(2);
        // ct status dnat meta nfproto ipv4 ct original ip daddr 10.0.1.1 ct original ip saddr 10.0.1.0/24
        // meta l4proto tcp ct original proto-dst 2000-2010 ip daddr 10.0.2.2 th dport 22 masquerade
        post[0].Should().Be(
            "[ ct load status => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x00000020 ) ^ 0x00000000 ] [ cmp neq reg 1 0x00000000 ] "
            + "[ meta load nfproto => reg 1 ] [ cmp eq reg 1 0x00000002 ] "
            + "[ ct load dst_ip => reg 1 , dir original ] [ cmp eq reg 1 0x0101000a ] "
            + "[ ct load src_ip => reg 1 , dir original ] [ bitwise reg 1 = ( reg 1 & 0x00ffffff ) ^ 0x00000000 ] [ cmp eq reg 1 0x0001000a ] "
            + "[ meta load l4proto => reg 1 ] [ cmp eq reg 1 0x00000006 ] "
            + "[ ct load proto_dst => reg 1 , dir original ] [ cmp gte reg 1 0x0000d007 ] [ cmp lte reg 1 0x0000da07 ] "
            + "[ payload load 4b @ network header + 16 => reg 1 ] [ cmp eq reg 1 0x0202000a ] "
            + "[ payload load 2b @ transport header + 2 => reg 1 ] [ cmp eq reg 1 0x00001600 ] [ masq ]");
        // The hairpin rule adds ip saddr 10.0.2.0/24 (the server's network) after the family.
        post[1].Should().Contain("[ payload load 4b @ network header + 12 => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x00ffffff ) ^ 0x00000000 ] [ cmp eq reg 1 0x0002000a ]")
            .And.Contain("[ ct load proto_dst => reg 1 , dir original ]");
        NatRuleCompiler.HairpinNetwork(compiled.Rules.Where(r => r.Chain == NatTableLayout.PostForward).Last()).Should().Be(IPNetwork.Parse("10.0.2.0/24"));
        NatRuleCompiler.HairpinNetwork(compiled.Rules.Where(r => r.Chain == NatTableLayout.PostForward).First()).Should().BeNull();
    }

    [Fact]
    public void The_masquerade_layout_rule_loads_the_public_key_and_the_target_into_one_concatenation()
    {
        Rule masq4 = NatTableLayout.RuleDefinitions("t").Single(r => r.Comment == "nfnet layout: masquerade @masq4");
        // As nft --debug=netlink lists the equivalent rule: l4proto in reg 1, proto-dst in reg 9, daddr in reg 10, dport in reg 11.
        NatRuleText.Of(masq4).Should().Be(
            "[ ct load status => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x00000020 ) ^ 0x00000000 ] [ cmp neq reg 1 0x00000000 ] "
            + "[ meta load nfproto => reg 1 ] [ cmp eq reg 1 0x00000002 ] "
            + "[ meta load l4proto => reg 1 ] [ ct load proto_dst => reg 9 , dir original ] "
            + "[ payload load 4b @ network header + 16 => reg 10 ] [ payload load 2b @ transport header + 2 => reg 11 ] "
            + "[ lookup reg 1 set masq4 0x0 ] [ masq ]");
        Rule masq6 = NatTableLayout.RuleDefinitions("t").Single(r => r.Comment == "nfnet layout: masquerade @masq6");
        NatRuleText.Of(masq6).Should().Contain("[ payload load 16b @ network header + 24 => reg 10 ] [ payload load 2b @ transport header + 2 => reg 14 ] [ lookup reg 1 set masq6 0x0 ]");
        NatTableLayout.SetDefinitions("t").Single(s => s.Name == NatTableLayout.Masq6).KeyLength.Should().Be(28);
    }

    [Fact]
    public void The_text_a_rule_is_compared_by_is_what_the_kernel_dumps_back()
    {
        // nft_nat_init: a missing maximum register is the minimum, and the flags follow from the registers given.
        var rule = new DnatRule(TransportProtocol.Tcp, new PortRange(2000, 2010), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), sources: new[] { IPNetwork.Parse("10.0.1.0/24") });
        Rule compiled = NatRuleCompiler.Compile("t", rule, _ => null).Rules.Single();
        NatRuleText.Of(compiled).Should().EndWith("[ nat dnat ip addr_min reg 1 addr_max reg 1 proto_min reg 2 proto_max reg 2 flags 0x3 ]");
    }

    [Fact]
    public void Every_rule_of_the_space_reads_back_from_its_canonical_text()
    {
        NatRuleSpace.Rule.Sample(rule =>
        {
            NatRule parsed = NatRuleParser.Parse(rule.ToString());
            parsed.Should().Be(rule);
            parsed.Identity.Should().Be(rule.Identity);
        }, iter: 2000);
    }
}
