using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Tests.Nat;

/// <summary>
/// The NAT table-name rule and the ADDR[:PORT] reader, written once in the library: what they take,
/// what they refuse and how they say it (nfnet, the doctor and the hosting options call them).
/// </summary>
public sealed class NatNamesTests
{
    [Theory]
    [InlineData("nfnet")]
    [InlineData("a")]
    [InlineData("node_fwd-2")]
    public void A_table_name_is_letters_digits_underscore_and_dash(string name)
    {
        NatTableName.IsValid(name).Should().BeTrue();
        NatTableName.Problem(name).Should().BeNull();
    }

    [Fact]
    public void Other_table_names_are_refused_with_the_reason()
    {
        NatTableName.Problem(null).Should().Be("a NAT table name is 1 to 64 characters");
        NatTableName.Problem("").Should().Be("a NAT table name is 1 to 64 characters");
        NatTableName.Problem(new string('t', 65)).Should().Be("a NAT table name is 1 to 64 characters");
        NatTableName.IsValid(new string('t', 64)).Should().BeTrue();
        NatTableName.Problem("a b").Should().Be("a NAT table name holds letters, digits, '_' and '-' only; 'a b' has ' '");
        Action create = () => new NatTable("a.b").Dispose();
        create.Should().Throw<ArgumentException>().Where(e => e.ParamName == "name" && e.Message.StartsWith(NatTableName.Problem("a.b")!, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("192.168.1.10", "192.168.1.10", null)]
    [InlineData("192.168.1.10:22", "192.168.1.10", "22")]
    [InlineData("10.0.0.1:8000-8100", "10.0.0.1", "8000-8100")]
    [InlineData("[2001:db8::10]:22", "2001:db8::10", "22")]
    [InlineData("[2001:db8::10]", "2001:db8::10", null)]
    public void An_endpoint_is_an_address_and_maybe_ports(string text, string address, string? ports)
    {
        NatEndpointParser.TryParse(text, out IPAddress parsed, out PortRange? range, out string? error).Should().BeTrue(error);
        parsed.Should().Be(IPAddress.Parse(address));
        range?.ToString().Should().Be(ports);
        (range is null).Should().Be(ports is null);
    }

    [Theory]
    [InlineData("10.1:22", "'10.1:22' is not ADDR or ADDR:PORT (IPv4 such as 192.168.1.10:22, or IPv6 in brackets such as [2001:db8::10]:22)")]
    [InlineData("2001:db8::10", "'2001:db8::10': put an IPv6 address in brackets, e.g. [2001:db8::10]:22")]
    [InlineData("[2001:db8::10", "'[2001:db8::10' has no closing ']': write [2001:db8::10]:22")]
    [InlineData("[fe80::1%2]:22", "'[fe80::1%2]:22' has a scope id ('%2'): nftables cannot carry a scope id, it matches and translates the address alone; give the address without '%'")]
    [InlineData("10.0.0.1:0", "'0' in '10.0.0.1:0' is not a port (22) or a port range (8000-8100)")]
    public void A_bad_endpoint_says_what_is_wrong(string text, string message)
    {
        NatEndpointParser.TryParse(text, out IPAddress address, out PortRange? ports, out string? error).Should().BeFalse();
        error.Should().Be(message);
        address.Should().Be(IPAddress.None);
        ports.Should().BeNull();
    }

    [Fact]
    public void Rule_texts_read_their_target_with_the_same_reader()
    {
        ((DnatRule)NatRuleParser.Parse("dnat tcp 2222 to [fd02::2]:22")).ToAddress.Should().Be(IPAddress.Parse("fd02::2"));
        NatRuleParser.TryParse("dnat tcp 2222 to 10.1:22", out _, out string? error).Should().BeFalse();
        error.Should().Contain("is not ADDR or ADDR:PORT");
    }

    [Theory]
    [InlineData("10.0.1.0/24", "10.0.1.0/24")]
    [InlineData("10.0.1.5", "10.0.1.5/32")]
    [InlineData("fd01::/64", "fd01::/64")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void A_network_is_a_prefix_or_a_single_address(string text, string expected)
    {
        NatEndpointParser.TryParseNetwork(text, out IPNetwork network, out string? error).Should().BeTrue(error);
        network.ToString().Should().Be(expected);
        error.Should().BeNull();
    }

    [Theory]
    [InlineData("10.0.1.5/24", "'10.0.1.5/24' has host bits set: did you mean 10.0.1.0/24?")]
    [InlineData("10.1/16", "'10.1/16' is not an address or a prefix (10.0.1.0/24, fd01::/64)")]
    [InlineData("010.0.0.0/8", "'010.0.0.0/8' is not an address or a prefix (10.0.1.0/24, fd01::/64)")]
    [InlineData("10.0.1.0/33", "'10.0.1.0/33' has a bad prefix length: use 0 to 32")]
    [InlineData("fd01::/-1", "'fd01::/-1' has a bad prefix length: use 0 to 128")]
    [InlineData("", "'' is not an address or a prefix (10.0.1.0/24, fd01::/64)")]
    public void A_network_that_is_a_typo_is_refused_with_what_would_be_right(string text, string message)
    {
        NatEndpointParser.TryParseNetwork(text, out IPNetwork network, out string? error).Should().BeFalse();
        error.Should().Be(message);
        network.Should().Be(default(IPNetwork));
    }

    [Theory]
    [InlineData("10.0.2.1", "10.0.2.1", null)]
    [InlineData("10.0.2.1-10.0.2.9", "10.0.2.1", "10.0.2.9")]
    [InlineData("fd02::1-fd02::9", "fd02::1", "fd02::9")]
    public void An_address_range_is_one_address_or_two_joined_by_a_dash(string text, string first, string? last)
    {
        NatEndpointParser.TryParseAddressRange(text, out IPAddress a, out IPAddress? b, out string? error).Should().BeTrue(error);
        a.Should().Be(IPAddress.Parse(first));
        b.Should().Be(last is null ? null : IPAddress.Parse(last));
    }

    [Theory]
    [InlineData("10.1", "'10.1' is not an IPv4 or IPv6 address")]
    [InlineData("10.0.2.1-10.2", "'10.0.2.1-10.2' is not an address (10.0.2.1) or an address range (10.0.2.1-10.0.2.9)")]
    [InlineData("-10.0.2.1", "'-10.0.2.1' is not an address (10.0.2.1) or an address range (10.0.2.1-10.0.2.9)")]
    public void An_address_range_that_is_a_typo_is_refused(string text, string message)
    {
        NatEndpointParser.TryParseAddressRange(text, out IPAddress first, out IPAddress? last, out string? error).Should().BeFalse();
        error.Should().Be(message);
        first.Should().Be(IPAddress.None);
        last.Should().BeNull();
    }

    /// <summary>
    /// <c>apply -f</c> reads rule lines with <see cref="NatRuleParser"/>: every address in them goes
    /// through the strict readers, so "10.1" (which IPAddress.Parse reads as 10.0.0.1) or an octal
    /// "010" is a line-numbered error, not a rule for another host.
    /// </summary>
    [Theory]
    [InlineData("redirect tcp 80 to 8080 dst 10.1", "'10.1' is not an IPv4 or IPv6 address")]
    [InlineData("dnat tcp 2222 to 10.0.2.2:22 dst 167772161", "'167772161' is not an IPv4 or IPv6 address")]
    [InlineData("snat to 10.1", "'10.1' is not an IPv4 or IPv6 address")]
    [InlineData("snat to 10.0.2.1-10.2", "is not an address (10.0.2.1) or an address range")]
    [InlineData("masquerade from 10.0.1.5/24", "has host bits set: did you mean 10.0.1.0/24?")]
    [InlineData("redirect tcp 80 to 8080 from 010.0.0.0/8", "'010.0.0.0/8' is not an address or a prefix")]
    [InlineData("tproxy tcp 80 to 10.1:8080 mark 0x1", "'10.1' is not an IPv4 or IPv6 address")]
    [InlineData("tproxy tcp 80 to ::1:8080 mark 0x1", "put an IPv6 address in brackets")]
    [InlineData("redirect tcp 80 to 8080 dst fe80::1%2", "has a scope id")]
    public void Rule_texts_read_every_address_with_the_strict_readers(string text, string message)
    {
        NatRuleParser.TryParse(text, out NatRule? rule, out string? error).Should().BeFalse();
        rule.Should().BeNull();
        error.Should().Contain(message);
    }

    [Theory]
    [InlineData("redirect tcp 80 to 8080 dst 10.0.0.1 from 10.0.1.0/24,10.0.3.7/32")]
    [InlineData("redirect tcp 80 to 8080 from 10.0.1.0/24,fd01::/64")]
    [InlineData("snat to 10.0.2.1-10.0.2.9 from 10.0.1.5/32")]
    [InlineData("tproxy tcp 80 to [fd00::1]:8080 mark 0x1")]
    [InlineData("tproxy tcp 80 to 10.0.0.1:8080 mark 0x1")]
    public void The_strict_readers_take_every_address_a_rule_prints(string text)
    {
        NatRuleParser.TryParse(text, out NatRule? rule, out string? error).Should().BeTrue(error);
        NatRuleParser.Parse(rule!.ToString()).ToString().Should().Be(rule.ToString());
    }

    [Theory]
    [InlineData("80", 80, 80)]
    [InlineData("8000-8100", 8000, 8100)]
    [InlineData("65535", 65535, 65535)]
    public void A_port_range_is_a_port_or_two_joined_by_a_dash(string text, int first, int last)
    {
        PortRange.TryParse(text, out PortRange range, out string? error).Should().BeTrue(error);
        range.Should().Be(new PortRange(first, last));
        PortRange.TryParse(text, out PortRange again).Should().BeTrue();
        again.Should().Be(range);
    }

    [Theory]
    [InlineData("0", "'0' is not a port (80) or a port range (8000-8100); ports are 1-65535")]
    [InlineData("65536", "'65536' is not a port (80) or a port range (8000-8100); ports are 1-65535")]
    [InlineData("99999999999", "'99999999999' is not a port (80) or a port range (8000-8100); ports are 1-65535")]
    [InlineData("+80", "'+80' is not a port (80) or a port range (8000-8100); ports are 1-65535")]
    [InlineData("80-", "'80-' is not a port (80) or a port range (8000-8100); ports are 1-65535")]
    [InlineData("1-2-3", "'1-2-3' is not a port (80) or a port range (8000-8100)")]
    [InlineData("", "'' is not a port (80) or a port range (8000-8100); ports are 1-65535")]
    [InlineData("90-80", "the range '90-80' ends before it starts: write 80-90")]
    public void A_port_range_that_is_a_typo_is_refused_with_what_would_be_right(string text, string message)
    {
        PortRange.TryParse(text, out PortRange range, out string? error).Should().BeFalse();
        error.Should().Be(message);
        range.Should().Be(default(PortRange));
        PortRange.TryParse(text, out _).Should().BeFalse();
        FluentActions.Invoking(() => PortRange.Parse(text)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("text");
    }

    [Fact]
    public void A_namespace_name_is_what_ip_netns_add_takes()
    {
        NetworkNamespace.IsValidName("router").Should().BeTrue();
        NetworkNamespace.IsValidName("a.b").Should().BeTrue();
        foreach (string? name in new[] { null, "", "a/b", ".", ".." })
        {
            NetworkNamespace.IsValidName(name).Should().BeFalse(name);
        }
    }
}
