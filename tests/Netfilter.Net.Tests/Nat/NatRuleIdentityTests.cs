using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Tests.Nat;

/// <summary>A rule's identity is its kind and match; everything else is an option.</summary>
public sealed class NatRuleIdentityTests
{
    [Theory]
    [InlineData("dnat tcp 2222 to 10.0.2.2:22", "dnat tcp 2222 to 10.0.2.9:2200 masquerade hairpin local", "dnat ipv4 tcp 2222")]
    [InlineData("dnat tcp 2000-2010 to 10.0.2.2 persistent", "dnat tcp 2000-2010 to 10.0.2.3:22", "dnat ipv4 tcp 2000-2010")]
    [InlineData("dnat tcp 2222 to [fd02::2]:22", "dnat tcp 2222 to [fd02::3]:22 masquerade", "dnat ipv6 tcp 2222")]
    [InlineData("dnat udp all to 10.0.2.2 dst 10.0.1.1 iif lan from 10.0.1.0/24", "dnat udp all to 10.0.2.7 dst 10.0.1.1 iif lan from 10.0.1.0/24 masquerade", "dnat ipv4 udp all dst 10.0.1.1 iif lan from 10.0.1.0/24")]
    [InlineData("redirect tcp 80 to 8080", "redirect tcp 80 to 3128 local", "redirect ipv4+ipv6 tcp 80")]
    [InlineData("redirect tcp 80 to 8080 from 10.0.1.0/24", "redirect tcp 80 to 8081 from 10.0.1.0/24", "redirect ipv4 tcp 80 from 10.0.1.0/24")]
    [InlineData("redirect tcp 80 to 8080 dst fd01::1", "redirect tcp 80 to 8081 dst fd01::1 local", "redirect ipv6 tcp 80 dst fd01::1")]
    [InlineData("tproxy tcp 443 to :8443 mark 0x1", "tproxy tcp 443 to :9443 mark 0x7", "tproxy ipv4+ipv6 tcp 443")]
    [InlineData("tproxy udp 53 to 10.0.1.1:5353 mark 0x1", "tproxy udp 53 to 10.0.1.2:53 mark 0x2", "tproxy ipv4 udp 53")]
    [InlineData("snat oif wan to 10.0.2.1", "snat oif wan to 10.0.2.1-10.0.2.9", "snat ipv4 oif wan")]
    [InlineData("masquerade oif wan from 10.0.1.0/24", "masquerade oif wan from 10.0.1.0/24 random fully-random", "masquerade ipv4 oif wan from 10.0.1.0/24")]
    [InlineData("masquerade", "masquerade random", "masquerade ipv4+ipv6")]
    public void Options_are_not_part_of_the_identity(string a, string b, string identity)
    {
        NatRule x = NatRuleParser.Parse(a), y = NatRuleParser.Parse(b);
        x.Should().NotBe(y, "they are different rules");
        x.Identity.Should().Be(y.Identity);
        x.Identity.GetHashCode().Should().Be(y.Identity.GetHashCode());
        x.Identity.ToString().Should().Be(identity);
    }

    [Theory]
    [InlineData("dnat tcp 2222 to 10.0.2.2:22", "dnat both 2222 to 10.0.2.2:22")]
    [InlineData("dnat tcp 2222 to 10.0.2.2:22", "dnat tcp 2223 to 10.0.2.2:22")]
    [InlineData("dnat tcp 2222 to 10.0.2.2:22", "dnat tcp 2222 to [fd02::2]:22")]
    [InlineData("dnat tcp 2222 to 10.0.2.2:22", "dnat tcp 2222 to 10.0.2.2:22 dst 10.0.1.1")]
    [InlineData("dnat tcp 2222 to 10.0.2.2:22", "dnat tcp 2222 to 10.0.2.2:22 iif lan")]
    [InlineData("dnat tcp 2222 to 10.0.2.2:22", "dnat tcp 2222 to 10.0.2.2:22 from 10.0.1.0/24")]
    [InlineData("dnat tcp 2222 to 10.0.2.2:22", "redirect tcp 2222 to 22")]
    [InlineData("redirect tcp 80 to 8080", "tproxy tcp 80 to :8080 mark 0x1")]
    [InlineData("masquerade oif wan", "masquerade oif wan2")]
    [InlineData("masquerade oif wan", "snat oif wan to 10.0.2.1")]
    public void The_kind_and_every_part_of_the_match_are(string a, string b)
    {
        NatRuleParser.Parse(a).Identity.Should().NotBe(NatRuleParser.Parse(b).Identity);
    }

    [Fact]
    public void The_identity_says_what_it_is_made_of()
    {
        var rule = new DnatRule(TransportProtocol.Both, new PortRange(80, 81), IPAddress.Parse("10.0.2.2"), destination: IPAddress.Parse("10.0.1.1"),
            inputInterface: "lan", sources: new[] { IPNetwork.Parse("10.0.3.0/24"), IPNetwork.Parse("10.0.1.0/24") }, masquerade: true);
        NatRuleIdentity id = rule.Identity;
        id.Kind.Should().Be(NatRuleKind.Dnat);
        rule.Kind.Should().Be(NatRuleKind.Dnat);
        id.Families.Should().Be(NatFamilies.IPv4);
        id.Protocol.Should().Be(TransportProtocol.Both);
        id.Ports.Should().Be(new PortRange(80, 81));
        id.Destination.Should().Be(IPAddress.Parse("10.0.1.1"));
        id.InputInterface.Should().Be("lan");
        id.OutputInterface.Should().BeNull();
        id.Sources.Select(s => s.ToString()).Should().Equal("10.0.1.0/24", "10.0.3.0/24");
        id.ToString().Should().Be("dnat ipv4 both 80-81 dst 10.0.1.1 iif lan from 10.0.1.0/24,10.0.3.0/24");
    }
}
