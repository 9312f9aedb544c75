using System.Net;
using Netfilter.Net.Netlink;
using Netfilter.Net.Routing;
using Netfilter.Net.Tests.Fakes;
using Netfilter.Net.Tests.Support;

namespace Netfilter.Net.Tests.Routing;

/// <summary>Route lookups (<c>ip route get</c>) against replayed captures of ip(8): the request ip sends, the answer it decodes.</summary>
public sealed class RouteLookupTests
{
    /// <summary>ip's request with NLM_F_ACK added: the request engine waits for the ack to know the answer is complete.</summary>
    private static byte[] WithAck(byte[] request)
    {
        byte[] copy = request.ToArray();
        ushort flags = HostOrder.ReadUInt16(copy.AsSpan(6));
        HostOrder.WriteUInt16(copy.AsSpan(6), (ushort)(flags | (ushort)NetlinkMessageFlags.Ack));
        return copy;
    }

    private static IEnumerable<byte[]> Answer(CaptureFile file, ushort type)
    {
        (NetlinkMessageHeader header, byte[] message) = file.ReceivedMessages().First(m => m.Header.Type == type);
        yield return message;
        yield return FakeReply.Ack(header.Sequence);
    }

    private static FakeKernel Replay(CaptureFile file, bool withLink)
    {
        var kernel = new FakeKernel().ExpectRequest(WithAck(file.SentMessage(RoutingMessageType.GetRoute)), Answer(file, RoutingMessageType.NewRoute));
        if (withLink)
        {
            kernel.ExpectRequest(WithAck(file.SentMessage(RoutingMessageType.GetLink)), Answer(file, RoutingMessageType.NewLink));
        }
        return kernel;
    }

    [Fact]
    public async Task A_destination_behind_a_gateway_names_the_gateway_the_interface_and_the_source()
    {
        CaptureFile file = CaptureFile.Load("Routing/route-get-via-gateway.txt");
        file.Output[0].Should().StartWith("192.0.2.7 via 10.0.2.254 dev wan src 10.0.2.1");
        FakeKernel kernel = Replay(file, withLink: true);
        using var client = new RoutingClient(kernel);
        RouteLookup? route = await client.LookupAsync(IPAddress.Parse("192.0.2.7"), CancellationToken.None);
        route.Should().NotBeNull();
        route!.Type.Should().Be(RouteType.Unicast);
        route.Gateway.Should().Be(IPAddress.Parse("10.0.2.254"));
        route.OutputInterface.Should().Be("wan");
        route.PreferredSource.Should().Be(IPAddress.Parse("10.0.2.1"));
        route.IsDirectlyConnected.Should().BeFalse();
        route.IsLocal.Should().BeFalse();
        kernel.Finished.Should().BeTrue();
    }

    [Fact]
    public async Task A_directly_connected_destination_has_no_gateway()
    {
        CaptureFile file = CaptureFile.Load("Routing/route-get-connected.txt");
        file.Output[0].Should().StartWith("10.0.2.2 dev wan src 10.0.2.1");
        FakeKernel kernel = Replay(file, withLink: true);
        using var client = new RoutingClient(kernel);
        RouteLookup route = (await client.LookupAsync(IPAddress.Parse("10.0.2.2"), CancellationToken.None))!;
        route.IsDirectlyConnected.Should().BeTrue();
        route.OutputInterface.Should().Be("wan");
        kernel.Finished.Should().BeTrue();
    }

    [Theory]
    [InlineData("Routing/route-get-local.txt", "10.0.2.1")]
    [InlineData("Routing/route-get-loopback.txt", "127.0.0.1")]
    public async Task An_address_of_this_host_is_local_and_leaves_through_lo(string capture, string address)
    {
        CaptureFile file = CaptureFile.Load(capture);
        file.Output[0].Should().StartWith($"local {address} dev lo");
        FakeKernel kernel = Replay(file, withLink: true);
        using var client = new RoutingClient(kernel);
        RouteLookup route = (await client.LookupAsync(IPAddress.Parse(address), CancellationToken.None))!;
        route.IsLocal.Should().BeTrue();
        route.OutputInterface.Should().Be("lo");
        kernel.Finished.Should().BeTrue();
    }

    [Fact]
    public async Task An_ipv6_lookup_sends_ips_request()
    {
        CaptureFile file = CaptureFile.Load("Routing/route6-get-connected.txt");
        file.Output[0].Should().StartWith("fd02::2 from :: dev wan");
        FakeKernel kernel = Replay(file, withLink: true);
        using var client = new RoutingClient(kernel);
        RouteLookup route = (await client.LookupAsync(IPAddress.Parse("fd02::2"), CancellationToken.None))!;
        route.IsDirectlyConnected.Should().BeTrue();
        route.OutputInterface.Should().Be("wan");
        kernel.Finished.Should().BeTrue();
    }

    [Fact]
    public async Task No_route_is_null_not_an_exception()
    {
        CaptureFile file = CaptureFile.Load("Routing/route6-get-unreachable.txt");
        file.ReceivedMessages().Single().Header.Type.Should().Be(NetlinkMessageType.Error, "the kernel answered ENETUNREACH");
        var kernel = new FakeKernel().ExpectRequest(WithAck(file.SentMessage(RoutingMessageType.GetRoute)), file.ReceivedMessages().Select(m => m.Message));
        using var client = new RoutingClient(kernel);
        (await client.LookupAsync(IPAddress.Parse("2001:db8::1"), CancellationToken.None)).Should().BeNull();
        kernel.Finished.Should().BeTrue();
    }

    [Fact]
    public async Task Listing_interfaces_sends_ips_dump_and_names_each_one()
    {
        CaptureFile file = CaptureFile.Load("Routing/link-show.txt");
        file.Output.Should().HaveCount(2);
        IEnumerable<byte[]> replies = file.ReceivedMessages().Where(m => m.Header.Type is RoutingMessageType.NewLink or NetlinkMessageType.Done).Select(m => m.Message);
        var kernel = new FakeKernel().ExpectRequest(file.SentMessage(RoutingMessageType.GetLink), replies);
        using var client = new RoutingClient(kernel);
        List<(int Index, string Name)> links = await client.ListInterfacesAsync(CancellationToken.None);
        // ip -o prints "1: lo: <...>" and "2: wan@if2: <...>" (the peer suffix is ip's, not the name).
        links.Should().Equal((1, "lo"), (2, "wan"));
        file.Output[0].Should().StartWith("1: lo:");
        file.Output[1].Should().StartWith("2: wan@");
        kernel.Finished.Should().BeTrue();
    }
}
