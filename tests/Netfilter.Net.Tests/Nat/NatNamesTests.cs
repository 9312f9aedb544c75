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
