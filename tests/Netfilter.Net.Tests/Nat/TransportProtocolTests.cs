using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Tests.Nat;

/// <summary>
/// A rule's protocol set and the BCL's <see cref="ProtocolType"/> are interchangeable: one protocol
/// type for users, a set only where a rule covers both.
/// </summary>
public sealed class TransportProtocolTests
{
    [Fact]
    public void ProtocolType_converts_to_the_one_protocol_set()
    {
        ((TransportProtocol)ProtocolType.Tcp).Should().Be(TransportProtocol.Tcp);
        ((TransportProtocol)ProtocolType.Udp).Should().Be(TransportProtocol.Udp);
        (TransportProtocol.Tcp | TransportProtocol.Udp).Should().Be(TransportProtocol.Both);
        (TransportProtocol.Tcp == TransportProtocol.Udp).Should().BeFalse();
        (TransportProtocol.Both != TransportProtocol.Both).Should().BeFalse();
    }

    [Fact]
    public void Other_protocols_are_refused_naming_the_value()
    {
        Action icmp = () => _ = (TransportProtocol)ProtocolType.Icmp;
        icmp.Should().Throw<ArgumentException>().Where(e => e.ParamName == "protocol" && e.Message.Contains("Icmp"));
        Action sctp = () => _ = new RedirectRule((ProtocolType)132, 80, 8080);
        sctp.Should().Throw<ArgumentException>().Where(e => e.ParamName == "protocol" && e.Message.Contains("132"));
    }

    [Fact]
    public void A_set_lists_and_contains_its_protocols_tcp_first()
    {
        TransportProtocol.Both.ProtocolTypes.Should().Equal(ProtocolType.Tcp, ProtocolType.Udp);
        TransportProtocol.Udp.ProtocolTypes.Should().Equal(ProtocolType.Udp);
        default(TransportProtocol).ProtocolTypes.Should().BeEmpty();
        TransportProtocol.Both.Contains(ProtocolType.Udp).Should().BeTrue();
        TransportProtocol.Tcp.Contains(ProtocolType.Udp).Should().BeFalse();
        TransportProtocol.Both.Contains(ProtocolType.Icmp).Should().BeFalse();
    }

    [Fact]
    public void ToString_is_the_nft_and_cli_word()
    {
        TransportProtocol.Tcp.ToString().Should().Be("tcp");
        TransportProtocol.Udp.ToString().Should().Be("udp");
        TransportProtocol.Both.ToString().Should().Be("both");
        default(TransportProtocol).ToString().Should().Be("none");
    }

    [Fact]
    public void A_rule_built_with_ProtocolType_is_the_rule_built_with_the_set()
    {
        var viaBcl = new RedirectRule(ProtocolType.Tcp, 80, 8080);
        var viaSet = new RedirectRule(TransportProtocol.Tcp, 80, 8080);
        viaBcl.Protocol.Should().Be(TransportProtocol.Tcp);
        viaBcl.Identity.Should().Be(viaSet.Identity);
        viaBcl.ToString().Should().Be(viaSet.ToString());
        new DnatRule(ProtocolType.Udp, 53, IPAddress.Parse("10.0.0.2")).Protocol.Should().Be(TransportProtocol.Udp);
    }

    [Fact]
    public void The_protocol_word_reads_back_what_ToString_writes_and_nothing_else()
    {
        foreach (TransportProtocol protocol in new[] { TransportProtocol.Tcp, TransportProtocol.Udp, TransportProtocol.Both })
        {
            TransportProtocol.Parse(protocol.ToString()).Should().Be(protocol);
        }
        foreach (string? text in new[] { "TCP", "none", "", " tcp", "icmp", null })
        {
            TransportProtocol.TryParse(text, out TransportProtocol protocol).Should().BeFalse(text);
            protocol.Should().Be(default(TransportProtocol));
        }
        Action sctp = () => TransportProtocol.Parse("sctp");
        sctp.Should().Throw<FormatException>().WithMessage("'sctp' is not tcp, udp or both");
    }
}
