using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Objects;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.Conntrack;

/// <summary>
/// A single port is an int everywhere (as IPEndPoint.Port), checked where it enters: 1–65535 where
/// a rule or a forward uses it, 0–65535 where it is a packet's field (conntrack tuples and filters,
/// nftables data). The refusal names the parameter, and nothing reaches the kernel.
/// </summary>
public sealed class PortNumberTests
{
    private static readonly IPAddress A = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress B = IPAddress.Parse("10.0.0.2");

    public static IEnumerable<object[]> OutOfRange() => new (string Parameter, Action Build)[]
    {
        ("sourcePort", () => ConntrackTuple.Tcp(A, 65536, B, 80)),
        ("destinationPort", () => ConntrackTuple.Udp(A, 1000, B, -1)),
        ("SourcePort", () => _ = new ConntrackTuple(A, B, ProtocolType.Tcp) { SourcePort = 70000 }),
        ("DestinationPort", () => _ = new ConntrackTuple(A, B, ProtocolType.Tcp) { DestinationPort = -5 }),
        ("OriginalSourcePort", () => _ = new ConntrackFilter { OriginalSourcePort = 65536 }),
        ("OriginalDestinationPort", () => _ = new ConntrackFilter { OriginalDestinationPort = -1 }),
        ("ReplySourcePort", () => _ = new ConntrackFilter { ReplySourcePort = 100000 }),
        ("ReplyDestinationPort", () => _ = new ConntrackFilter { ReplyDestinationPort = int.MinValue }),
        ("port", () => NftData.FromPort(65536)),
        ("DestinationPort", () => _ = new CtExpectationObject(NetfilterFamily.Inet, "t", "e") { DestinationPort = 65536 }),
        ("toPort", () => _ = new RedirectRule(TransportProtocol.Tcp, 80, 65536)),
        ("toPort", () => _ = new TproxyRule(TransportProtocol.Tcp, 80, 0, 1)),
    }.Select(c => new object[] { c.Parameter, c.Build });

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void A_port_outside_its_range_is_refused_naming_the_parameter(string parameter, Action build) =>
        build.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(parameter);

    [Fact]
    public async Task A_forward_without_a_usable_port_is_refused_before_anything_is_sent()
    {
        var kernel = new FakeKernel();
        using var client = new ConntrackClient(kernel);
        Func<Task> zero = () => client.DeleteForwardAsync(ProtocolType.Tcp, A, 0);
        (await zero.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("port");
        kernel.Requests.Should().BeEmpty();
    }

    [Fact]
    public void Port_fields_hold_the_whole_16_bit_range_and_read_back_as_int()
    {
        ConntrackTuple tuple = ConntrackTuple.Tcp(A, 0, B, 65535);
        tuple.SourcePort.Should().Be(0);
        tuple.DestinationPort.Should().Be(65535);
        tuple.DestinationEndPoint.Port.Should().Be(65535);
        NftData.FromPort(65535).Span.ToArray().Should().Equal(0xff, 0xff);
        var rule = new RedirectRule(TransportProtocol.Tcp, new PortRange(8000, 8100), 65535);
        rule.ToPort.Should().Be(65535);
        rule.Ports.Last.Should().Be(8100);
    }
}
