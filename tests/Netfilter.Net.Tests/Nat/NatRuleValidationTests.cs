using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Tests.Nat;

/// <summary>Every invalid parameter is refused when the rule is built, with an ArgumentException that names it.</summary>
public sealed class NatRuleValidationTests
{
    private static readonly IPAddress V4 = IPAddress.Parse("192.168.1.10");
    private static readonly IPAddress V6 = IPAddress.Parse("2001:db8::10");

    public static IEnumerable<object[]> BadInput() => new (string Parameter, Action Build)[]
    {
        ("first", () => PortRange.Single(0)),
        ("first", () => new PortRange(70000, 70001)),
        ("last", () => new PortRange(90, 80)),
        ("text", () => PortRange.Parse("http")),
        ("protocol", () => new RedirectRule(default(TransportProtocol), PortRange.Single(80), 8080)),
        ("ports", () => new RedirectRule(TransportProtocol.Tcp, default, 8080)),
        ("toPort", () => new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 0)),
        ("toPort", () => new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 65536)),
        ("inputInterface", () => new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, inputInterface: "averyveryverylongname0")),
        ("inputInterface", () => new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, inputInterface: "")),
        ("inputInterface", () => new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, inputInterface: "eth 0")),
        ("sources", () => new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, destination: V4, sources: new[] { IPNetwork.Parse("2001:db8::/32") })),
        ("toAddress", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), null!)),
        ("toAddress", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse("::ffff:10.0.0.1"))),
        ("toPorts", () => new DnatRule(TransportProtocol.Tcp, null, V4, PortRange.Single(22))),
        ("toPorts", () => new DnatRule(TransportProtocol.Tcp, new PortRange(8000, 8010), V4, new PortRange(9000, 9010))),
        ("random", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), V4, PortRange.Single(22), random: true)),
        ("destination", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), V4, destination: V6)),
        ("sources", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), V6, sources: new[] { IPNetwork.Parse("10.0.0.0/8") })),
        ("inputInterface", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), V4, inputInterface: "sixteen-bytes-xx")),
        ("toAddressLast", () => new SnatRule(V4, IPAddress.Parse("192.168.1.1"))),
        ("toAddressLast", () => new SnatRule(V4, V6)),
        ("outputInterface", () => new SnatRule(V4, outputInterface: "a/b")),
        ("sources", () => new SnatRule(V4, sources: new[] { IPNetwork.Parse("2001:db8::/32") })),
        ("outputInterface", () => new MasqueradeRule(outputInterface: "0123456789abcdef")),
        ("mark", () => new TproxyRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, 0)),
        ("toPort", () => new TproxyRule(TransportProtocol.Tcp, PortRange.Single(80), -1, 1)),
        // Issue 15 D8: targets that name no single host.
        ("toAddress", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse("0.0.0.0"))),
        ("toAddress", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse("224.0.0.1"))),
        ("toAddress", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse("239.255.255.255"))),
        ("toAddress", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse("255.255.255.255"))),
        ("toAddress", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse("::"))),
        ("toAddress", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse("ff02::1"))),
        ("toAddress", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse("fe80::1%2"))),
        ("toAddress", () => new SnatRule(IPAddress.Parse("239.1.1.1"))),
        ("toAddress", () => new SnatRule(IPAddress.Parse("0.0.0.0"))),
        ("toAddressLast", () => new SnatRule(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("255.255.255.255"))),
        ("destination", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), V6, destination: IPAddress.Parse("fe80::1%2"))),
        ("destination", () => new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, destination: IPAddress.Parse("fe80::1%2"))),
        ("toAddress", () => new TproxyRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, 1, IPAddress.Parse("fe80::1%2"))),
        ("sources", () => new MasqueradeRule(sources: new[] { new IPNetwork(IPAddress.Parse("fe80::%2"), 64) })),
        // Issue 15 D11: names Linux refuses (dev_valid_name).
        ("inputInterface", () => new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, inputInterface: ".")),
        ("inputInterface", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), V4, inputInterface: "..")),
        ("inputInterface", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), V4, inputInterface: "eth:0")),
        ("inputInterface", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), V4, inputInterface: "eth\n0")),
        ("inputInterface", () => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), V4, inputInterface: "eth\t0")),
        ("outputInterface", () => new MasqueradeRule(outputInterface: "..")),
        ("outputInterface", () => new SnatRule(V4, outputInterface: "a\u0000b")),
        ("name", () => new NatTable("bad name")),
        ("name", () => new NatTable("")),
    }.Select(c => new object[] { c.Parameter, c.Build });

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Invalid_input_is_refused_naming_the_parameter(string parameter, Action build)
    {
        build.Should().Throw<ArgumentException>().Which.ParamName.Should().Be(parameter);
    }

    [Theory]
    [InlineData("0.0.0.0", "is the unspecified address, which names no host: a forward's target must be the address of one host")]
    [InlineData("224.0.0.1", "is a multicast address (224.0.0.0/4)")]
    [InlineData("255.255.255.255", "is the limited broadcast address")]
    [InlineData("ff02::1", "is a multicast address (ff00::/8)")]
    [InlineData("fe80::1%2", "has a scope id (%2): nftables cannot carry a scope id")]
    public void A_target_that_names_no_single_host_is_refused_with_the_reason(string address, string reason)
    {
        FluentActions.Invoking(() => new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse(address)))
            .Should().Throw<ArgumentException>().Which.Message.Should().StartWith(IPAddress.Parse(address) + " " + reason);
    }

    [Theory]
    [InlineData(".", "'.' is not an interface name: Linux refuses \".\" and \"..\" (dev_valid_name)")]
    [InlineData("..", "'..' is not an interface name")]
    [InlineData("eth\n0", "'eth\\n0' is not an interface name: it contains '\\n', which Linux does not allow in names")]
    [InlineData("eth 0", "'eth 0' is not an interface name: it contains a space")]
    [InlineData("a/b", "'a/b' is not an interface name: it contains '/'")]
    [InlineData("a,b", "'a,b' is not an interface name: it contains ',', which a rule's text cannot carry")]
    [InlineData("sixteen_chars_xx", "'sixteen_chars_xx' is not an interface name: it is 16 bytes; Linux allows at most 15 (IFNAMSIZ - 1)")]
    [InlineData("", "'' is not an interface name: it is empty")]
    public void An_interface_name_Linux_refuses_is_refused_on_one_line(string name, string message)
    {
        FluentActions.Invoking(() => new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, inputInterface: name))
            .Should().Throw<ArgumentException>().Which.Message.Should().StartWith(message).And.NotContain("\n");
    }

    [Theory]
    [InlineData("redirect tcp 80 to 8080")]
    [InlineData("redirect both 8000-8100 to 3128 dst 10.0.0.1 iif eth0 from 10.0.0.0/8,192.168.0.0/16 local")]
    [InlineData("dnat tcp 2222 to 192.168.1.10:22 masquerade")]
    [InlineData("dnat udp 53 to [2001:db8::53]:5353 from 2001:db8::/32 hairpin local")]
    [InlineData("dnat tcp all to 10.0.0.2")]
    [InlineData("dnat tcp 8000-8100 to 10.0.0.2:8000-8100 persistent random")]
    [InlineData("snat oif wan to 203.0.113.1-203.0.113.9 from 10.0.0.0/8")]
    [InlineData("masquerade oif wan from 10.0.0.0/8,fd00::/8 random fully-random")]
    [InlineData("tproxy tcp 80 to :8080 mark 0x1")]
    [InlineData("tproxy udp 53 to [::1]:5353 mark 0x2a")]
    public void Canonical_text_parses_back_to_an_equal_rule(string text)
    {
        NatRule rule = NatRuleParser.Parse(text);
        rule.ToString().Should().Be(text);
        NatRuleParser.Parse(rule.ToString()).Should().Be(rule);
    }

    [Theory]
    [InlineData("")]
    [InlineData("dnat tcp 2222 to")]
    [InlineData("forward tcp 1 to 2")]
    [InlineData("redirect tcp 80 to 8080 extra")]
    [InlineData("dnat tcp 2222 to 999.1.1.1:22")]
    public void Text_that_is_not_a_rule_is_refused(string text)
    {
        NatRuleParser.TryParse(text, out NatRule? rule, out string? error).Should().BeFalse();
        rule.Should().BeNull();
        error.Should().NotBeNullOrEmpty();
        FluentActions.Invoking(() => NatRuleParser.Parse(text)).Should().Throw<FormatException>();
    }

    [Fact]
    public void Sources_are_deduplicated_and_ordered_so_equal_rules_compare_equal()
    {
        var a = new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), V4, sources: new[] { IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12") });
        var b = new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), V4, sources: new[] { IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8") });
        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
    }
}
