using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.RuleFragments;

namespace Netfilter.Net.Tests.NfTables.Expressions;

/// <summary>masq and redir: the kernel dumps PROTO_MAX = PROTO_MIN when only the minimum was sent.</summary>
public sealed class MasqExpressionTests
{
    [Fact]
    public void Plain_masquerade()
    {
        ExpressionGolden.AddPath("masq", new MasqExpression());
        ExpressionGolden.ListPath("masq", new MasqExpression());
    }

    [Fact]
    public void Random_persistent_fully_random()
    {
        var masq = new MasqExpression { Flags = NatRangeFlags.ProtoRandom | NatRangeFlags.Persistent | NatRangeFlags.ProtoRandomFully };
        ExpressionGolden.AddPath("masq-flags", masq);
        ExpressionGolden.ListPath("masq-flags", masq);
    }

    [Fact]
    public void To_a_port()
    {
        NftExpression[] head = Rule(L4ProtoIs(6), ImmPort(R1, 1024));
        ExpressionGolden.AddPath("masq-port", Rule(head, new MasqExpression { Flags = NatRangeFlags.ProtoSpecified, ProtoMin = R1 }));
        ExpressionGolden.ListPath("masq-port", Rule(head, new MasqExpression { Flags = NatRangeFlags.ProtoSpecified, ProtoMin = R1, ProtoMax = R1 }));
    }

    [Fact]
    public void To_a_port_range_in_ip6()
    {
        NftExpression[] rule = Rule(L4ProtoIs(6), ImmPort(R1, 1024), ImmPort(R2, 2048), new MasqExpression { Flags = NatRangeFlags.ProtoSpecified, ProtoMin = R1, ProtoMax = R2 });
        ExpressionGolden.AddPath("masq-port-range", rule);
        ExpressionGolden.ListPath("masq-port-range", rule);
    }

    [Fact]
    public void Out_of_an_interface_in_inet()
    {
        NftExpression[] rule =
        {
            MetaExpression.Load(MetaKey.OutputInterfaceName, R1),
            new CmpExpression(CmpOperator.Equal, R1, NftData.FromInterfaceName("wan0")),
            new MasqExpression(),
        };
        ExpressionGolden.AddPath("masq-inet", rule);
        ExpressionGolden.ListPath("masq-inet", rule);
    }
}

public sealed class RedirExpressionTests
{
    [Fact]
    public void Plain_redirect()
    {
        ExpressionGolden.AddPath("redir", new RedirExpression());
        ExpressionGolden.ListPath("redir", new RedirExpression());
    }

    [Fact]
    public void To_a_port()
    {
        NftExpression[] head = Rule(TcpDportIs(80), ImmPort(R1, 8080));
        ExpressionGolden.AddPath("redir-port", Rule(head, new RedirExpression { ProtoMin = R1, Flags = NatRangeFlags.ProtoSpecified }));
        ExpressionGolden.ListPath("redir-port", Rule(head, new RedirExpression { ProtoMin = R1, ProtoMax = R1, Flags = NatRangeFlags.ProtoSpecified }));
    }

    [Fact]
    public void To_a_port_range_random_in_ip6()
    {
        NftExpression[] rule = Rule(TcpDportIs(80), ImmPort(R1, 8080), ImmPort(R2, 8090),
            new RedirExpression { ProtoMin = R1, ProtoMax = R2, Flags = NatRangeFlags.ProtoSpecified | NatRangeFlags.ProtoRandom });
        ExpressionGolden.AddPath("redir-port-range-random", rule);
        ExpressionGolden.ListPath("redir-port-range-random", rule);
    }

    [Fact]
    public void Udp_dns_to_5353_in_inet()
    {
        NftExpression[] head = Rule(L4ProtoIs(17), DportIs(53), ImmPort(R1, 5353));
        ExpressionGolden.AddPath("redir-inet", Rule(head, new RedirExpression { ProtoMin = R1, Flags = NatRangeFlags.ProtoSpecified }));
        ExpressionGolden.ListPath("redir-inet", Rule(head, new RedirExpression { ProtoMin = R1, ProtoMax = R1, Flags = NatRangeFlags.ProtoSpecified }));
    }
}

public sealed class TproxyExpressionTests
{
    [Theory]
    [InlineData("tproxy-ip")]
    [InlineData("tproxy-inet-ip")]
    public void Ipv4_address_and_port(string golden)
    {
        NftExpression[] rule = Rule(L4ProtoIs(6), ImmAddress(R1, "10.0.0.1"), ImmPort(R2, 8080), new TproxyExpression(NetfilterFamily.IPv4) { Address = R1, Port = R2 });
        ExpressionGolden.AddPath(golden, rule);
        ExpressionGolden.ListPath(golden, rule);
    }

    [Fact]
    public void Ipv4_address_only()
    {
        NftExpression[] rule = Rule(L4ProtoIs(17), ImmAddress(R1, "10.0.0.1"), new TproxyExpression(NetfilterFamily.IPv4) { Address = R1 });
        ExpressionGolden.AddPath("tproxy-ip-addr", rule);
        ExpressionGolden.ListPath("tproxy-ip-addr", rule);
    }

    [Fact]
    public void Ipv6_address_and_port()
    {
        NftExpression[] rule = Rule(L4ProtoIs(6), ImmAddress(R1, "fd00::1"), ImmPort(R2, 8080), new TproxyExpression(NetfilterFamily.IPv6) { Address = R1, Port = R2 });
        ExpressionGolden.AddPath("tproxy-ip6", rule);
        ExpressionGolden.ListPath("tproxy-ip6", rule);
    }

    [Fact]
    public void Ipv6_address_only_in_inet()
    {
        NftExpression[] rule = Rule(L4ProtoIs(6), ImmAddress(R1, "fd00::1"), new TproxyExpression(NetfilterFamily.IPv6) { Address = R1 });
        ExpressionGolden.AddPath("tproxy-inet-ip6", rule);
        ExpressionGolden.ListPath("tproxy-inet-ip6", rule);
    }

    [Fact]
    public void Port_only_in_inet_sends_family_0_which_is_not_printed()
    {
        NftExpression[] rule = Rule(L4ProtoIs(6), ImmPort(R1, 8080), new TproxyExpression(NetfilterFamily.Unspecified) { Port = R1 });
        ExpressionGolden.AddPath("tproxy-inet-port", rule);
        ExpressionGolden.ListPath("tproxy-inet-port", rule);
    }
}
