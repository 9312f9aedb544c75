using Netfilter.Net.NativeTests.Cli;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// Issue 15 D8 and D11 through nfnet: nonsense targets, scope ids and interface names Linux
/// refuses are bad usage (exit 2), one line naming the option, and nothing is sent.
/// </summary>
public sealed class NatCliValidationTests
{
    [NativeTheory]
    [InlineData("nfnet: --iif: '.' is not an interface name: Linux refuses \".\" and \"..\" (dev_valid_name)", "redirect", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--iif", ".")]
    [InlineData("nfnet: --iif: '..' is not an interface name: Linux refuses \".\" and \"..\" (dev_valid_name)", "redirect", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--iif", "..")]
    [InlineData("nfnet: --oif: '..' is not an interface name: Linux refuses \".\" and \"..\" (dev_valid_name)", "masquerade", "add", "--oif", "..")]
    [InlineData("nfnet: --oif: 'a:b' is not an interface name: it contains ':', which Linux does not allow in names", "snat", "add", "--oif", "a:b", "--to", "10.0.2.1")]
    [InlineData("nfnet: --iif: 'eth\\n0' is not an interface name: it contains '\\n', which Linux does not allow in names", "redirect", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--iif", "eth\n0")]
    [InlineData("nfnet: --to: 0.0.0.0 is the unspecified address, which names no host: a forward's target must be the address of one host", "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "0.0.0.0:22")]
    [InlineData("nfnet: --to: 224.0.0.1 is a multicast address (224.0.0.0/4), which names a group, not one host: a forward's target must be the address of one host", "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "224.0.0.1")]
    [InlineData("nfnet: --to: 255.255.255.255 is the limited broadcast address, which names no single host: a forward's target must be the address of one host", "forward", "add", "--proto", "udp", "--port", "53", "--to", "255.255.255.255")]
    [InlineData("nfnet: --to: :: is the unspecified address, which names no host: a forward's target must be the address of one host", "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "[::]:22")]
    [InlineData("nfnet: --to: ff02::1 is a multicast address (ff00::/8), which names a group, not one host: a forward's target must be the address of one host", "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "[ff02::1]")]
    [InlineData("nfnet: --to: '[fe80::1%eth0]:22' has a scope id ('%eth0'): nftables cannot carry a scope id, it matches and translates the address alone; give the address without '%'", "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "[fe80::1%eth0]:22")]
    [InlineData("nfnet: --to: 239.1.1.1 is a multicast address (224.0.0.0/4), which names a group, not one host: an SNAT source address must be the address of one host", "snat", "add", "--oif", "wan", "--to", "239.1.1.1")]
    public void A_value_the_library_refuses_is_bad_usage_and_nothing_is_sent(string message, params string[] arguments)
    {
        using var ns = new TestNamespace();
        Nfnet.In(ns, arguments).ShouldFail(2)[0].Should().Be(message);
        ns.Nft("list", "ruleset").Should().BeEmpty();
    }
}
