using Netfilter.Net.Conntrack;
using Netfilter.Net.Conntrack.Internal;
using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Fakes;
using Netfilter.Net.Tests.Support;

namespace Netfilter.Net.Tests.Conntrack;

/// <summary>The client's policies against a scripted kernel: DUMP_INTR, refused filters, flush fallback, events and loss.</summary>
public sealed class ConntrackClientTests
{
    // The first dump datagram conntrack -L received: 6 entries (NLM_F_MULTI).
    private static readonly byte[] s_dump = CaptureFile.Load("conntrack/dump.txt").Replies.First();

    private static IEnumerable<FakeStep> DumpReply(byte[] request, NetlinkMessageFlags extra = NetlinkMessageFlags.None)
    {
        uint sequence = NetlinkMessageHeader.Read(request).Sequence;
        yield return GoldenReply.Readdress(s_dump, sequence, addFlags: extra);
        yield return FakeReply.Done(sequence);
    }

    /// <summary>NLMSG_ERROR answering <paramref name="request"/>, capped to its header: an ack for errno 0.</summary>
    private static FakeStep Answer(byte[] request, Errno errno = Errno.None) =>
        FakeReply.Error(NetlinkMessageHeader.Read(request).Sequence, errno, request: request);

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (T item in source)
        {
            list.Add(item);
        }
        return list;
    }

    [Fact]
    public async Task A_streamed_dump_flagged_inconsistent_throws_after_the_last_entry()
    {
        var kernel = new FakeKernel().OnEveryRequestSteps(r => DumpReply(r, NetlinkMessageFlags.DumpInterrupted));
        using var client = new ConntrackClient(kernel);
        var seen = new List<ConntrackEntry>();
        Func<Task> dump = async () =>
        {
            await foreach (ConntrackEntry e in client.DumpAsync())
            {
                seen.Add(e);
            }
        };
        await dump.Should().ThrowAsync<NetlinkDumpInterruptedException>();
        seen.Should().HaveCount(6, "the entries were handed out; the exception says they may be inconsistent");
    }

    [Fact]
    public async Task ListAsync_repeats_an_inconsistent_dump_and_never_returns_a_partial_one()
    {
        int attempt = 0;
        var kernel = new FakeKernel().OnEveryRequestSteps(r => DumpReply(r, ++attempt == 1 ? NetlinkMessageFlags.DumpInterrupted : NetlinkMessageFlags.None));
        using var client = new ConntrackClient(kernel);
        (await client.ListAsync()).Should().HaveCount(6);
        kernel.Sent.Should().HaveCount(2);

        var always = new FakeKernel().OnEveryRequestSteps(r => DumpReply(r, NetlinkMessageFlags.DumpInterrupted));
        using var stubborn = new ConntrackClient(always);
        (await FluentActions.Awaiting(() => stubborn.ListAsync()).Should().ThrowAsync<NetlinkDumpInterruptedException>()).Which.Attempts.Should().Be(ConntrackClient.DumpAttempts);
        always.Sent.Should().HaveCount(ConntrackClient.DumpAttempts);
    }

    [Fact]
    public async Task A_filter_the_kernel_refuses_is_applied_client_side_with_the_same_result()
    {
        var kernel = new FakeKernel();
        kernel.OnEveryRequestSteps(request => kernel.Sent.Count == 1
            ? new[] { Answer(request, Errno.EOPNOTSUPP) }
            : DumpReply(request));
        using var client = new ConntrackClient(kernel);
        var filter = new ConntrackFilter { Mark = 7 };
        List<ConntrackEntry> streamed = await ToListAsync(client.DumpAsync(filter));
        streamed.Should().ContainSingle().Which.Mark.Should().Be(7);
        NetlinkBytes.Attributes(kernel.Sent[0]).Keys.Should().Contain(CtaAttribute.Mark, "the first try asks the kernel to filter");
        NetlinkBytes.Attributes(kernel.Sent[1]).Should().BeEmpty("the retry does not");
    }

    [Fact]
    public async Task A_flush_the_kernel_cannot_filter_becomes_a_dump_and_deletes_by_tuple_and_id()
    {
        var kernel = new FakeKernel().OnEveryRequestSteps(request => NetlinkMessageHeader.Read(request).Flags.HasFlag(NetlinkMessageFlags.Dump)
            ? DumpReply(request)
            : SplitMessages(request).Select(m => Answer(m)));
        using var client = new ConntrackClient(kernel, features: ConntrackKernelFeatures.None);
        await client.FlushAsync(new ConntrackFilter { Mark = 7 });
        kernel.Sent.Should().HaveCount(2);
        NetlinkMessageHeader.Read(kernel.Sent[0]).Type.Should().Be(0x0101, "IPCTNL_MSG_CT_GET dump first");
        NetlinkBytes.Attributes(kernel.Sent[0]).Should().BeEmpty("this kernel gets no filter");
        List<byte[]> deletes = SplitMessages(kernel.Sent[1]).ToList();
        deletes.Should().ContainSingle("one entry has mark 7");
        NetlinkMessageHeader.Read(deletes[0]).Type.Should().Be(0x0102, "IPCTNL_MSG_CT_DELETE");
        NetlinkBytes.Attributes(deletes[0]).Keys.Should().Contain(new[] { CtaAttribute.TupleOriginal, CtaAttribute.Id });

        // With the kernel's flush filters, the same call is one request.
        var modern = new FakeKernel().OnEveryRequestSteps(request => new[] { Answer(request) });
        using var modernClient = new ConntrackClient(modern, features: ConntrackKernelFeatures.All);
        await modernClient.FlushAsync(new ConntrackFilter { Mark = 7 });
        modern.Sent.Should().ContainSingle();
        NetlinkBytes.Attributes(modern.Sent[0]).Keys.Should().BeEquivalentTo(new[] { CtaAttribute.Mark, CtaAttribute.MarkMask });
    }

    [Fact]
    public async Task DeleteAsync_by_filter_counts_what_it_deleted_and_ignores_entries_already_gone()
    {
        var kernel = new FakeKernel().OnEveryRequestSteps(request => NetlinkMessageHeader.Read(request).Flags.HasFlag(NetlinkMessageFlags.Dump)
            ? DumpReply(request)
            : SplitMessages(request).Select((m, i) => Answer(m, i == 0 ? Errno.ENOENT : Errno.None)));
        using var client = new ConntrackClient(kernel);
        int deleted = await client.DeleteAsync(new ConntrackFilter { Protocol = System.Net.Sockets.ProtocolType.Tcp });
        int tcp = ConntrackCaptureDecodeTests.DecodeReplies(CaptureFile.Load("conntrack/dump.txt")).Count(e => e.Protocol == System.Net.Sockets.ProtocolType.Tcp);
        deleted.Should().Be(tcp - 1, "the first had vanished (ENOENT)");
    }

    [Fact]
    public async Task Events_report_loss_explicitly_and_go_on_then_fail_loudly()
    {
        var events = new FakeKernel();
        byte[] entry = CaptureFile.Load("conntrack/get.txt").Replies.First();
        events.Queue(
            GoldenReply.Readdress(entry, 0, portId: 0, addFlags: NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl),
            FakeStep.NoBufferSpace,
            GoldenReply.Readdress(entry, 0, portId: 0),
            FakeStep.Fail(new NetlinkException(Errno.EBADF, "recvmsg(netlink)")));
        using var client = new ConntrackClient(new FakeKernel(), openEventSocket: (_, _) => events);
        var seen = new List<ConntrackEventType>();
        Func<Task> read = async () =>
        {
            await foreach (ConntrackEvent e in client.EventsAsync())
            {
                seen.Add(e.Type);
            }
        };
        (await read.Should().ThrowAsync<NetlinkException>()).Which.Errno.Should().Be(Errno.EBADF);
        seen.Should().Equal(ConntrackEventType.New, ConntrackEventType.Lost, ConntrackEventType.Update);
        events.Disposed.Should().BeTrue("the event socket is closed when the stream ends");
    }

    [Fact]
    public async Task Watch_starts_with_a_snapshot_and_takes_a_new_one_after_a_loss()
    {
        var requests = new FakeKernel().OnEveryRequestSteps(r => DumpReply(r));
        var events = new FakeKernel().Queue(FakeStep.NoBufferSpace);
        using var client = new ConntrackClient(requests, openEventSocket: (_, _) => events);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<ConntrackEvent>();
        await foreach (ConntrackEvent e in client.WatchAsync(null, cancel.Token))
        {
            seen.Add(e);
            if (seen.Count == 3)
            {
                cancel.Cancel();
            }
        }
        seen.Select(e => e.Type).Should().Equal(ConntrackEventType.Snapshot, ConntrackEventType.Lost, ConntrackEventType.Snapshot);
        seen[0].Snapshot.Should().HaveCount(6);
        seen[2].Snapshot.Should().HaveCount(6);
        requests.Sent.Should().HaveCount(2);
    }

    [Fact]
    public void Bad_arguments_are_refused_naming_the_parameter()
    {
        using var client = new ConntrackClient(new FakeKernel());
        FluentActions.Invoking(() => client.EventsAsync(new ConntrackEventOptions { Types = ConntrackEventTypes.None })).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("options");
        FluentActions.Invoking(() => { _ = client.ListAsync(new ConntrackFilter { Status = ConntrackStatus.None, StatusMask = ConntrackStatus.None }); }).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("filter");
        FluentActions.Invoking(() => { _ = client.ListAsync(new ConntrackFilter { Family = NetfilterFamily.IPv4, OriginalSource = System.Net.IPAddress.IPv6Loopback }); }).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("filter");
        FluentActions.Invoking(() => { _ = client.UpdateAsync(ConntrackTuple.Udp(System.Net.IPAddress.Loopback, 1, System.Net.IPAddress.Loopback, 2), new ConntrackUpdate()); }).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("update");
        FluentActions.Invoking(() => new ConntrackTuple(System.Net.IPAddress.Loopback, System.Net.IPAddress.IPv6Loopback, System.Net.Sockets.ProtocolType.Tcp)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
        FluentActions.Invoking(() => ConntrackLabels.FromBits(128)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("bits");
    }

    private static IEnumerable<byte[]> SplitMessages(byte[] datagram)
    {
        int offset = 0;
        while (offset < datagram.Length)
        {
            int length = (int)NetlinkMessageHeader.Read(datagram.AsSpan(offset)).Length;
            yield return datagram.AsSpan(offset, length).ToArray();
            offset += (length + 3) & ~3;
        }
    }
}
