using System.Net;
using Netfilter.Net.Netlink;
using Netfilter.Net.Routing;
using Netfilter.Net.Tests.Support;

namespace Netfilter.Net.Tests.Routing;

/// <summary>
/// Rule and route messages against the bytes ip(8) sent for the same command (Captures/Routing,
/// made by native-tests/capture/capture-routing-sockdiag.sh, each file naming its command):
/// encode and compare, decode the captured bytes and compare with the model.
/// </summary>
public sealed class RoutingCodecTests
{
    public static TheoryData<string, RoutingRule> Rules => new()
    {
        { "Routing/rule-add-fwmark-1-lookup-100.txt", new RoutingRule { Family = NetfilterFamily.IPv4, FirewallMark = 1, Table = 100 } },
        { "Routing/rule6-add-fwmark-1-lookup-100.txt", new RoutingRule { Family = NetfilterFamily.IPv6, FirewallMark = 1, Table = 100 } },
        // A table above 255 goes in FRA_TABLE with the header's table at RT_TABLE_UNSPEC.
        { "Routing/rule-add-fwmark-mask-lookup-1000-pref-100.txt", new RoutingRule { Family = NetfilterFamily.IPv4, FirewallMark = 1, FirewallMask = 1, Table = 1000, Priority = 100 } },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Rule_add_encodes_to_the_bytes_ip_sent_and_those_bytes_decode_to_the_rule(string capture, RoutingRule rule)
    {
        CaptureFile file = CaptureFile.Load(capture);
        byte[] expected = file.SentMessage(RoutingMessageType.NewRule);
        using var writer = new NetlinkWriter();
        RuleCodec.WriteAdd(writer, 1, rule);
        HexDiff.ShouldEqualIgnoringSequence(writer.WrittenSpan, expected, file.Command);

        RoutingRule decoded = Decode(expected, RuleCodec.Decode);
        decoded.Should().Be(rule with { Protocol = RouteProtocol.Unspecified });
    }

    [Fact]
    public void Rule_delete_encodes_to_the_bytes_of_ip_rule_del()
    {
        CaptureFile file = CaptureFile.Load("Routing/rule-del-fwmark-1-lookup-100.txt");
        using var writer = new NetlinkWriter();
        // ip sends FR_ACT_UNSPEC in a delete: the kernel then matches any action.
        RuleCodec.WriteDelete(writer, 1, new RoutingRule { Family = NetfilterFamily.IPv4, FirewallMark = 1, Table = 100, Action = RuleAction.Unspecified }, priority: null);
        HexDiff.ShouldEqualIgnoringSequence(writer.WrittenSpan, file.SentMessage(RoutingMessageType.DeleteRule), file.Command);
    }

    public static TheoryData<string, Route> Routes => new()
    {
        {
            "Routing/route-add-local-default-dev-lo-table-100.txt",
            new Route { Family = NetfilterFamily.IPv4, Table = 100, Type = RouteType.Local, Scope = RouteScope.Host, Protocol = RouteProtocol.Boot, Destination = IPNetwork.Parse("0.0.0.0/0"), OutputInterfaceIndex = 1 }
        },
        {
            "Routing/route6-add-local-default-dev-lo-table-100.txt",
            new Route { Family = NetfilterFamily.IPv6, Table = 100, Type = RouteType.Local, Scope = RouteScope.Universe, Protocol = RouteProtocol.Boot, Destination = IPNetwork.Parse("::/0"), OutputInterfaceIndex = 1 }
        },
        {
            "Routing/route-add-local-default-dev-lo-table-1000.txt",
            new Route { Family = NetfilterFamily.IPv4, Table = 1000, Type = RouteType.Local, Scope = RouteScope.Host, Protocol = RouteProtocol.Boot, Destination = IPNetwork.Parse("0.0.0.0/0"), OutputInterfaceIndex = 1 }
        },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public void Route_add_encodes_to_the_bytes_ip_sent_and_those_bytes_decode_to_the_route(string capture, Route route)
    {
        CaptureFile file = CaptureFile.Load(capture);
        byte[] expected = file.SentMessage(RoutingMessageType.NewRoute);
        using var writer = new NetlinkWriter();
        RouteCodec.WriteAdd(writer, 1, route);
        HexDiff.ShouldEqualIgnoringSequence(writer.WrittenSpan, expected, file.Command);
        Decode(expected, RouteCodec.Decode).Should().Be(route);
    }

    [Fact]
    public void Route_delete_encodes_to_the_bytes_of_ip_route_del()
    {
        CaptureFile file = CaptureFile.Load("Routing/route-del-local-default-dev-lo-table-100.txt");
        using var writer = new NetlinkWriter();
        var route = new Route { Family = NetfilterFamily.IPv4, Table = 100, Type = RouteType.Local, Scope = RouteScope.Host, Protocol = RouteProtocol.Unspecified, Destination = IPNetwork.Parse("0.0.0.0/0"), OutputInterfaceIndex = 1 };
        RouteCodec.WriteDelete(writer, 1, route);
        HexDiff.ShouldEqualIgnoringSequence(writer.WrittenSpan, file.SentMessage(RoutingMessageType.DeleteRoute), file.Command);
    }

    [Theory]
    [InlineData("Routing/rule-show.txt", NetfilterFamily.IPv4)]
    [InlineData("Routing/rule6-show.txt", NetfilterFamily.IPv6)]
    public void Rule_dump_request_is_the_one_ip_rule_show_sends(string capture, NetfilterFamily family)
    {
        CaptureFile file = CaptureFile.Load(capture);
        using var writer = new NetlinkWriter();
        RuleCodec.WriteDump(writer, 1, family);
        HexDiff.ShouldEqualIgnoringSequence(writer.WrittenSpan, file.SentMessage(RoutingMessageType.GetRule), file.Command);
    }

    [Theory]
    [InlineData("Routing/route-show-table-100.txt", NetfilterFamily.IPv4)]
    [InlineData("Routing/route6-show-table-100.txt", NetfilterFamily.IPv6)]
    public void Route_dump_request_is_the_one_ip_route_show_table_sends(string capture, NetfilterFamily family)
    {
        CaptureFile file = CaptureFile.Load(capture);
        using var writer = new NetlinkWriter();
        RouteCodec.WriteDump(writer, 1, family, 100);
        HexDiff.ShouldEqualIgnoringSequence(writer.WrittenSpan, file.SentMessage(RoutingMessageType.GetRoute), file.Command);
    }

    [Theory]
    [InlineData("Routing/rule-show.txt")]
    [InlineData("Routing/rule6-show.txt")]
    public void Rules_decoded_from_the_kernel_print_exactly_as_ip_rule_show_printed_them(string capture)
    {
        CaptureFile file = CaptureFile.Load(capture);
        List<RoutingRule> rules = file.ReceivedMessages()
            .Where(m => m.Header.Type == RoutingMessageType.NewRule)
            .Select(m => Decode(m.Message, RuleCodec.Decode)).ToList();
        rules.Select(r => r.ToString()).Should().Equal(file.Output);
    }

    [Fact]
    public void Rules_from_the_kernel_carry_table_priority_mark_mask_and_protocol()
    {
        CaptureFile file = CaptureFile.Load("Routing/rule-show.txt");
        List<RoutingRule> rules = file.ReceivedMessages()
            .Where(m => m.Header.Type == RoutingMessageType.NewRule)
            .Select(m => Decode(m.Message, RuleCodec.Decode)).ToList();
        // "0: from all lookup local": priority 0 is sent without FRA_PRIORITY; installed by the kernel.
        rules[0].Should().Be(new RoutingRule { Family = NetfilterFamily.IPv4, Priority = 0, Table = RouteTable.Local, Protocol = RouteProtocol.Kernel });
        rules[1].Should().Be(new RoutingRule { Family = NetfilterFamily.IPv4, Priority = 100, FirewallMark = 1, FirewallMask = 1, Table = 1000 });
        // The kernel reports the implicit full mask of a plain "fwmark 1".
        rules[2].Should().Be(new RoutingRule { Family = NetfilterFamily.IPv4, Priority = 32765, FirewallMark = 1, FirewallMask = uint.MaxValue, Table = 100 });
        rules[3].Table.Should().Be(RouteTable.Main);
    }

    [Fact]
    public void Routes_decoded_from_the_kernel_match_ip_route_show()
    {
        Route v4 = CaptureFile.Load("Routing/route-show-table-100.txt").ReceivedMessages()
            .Where(m => m.Header.Type == RoutingMessageType.NewRoute).Select(m => Decode(m.Message, RouteCodec.Decode)).Single();
        // "local default dev lo scope host": the kernel omits RTA_DST for a /0 route.
        v4.Should().Be(new Route { Family = NetfilterFamily.IPv4, Table = 100, Type = RouteType.Local, Scope = RouteScope.Host, Protocol = RouteProtocol.Boot, Destination = IPNetwork.Parse("0.0.0.0/0"), OutputInterfaceIndex = 1 });
        v4.ToString().Should().Be("local default oif 1 scope host table 100");

        Route v6 = CaptureFile.Load("Routing/route6-show-table-100.txt").ReceivedMessages()
            .Where(m => m.Header.Type == RoutingMessageType.NewRoute).Select(m => Decode(m.Message, RouteCodec.Decode)).Single();
        // "local default dev lo metric 1024 pref medium"
        v6.Should().Be(new Route { Family = NetfilterFamily.IPv6, Table = 100, Type = RouteType.Local, Scope = RouteScope.Universe, Protocol = RouteProtocol.Boot, Destination = IPNetwork.Parse("::/0"), OutputInterfaceIndex = 1, Metric = 1024 });
    }

    [Fact]
    public void A_truncated_header_or_a_wrong_address_length_is_a_protocol_error()
    {
        byte[] message = new byte[16 + 8];
        new NetlinkMessageHeader((uint)message.Length, RoutingMessageType.NewRule, NetlinkMessageFlags.None, 0, 0).Write(message);
        Action rule = () => Decode(message, RuleCodec.Decode);
        rule.Should().Throw<NetlinkProtocolException>().Where(e => e.Expected.Contains("fib_rule_hdr"));

        // rtmsg for AF_INET /32 with a 16-byte RTA_DST.
        var bad = new List<byte>(new byte[16]) { 2, 32, 0, 0, 100, 3, 0, 1, 0, 0, 0, 0, 20, 0, 1, 0 };
        bad.AddRange(new byte[16]);
        byte[] route = bad.ToArray();
        new NetlinkMessageHeader((uint)route.Length, RoutingMessageType.NewRoute, NetlinkMessageFlags.None, 0, 0).Write(route);
        Action decode = () => Decode(route, RouteCodec.Decode);
        decode.Should().Throw<NetlinkProtocolException>().Where(e => e.Expected.Contains("4 bytes"));
    }

    [Fact]
    public void Selectors_without_golden_bytes_are_refused_rather_than_guessed()
    {
        using var writer = new NetlinkWriter();
        Action source = () => RuleCodec.WriteAdd(writer, 1, new RoutingRule { Family = NetfilterFamily.IPv4, Table = 100, Source = IPNetwork.Parse("10.0.0.0/8") });
        source.Should().Throw<ArgumentException>().Where(e => e.ParamName == "rule");
        Action gateway = () => RouteCodec.WriteAdd(writer, 1, new Route { Family = NetfilterFamily.IPv4, Table = 100, Destination = IPNetwork.Parse("0.0.0.0/0"), Gateway = IPAddress.Parse("10.0.0.1") });
        gateway.Should().Throw<ArgumentException>().Where(e => e.ParamName == "route");
        Action family = () => RuleCodec.WriteAdd(writer, 1, new RoutingRule { Family = NetfilterFamily.Bridge, FirewallMark = 1, Table = 100 });
        family.Should().Throw<ArgumentException>().Where(e => e.ParamName == "rule" && e.Message.Contains("IPv4 and IPv6"));
    }

    internal delegate T Decoder<T>(in NetlinkMessage message);

    internal static T Decode<T>(byte[] bytes, Decoder<T> decode)
    {
        var reader = new NetlinkMessageReader(bytes);
        reader.TryRead(out NetlinkMessage message).Should().BeTrue();
        return decode(message);
    }
}
