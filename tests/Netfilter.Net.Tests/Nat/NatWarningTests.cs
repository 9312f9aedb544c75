using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Tests.Nat;

/// <summary>
/// A warning the library makes puts its words together when first read; it must read and compare
/// as one whose words were given (the contract suite pins both kinds' words for IPv4).
/// </summary>
public sealed class NatWarningTests
{
    private static readonly DnatRule Forward6 = new(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("fd02::2"), PortRange.Single(22));

    [Fact]
    public void A_library_warning_names_the_rule_the_family_and_the_call_that_fixes_it()
    {
        var warning = new NatWarning(NatWarningKind.ForwardingOff, Forward6, NetfilterFamily.IPv6, "namespace 'r'");

        warning.Message.Should().Be($"'{Forward6}' forwards to another host but IPv6 forwarding is off in namespace 'r': nothing will pass. Enable it with Forwarding.Enable(NetfilterFamily.IPv6, ns).");
        warning.ToString().Should().Be(warning.Message);
        warning.Should().Be(new NatWarning(NatWarningKind.ForwardingOff, Forward6, warning.Message) { Family = NetfilterFamily.IPv6 });
        warning.GetHashCode().Should().Be(new NatWarning(NatWarningKind.ForwardingOff, Forward6, "other words") { Family = NetfilterFamily.IPv6 }.GetHashCode());
    }

    [Fact]
    public void Warnings_that_differ_in_kind_family_rule_or_words_are_not_equal()
    {
        var warning = new NatWarning(NatWarningKind.ForwardingOff, Forward6, NetfilterFamily.IPv6, "this namespace");

        warning.Should().NotBe(warning with { Family = NetfilterFamily.IPv4 });
        warning.Should().NotBe(warning with { Kind = NatWarningKind.LoopbackTarget });
        warning.Should().NotBe(warning with { Message = "other words" });
        warning.Should().NotBe(warning with { Rule = new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080) });
        warning.Should().Be(warning with { });
    }

    [Fact]
    public void Given_words_are_kept_and_deconstruct_as_a_positional_record_did()
    {
        var warning = new NatWarning(NatWarningKind.LoopbackTarget, Forward6, "mine");

        (NatWarningKind kind, NatRule rule, string message) = warning;

        kind.Should().Be(NatWarningKind.LoopbackTarget);
        rule.Should().Be(Forward6);
        message.Should().Be("mine");
        FluentActions.Invoking(() => new NatWarning(NatWarningKind.LoopbackTarget, Forward6, null!)).Should().Throw<ArgumentNullException>();
    }
}
