using System.Net;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Tests.Cli;

/// <summary>nfnet's option values: what is accepted, and the one-line message for what is not.</summary>
public sealed class ValueParsersTests
{
    [Theory]
    [InlineData("80", 80, 80)]
    [InlineData("8000-8100", 8000, 8100)]
    [InlineData("65535", 65535, 65535)]
    [InlineData("1-1", 1, 1)]
    public void Port_ranges_parse(string text, int first, int last)
    {
        ValueParsers.TryParsePortRange("--port", text, out PortRange range).Should().BeNull();
        range.Should().Be(new PortRange(first, last));
    }

    [Theory]
    [InlineData("0", "--port: '0' is not a port (80) or a port range (8000-8100); ports are 1-65535")]
    [InlineData("65536", "--port: '65536' is not a port (80) or a port range (8000-8100); ports are 1-65535")]
    [InlineData("http", "--port: 'http' is not a port (80) or a port range (8000-8100); ports are 1-65535")]
    [InlineData("90-80", "--port: the range '90-80' ends before it starts: write 80-90")]
    [InlineData("1-2-3", "--port: '1-2-3' is not a port (80) or a port range (8000-8100)")]
    [InlineData("+80", "--port: '+80' is not a port (80) or a port range (8000-8100); ports are 1-65535")]
    public void Bad_port_ranges_say_what_is_right(string text, string message)
    {
        ValueParsers.TryParsePortRange("--port", text, out _).Should().Be(message);
    }

    [Theory]
    [InlineData("10.0.2.2", "10.0.2.2", null)]
    [InlineData("10.0.2.2:22", "10.0.2.2", "22")]
    [InlineData("10.0.2.2:8000-8010", "10.0.2.2", "8000-8010")]
    [InlineData("[2001:db8::10]:22", "2001:db8::10", "22")]
    [InlineData("[2001:db8::10]", "2001:db8::10", null)]
    public void Forward_targets_parse(string text, string address, string? ports)
    {
        ValueParsers.TryParseTarget("--to", text, out IPAddress parsed, out PortRange? range).Should().BeNull();
        parsed.Should().Be(IPAddress.Parse(address));
        range?.ToString().Should().Be(ports);
        (range is null).Should().Be(ports is null);
    }

    [Theory]
    [InlineData("2001:db8::10", "put an IPv6 address in brackets")]
    [InlineData("10.0.2.2:0", "'0' in '10.0.2.2:0' is not a port")]
    [InlineData("10.0.2.2:", "'' in '10.0.2.2:' is not a port")]
    [InlineData("[2001:db8::10]22", "after ']' comes ':PORT'")]
    [InlineData("[10.0.2.2]", "in brackets is not an IPv6 address")]
    [InlineData("10.1", "is not ADDR or ADDR:PORT")]
    [InlineData("host.example", "is not ADDR or ADDR:PORT")]
    // Issue 15 D8: a scope id was silently dropped ([fe80::1%eth0]:22 became [fe80::1]:22).
    [InlineData("[fe80::1%eth0]:22", "has a scope id ('%eth0'): nftables cannot carry a scope id")]
    [InlineData("[fe80::1%]:22", "has a scope id ('%'): nftables cannot carry a scope id")]
    // IPAddress.TryParse reads a leading zero as octal: 010.0.0.1 would be 8.0.0.1.
    [InlineData("010.0.0.1:22", "is not ADDR or ADDR:PORT")]
    [InlineData("10.0.2.02", "is not ADDR or ADDR:PORT")]
    public void Bad_forward_targets_say_how_to_write_one(string text, string expected)
    {
        ValueParsers.TryParseTarget("--to", text, out _, out _).Should().StartWith("--to: ").And.Contain(expected);
    }

