using System.Net;
using Netfilter.Net.Netlink;
using Netfilter.Net.Routing;
using Netfilter.Net.Sockets;
using Netfilter.Net.Tests.Fakes;
using Netfilter.Net.Tests.Support;

namespace Netfilter.Net.Tests.Routing;

/// <summary>The routing client and TproxyRouting against replayed ip(8) captures.</summary>
public sealed class RoutingClientTests
{
    private static IEnumerable<byte[]> Replies(CaptureFile file, params ushort[] types) =>
        file.ReceivedMessages().Where(m => types.Contains(m.Header.Type)).Select(m => m.Message);

    [Fact]
    public async Task Listing_rules_sends_ips_request_and_decodes_every_rule_until_done()
    {
        CaptureFile file = CaptureFile.Load("Routing/rule-show.txt");
        var kernel = new FakeKernel().ExpectRequest(file.SentMessage(RoutingMessageType.GetRule), Replies(file, RoutingMessageType.NewRule, NetlinkMessageType.Done));
        using var client = new RoutingClient(kernel);
        List<RoutingRule> rules = await client.ListRulesAsync(NetfilterFamily.IPv4, CancellationToken.None);
        rules.Select(r => r.ToString()).Should().Equal(file.Output);
        kernel.Finished.Should().BeTrue();
    }

    [Fact]
    public async Task Listing_routes_of_a_table_decodes_them()
    {
        CaptureFile file = CaptureFile.Load("Routing/route6-show-table-100.txt");
        var kernel = new FakeKernel().ExpectRequest(file.SentMessage(RoutingMessageType.GetRoute), Replies(file, RoutingMessageType.NewRoute, NetlinkMessageType.Done));
        using var client = new RoutingClient(kernel);
        (await client.ListRoutesAsync(NetfilterFamily.IPv6, 100, CancellationToken.None)).Should().ContainSingle()
            .Which.Type.Should().Be(RouteType.Local);
    }

    [Fact]
    public async Task A_table_that_does_not_exist_lists_as_empty()
    {
        // ip_valid_fib_dump_req / inet_dump_fib: a filtered dump of a missing table ends with -ENOENT in NLMSG_DONE.
        var kernel = new FakeKernel().ExpectRequest(null, new[] { FakeReply.Done(0, Errno.ENOENT) });
        using var client = new RoutingClient(kernel);
        (await client.ListRoutesAsync(NetfilterFamily.IPv4, 4242, CancellationToken.None)).Should().BeEmpty();
    }

    [Fact]
    public async Task Without_kernel_filtering_routes_of_other_tables_are_dropped()
    {
        CaptureFile main = CaptureFile.Load("Routing/route-show-table-100.txt");
        // The same route, but reported in table 200, as a kernel without strict checking would.
        byte[] other = Replies(main, RoutingMessageType.NewRoute).Single().ToArray();
        other[16 + 4] = 200;
        HostOrder.WriteUInt32(other.AsSpan(16 + 12 + 4), 200);
        var kernel = new FakeKernel().ExpectRequest(null, new[] { other, FakeReply.Done(0) });
        using var client = new RoutingClient(kernel);
        (await client.ListRoutesAsync(NetfilterFamily.IPv4, 100, CancellationToken.None)).Should().BeEmpty();
    }

    [Fact]
    public void TproxyRouting_asks_for_exactly_what_ip_would_be_told()
    {
        var routing = new TproxyRouting(mark: 1, table: 100);
        using var writer = new NetlinkWriter();
        RuleCodec.WriteAdd(writer, 1, routing.RuleFor(NetfilterFamily.IPv4));
        CaptureFile rule = CaptureFile.Load("Routing/rule-add-fwmark-1-lookup-100.txt");
        HexDiff.ShouldEqualIgnoringSequence(writer.WrittenSpan, rule.SentMessage(RoutingMessageType.NewRule), rule.Command);

        writer.Reset();
        RouteCodec.WriteAdd(writer, 1, routing.LocalDefaultRoute(NetfilterFamily.IPv6));
        CaptureFile route = CaptureFile.Load("Routing/route6-add-local-default-dev-lo-table-100.txt");
        HexDiff.ShouldEqualIgnoringSequence(writer.WrittenSpan, route.SentMessage(RoutingMessageType.NewRoute), route.Command);

        writer.Reset();
        RuleCodec.WriteAdd(writer, 1, new TproxyRouting(mark: 1, table: 1000, mask: 1, priority: 100, family: NetfilterFamily.IPv4).RuleFor(NetfilterFamily.IPv4));
        CaptureFile masked = CaptureFile.Load("Routing/rule-add-fwmark-mask-lookup-1000-pref-100.txt");
        HexDiff.ShouldEqualIgnoringSequence(writer.WrittenSpan, masked.SentMessage(RoutingMessageType.NewRule), masked.Command);
    }

    [Fact]
    public async Task TproxyRouting_state_finds_the_rule_ip_made_and_lists_what_is_missing()
    {
        CaptureFile rules = CaptureFile.Load("Routing/rule-show.txt");
        var kernel = new FakeKernel()
            .ExpectRequest(null, Replies(rules, RoutingMessageType.NewRule, NetlinkMessageType.Done))
            .ExpectRequest(null, new[] { FakeReply.Done(0, Errno.ENOENT) });
        using var client = new RoutingClient(kernel);
        TproxyRoutingState state = await new TproxyRouting(1, 100, family: NetfilterFamily.IPv4).GetStateCoreAsync(client, CancellationToken.None);
        state.Rules.Should().ContainSingle().Which.Priority.Should().Be(32765);
        state.Routes.Should().BeEmpty();
        state.IsComplete.Should().BeFalse();
        state.Missing.Should().Equal("ip route add local 0.0.0.0/0 dev lo table 100");
    }

    [Theory]
    [InlineData(0u, 100u, uint.MaxValue, null, NetfilterFamily.Inet, "mark")]
    [InlineData(3u, 100u, 1u, null, NetfilterFamily.Inet, "mask")]
    [InlineData(1u, 0u, uint.MaxValue, null, NetfilterFamily.Inet, "table")]
    [InlineData(1u, 254u, uint.MaxValue, null, NetfilterFamily.Inet, "table")]
    [InlineData(1u, 255u, uint.MaxValue, null, NetfilterFamily.Inet, "table")]
    [InlineData(1u, 100u, uint.MaxValue, 0u, NetfilterFamily.Inet, "priority")]
    [InlineData(1u, 100u, uint.MaxValue, null, NetfilterFamily.Bridge, "family")]
    public void TproxyRouting_refuses_bad_input_naming_the_parameter(uint mark, uint table, uint mask, uint? priority, NetfilterFamily family, string parameter)
    {
        Action create = () => _ = new TproxyRouting(mark, table, mask, priority, family);
        create.Should().Throw<ArgumentException>().Where(e => e.ParamName == parameter);
    }

    [Fact]
    public void TproxyRouting_describes_itself_as_ip_commands()
    {
        new TproxyRouting(0x10, 1000, mask: 0xf0).ToString().Should().Be(
            "ip rule add fwmark 0x10/0xf0 lookup 1000; ip route add local 0.0.0.0/0 dev lo table 1000; " +
            "ip -6 rule add fwmark 0x10/0xf0 lookup 1000; ip -6 route add local ::/0 dev lo table 1000");
    }
}