    [Theory]
    [InlineData("10.0.1.0/24", "10.0.1.0/24")]
    [InlineData("10.0.1.7", "10.0.1.7/32")]
    [InlineData("fd01::/64", "fd01::/64")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Prefixes_parse(string text, string expected)
    {
        ValueParsers.TryParsePrefix("--source", text, out IPNetwork network).Should().BeNull();
        network.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("10.0.1.5/24", "--source: '10.0.1.5/24' has host bits set: did you mean 10.0.1.0/24?")]
    [InlineData("fd01::1/64", "--source: 'fd01::1/64' has host bits set: did you mean fd01::/64?")]
    [InlineData("10.0.1.0/33", "--source: '10.0.1.0/33' has a bad prefix length: use 0 to 32")]
    [InlineData("10.0.1.0/", "--source: '10.0.1.0/' has a bad prefix length: use 0 to 32")]
    [InlineData("lan", "--source: 'lan' is not an address or a prefix (10.0.1.0/24, fd01::/64)")]
    public void Bad_prefixes_say_what_is_right(string text, string message)
    {
        ValueParsers.TryParsePrefix("--source", text, out _).Should().Be(message);
    }

    [Theory]
    [InlineData("1", 1u)]
    [InlineData("0x10", 16u)]
    [InlineData("0XfF", 255u)]
    [InlineData("4294967295", uint.MaxValue)]
    public void Marks_parse_in_decimal_or_hex(string text, uint expected)
    {
        ValueParsers.TryParseMark("--mark", text, out uint mark).Should().BeNull();
        mark.Should().Be(expected);
    }

    [Theory]
    [InlineData("0", "cannot be 0")]
    [InlineData("0x0", "cannot be 0")]
    [InlineData("-1", "is not a mark")]
    [InlineData("0xg", "is not a mark")]
    public void Bad_marks_are_refused(string text, string expected)
    {
        ValueParsers.TryParseMark("--mark", text, out _).Should().Contain(expected);
    }

    [Fact]
    public void Protocols_are_tcp_udp_and_both_where_both_applies()
    {
        ValueParsers.TryParseProtocol("--proto", "TCP", allowBoth: true, out TransportProtocol tcp).Should().BeNull();
        tcp.Should().Be(TransportProtocol.Tcp);
        ValueParsers.TryParseProtocol("--proto", "both", allowBoth: true, out TransportProtocol both).Should().BeNull();
        both.Should().Be(TransportProtocol.Both);
        ValueParsers.TryParseProtocol("--proto", "both", allowBoth: false, out _).Should().Be("--proto: 'both' is not a protocol: use tcp or udp");
        ValueParsers.TryParseProtocol("--proto", "icmp", allowBoth: true, out _).Should().Be("--proto: 'icmp' is not a protocol: use tcp, udp or both");
    }

    [Fact]
    public void Snat_addresses_and_ranges_parse()
    {
        ValueParsers.TryParseAddressRange("--to", "10.0.2.1", out IPAddress first, out IPAddress? last).Should().BeNull();
        first.Should().Be(IPAddress.Parse("10.0.2.1"));
        last.Should().BeNull();
        ValueParsers.TryParseAddressRange("--to", "10.0.2.1-10.0.2.9", out first, out last).Should().BeNull();
        last.Should().Be(IPAddress.Parse("10.0.2.9"));
        ValueParsers.TryParseAddressRange("--to", "10.0.2.1-x", out _, out _).Should().StartWith("--to: '10.0.2.1-x' is not an address");
    }

    [Theory]
    [InlineData("fe80::1%eth0", "--x: 'fe80::1%eth0' has a scope id ('%eth0'): nftables cannot carry a scope id, it matches and translates the address alone; give the address without '%'")]
    [InlineData("010.0.0.1", "--x: '010.0.0.1' is not an IPv4 or IPv6 address")]
    public void Addresses_that_would_lose_or_change_a_part_are_refused(string text, string message)
    {
        ValueParsers.TryParseAddress("--x", text, out _).Should().Be(message);
        ValueParsers.TryParsePrefix("--x", text, out _).Should().NotBeNull();
    }
}
