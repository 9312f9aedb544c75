using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.Netlink;

/// <summary>The multipart-dump rules of <see cref="NetlinkConnection"/>: DONE, its errno, DUMP_INTR, retries, cancellation.</summary>
public sealed class NetlinkConnectionDumpTests
{
    private const string Operation = "dump TESTTHINGS";

    private static async Task<List<int>> DumpAsync(NetlinkConnection connection, uint seq, CancellationToken cancellationToken = default)
    {
        var items = new List<int>();
        await foreach (int item in connection.DumpAsync<int>(TestRequest.Dump(seq), seq, Operation, FakeReply.DecodeItem, cancellationToken))
        {
            items.Add(item);
        }
        return items;
    }

    [Fact]
    public async Task A_dump_is_read_across_datagrams_until_NLMSG_DONE_and_not_one_datagram_further()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq,
            FakeStep.Datagram(FakeReply.DumpItem(seq, 1), FakeReply.DumpItem(seq, 2)),
            FakeStep.Datagram(FakeReply.DumpItem(seq, 3)),
            FakeStep.Datagram(FakeReply.DumpItem(seq, 4), FakeReply.Done(seq)),
            FakeStep.Datagram(FakeReply.DumpItem(seq, 99)));

        List<int> items = await DumpAsync(connection, seq);

        items.Should().Equal(1, 2, 3, 4);
        kernel.Pending.Should().Be(1, "the engine stops reading at DONE");
        HexDiff.ShouldEqual(kernel.Requests.Single().Datagram, TestRequest.Dump(seq), "dump request");
    }

    [Fact]
    public async Task Messages_after_DONE_in_the_same_datagram_are_ignored()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.DumpItem(seq, 1), FakeReply.Done(seq), FakeReply.DumpItem(seq, 2)));

        (await DumpAsync(connection, seq)).Should().Equal(1);
    }

    [Fact]
    public async Task An_empty_dump_is_just_DONE()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeReply.Done(seq));

        (await DumpAsync(connection, seq)).Should().BeEmpty();
    }

    [Fact]
    public async Task DONE_carrying_an_errno_throws_that_errno_with_the_kernel_text_after_the_items_before_it()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq,
            FakeStep.Datagram(FakeReply.DumpItem(seq, 1)),
            FakeStep.Datagram(FakeReply.Done(seq, Errno.EMSGSIZE, "dump too large")));
        var items = new List<int>();

        Func<Task> act = async () =>
        {
            await foreach (int item in connection.DumpAsync<int>(TestRequest.Dump(seq), seq, Operation, FakeReply.DecodeItem))
            {
                items.Add(item);
            }
        };

        NetlinkException e = (await act.Should().ThrowAsync<NetlinkException>()).Which;
        e.Should().NotBeOfType<NetlinkDumpInterruptedException>();
        e.Errno.Should().Be(Errno.EMSGSIZE);
        e.KernelMessage.Should().Be("dump too large");
        e.Operation.Should().Be(Operation);
        e.Message.Should().Contain("part-way");
        items.Should().Equal(1);
    }

    [Fact]
    public async Task NLMSG_ERROR_in_a_dump_throws_with_errno_text_and_offset()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeReply.Error(seq, Errno.EAFNOSUPPORT, "no such family", 16));

        Func<Task> act = () => DumpAsync(connection, seq);

        NetlinkException e = (await act.Should().ThrowAsync<NetlinkException>()).Which;
        e.Errno.Should().Be(Errno.EAFNOSUPPORT);
        e.KernelMessage.Should().Be("no such family");
        e.AttributeOffset.Should().Be(16u);
    }

    [Fact]
    public async Task An_ack_ends_a_dump_like_DONE()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.DumpItem(seq, 5), FakeReply.Ack(seq)), FakeStep.Datagram(FakeReply.DumpItem(seq, 6)));

        (await DumpAsync(connection, seq)).Should().Equal(5);
        kernel.Pending.Should().Be(1);
    }

    [Fact]
    public async Task A_single_answer_without_NLM_F_MULTI_is_complete_by_itself()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        byte[] single = FakeReply.Message(FakeReply.ItemType, 0, seq, BitConverter.GetBytes(77));
        kernel.OnRequest(seq, single, FakeReply.Done(seq));

        (await DumpAsync(connection, seq)).Should().Equal(77);
        kernel.Pending.Should().Be(1);
    }

    [Fact]
    public async Task Items_the_decoder_declines_are_skipped_and_NOOP_is_ignored()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.DumpItem(seq, 1), FakeReply.Noop(seq), FakeReply.DumpItem(seq, 2), FakeReply.DumpItem(seq, 3), FakeReply.Done(seq)));
        var items = new List<int>();

        await foreach (int item in connection.DumpAsync<int>(TestRequest.Dump(seq), seq, Operation, static (in NetlinkMessage m, out int v) => FakeReply.DecodeItem(m, out v) && v != 2))
        {
            items.Add(item);
        }

        items.Should().Equal(1, 3);
    }

    [Fact]
    public async Task DUMP_INTR_on_any_message_yields_everything_then_throws_NetlinkDumpInterruptedException()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq,
            FakeStep.Datagram(FakeReply.DumpItem(seq, 1)),
            FakeStep.Datagram(FakeReply.DumpItem(seq, 2, NetlinkMessageFlags.DumpInterrupted)),
            FakeStep.Datagram(FakeReply.DumpItem(seq, 3), FakeReply.Done(seq)));
        var items = new List<int>();

        Func<Task> act = async () =>
        {
            await foreach (int item in connection.DumpAsync<int>(TestRequest.Dump(seq), seq, Operation, FakeReply.DecodeItem))
            {
                items.Add(item);
            }
        };

        NetlinkDumpInterruptedException e = (await act.Should().ThrowAsync<NetlinkDumpInterruptedException>()).Which;
        items.Should().Equal(1, 2, 3);
        e.Errno.Should().Be(Errno.EINTR);
        e.Attempts.Should().Be(1);
        e.Operation.Should().Be(Operation);
        kernel.Pending.Should().Be(0);
    }

    [Fact]
    public async Task DUMP_INTR_on_DONE_alone_also_counts()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.DumpItem(seq, 1), FakeReply.Done(seq, extraFlags: NetlinkMessageFlags.DumpInterrupted)));

        Func<Task> act = () => DumpAsync(connection, seq);

        await act.Should().ThrowAsync<NetlinkDumpInterruptedException>();
    }

    [Fact]
    public async Task DumpAll_retries_an_interrupted_dump_and_returns_only_the_clean_attempt()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        kernel.OnNextRequest(r => new FakeStep[]
        {
            FakeStep.Datagram(FakeReply.DumpItem(r.Messages[0].Header.Sequence, 1, NetlinkMessageFlags.DumpInterrupted), FakeReply.Done(r.Messages[0].Header.Sequence)),
        });
        kernel.OnNextRequest(r => new FakeStep[]
        {
            FakeStep.Datagram(FakeReply.DumpItem(r.Messages[0].Header.Sequence, 10), FakeReply.DumpItem(r.Messages[0].Header.Sequence, 11)),
            FakeStep.Datagram(FakeReply.Done(r.Messages[0].Header.Sequence)),
        });

        List<int> items = await connection.DumpAllAsync<int>(seq => TestRequest.Dump(seq), Operation, FakeReply.DecodeItem, attempts: 3, CancellationToken.None);

        items.Should().Equal(10, 11);
        kernel.Requests.Select(r => r.Messages.Single().Header.Sequence).Should().Equal(1001u, 1002u);
    }

    [Fact]
    public async Task DumpAll_throws_NetlinkDumpInterruptedException_after_the_last_attempt()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        for (int i = 0; i < 4; i++)
        {
            kernel.OnNextRequest(r => new FakeStep[]
            {
                FakeStep.Datagram(FakeReply.DumpItem(r.Messages[0].Header.Sequence, 1, NetlinkMessageFlags.DumpInterrupted), FakeReply.Done(r.Messages[0].Header.Sequence)),
            });
        }

        Func<Task> act = () => connection.DumpAllAsync<int>(seq => TestRequest.Dump(seq), Operation, FakeReply.DecodeItem, attempts: 3, CancellationToken.None);

        NetlinkDumpInterruptedException e = (await act.Should().ThrowAsync<NetlinkDumpInterruptedException>()).Which;
        e.Attempts.Should().Be(3);
        e.Message.Should().Contain("3 attempts");
        kernel.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_stale_reply_during_a_dump_is_skipped_and_a_foreign_sequence_is_a_protocol_error()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint earlier = connection.NextSequence();
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.DumpItem(earlier, 666), FakeReply.DumpItem(seq, 1), FakeReply.Done(seq)));
        (await DumpAsync(connection, seq)).Should().Equal(1);

        uint next = connection.NextSequence();
        kernel.OnRequest(next, FakeStep.Datagram(FakeReply.DumpItem(next + 1, 1), FakeReply.Done(next)));
        Func<Task> act = () => DumpAsync(connection, next);
        await act.Should().ThrowAsync<NetlinkProtocolException>();
    }

    [Fact]
    public async Task A_dump_reply_for_another_port_id_is_a_protocol_error()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.DumpItem(seq, 1, portId: 31337), FakeReply.Done(seq)));

        Func<Task> act = () => DumpAsync(connection, seq);

        await act.Should().ThrowAsync<NetlinkProtocolException>();
    }

    [Fact]
    public async Task A_datagram_larger_than_the_receive_buffer_is_received_whole()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        // 3000 items of 20 bytes plus DONE: 60 KB, then one of 100 KB, beyond the 69631-byte default.
        byte[][] many = Enumerable.Range(0, 3000).Select(i => FakeReply.DumpItem(seq, i)).ToArray();
        byte[][] more = Enumerable.Range(3000, 5000).Select(i => FakeReply.DumpItem(seq, i)).Append(FakeReply.Done(seq)).ToArray();
        kernel.OnRequest(seq, FakeStep.Datagram(many), FakeStep.Datagram(more));

        List<int> items = await DumpAsync(connection, seq);

        items.Should().Equal(Enumerable.Range(0, 8000));
    }

    [Fact]
    public async Task Silence_in_the_middle_of_a_dump_is_ETIMEDOUT_naming_the_operation()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel, timeout: TimeSpan.FromSeconds(2));
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.DumpItem(seq, 1)), FakeStep.Silence);

        Func<Task> act = () => DumpAsync(connection, seq);

        NetlinkException e = (await act.Should().ThrowAsync<NetlinkException>()).Which;
        e.Errno.Should().Be(Errno.ETIMEDOUT);
        e.Message.Should().StartWith(Operation).And.Contain("2 s");
        kernel.ReceiveTimeouts.Should().Equal(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task NLMSG_OVERRUN_in_a_dump_is_ENOBUFS()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.DumpItem(seq, 1), FakeReply.Overrun(seq)));

        Func<Task> act = () => DumpAsync(connection, seq);

        (await act.Should().ThrowAsync<NetlinkException>()).Which.Errno.Should().Be(Errno.ENOBUFS);
    }

    [Fact]
    public async Task Cancelling_while_a_dump_waits_throws_OperationCanceledException()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        using var cts = new CancellationTokenSource();
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.DumpItem(seq, 1)), FakeStep.CancelWhileWaiting(cts), FakeReply.Done(seq));

        Func<Task> act = () => DumpAsync(connection, seq, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task After_a_dump_abandoned_half_way_the_next_request_drains_its_tail_and_works()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq,
            FakeStep.Datagram(FakeReply.DumpItem(seq, 1)),
            FakeStep.Datagram(FakeReply.DumpItem(seq, 2)),
            FakeStep.Datagram(FakeReply.DumpItem(seq, 3), FakeReply.Done(seq)));
        await foreach (int item in connection.DumpAsync<int>(TestRequest.Dump(seq), seq, Operation, FakeReply.DecodeItem))
        {
            item.Should().Be(1);
            break;
        }
        kernel.Pending.Should().Be(2);

        uint next = connection.NextSequence();
        kernel.OnRequest(next, FakeReply.DumpItem(next, 7), FakeReply.Done(next));
        (await DumpAsync(connection, next)).Should().Equal(7);

        kernel.Pending.Should().Be(0);
    }

    [Fact]
    public async Task DumpAll_after_a_cancelled_attempt_drains_and_uses_a_new_sequence()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        using var cts = new CancellationTokenSource();
        kernel.OnNextRequest(r => new[] { FakeStep.Datagram(FakeReply.DumpItem(r.Messages[0].Header.Sequence, 1)), FakeStep.CancelWhileWaiting(cts), FakeReply.Done(r.Messages[0].Header.Sequence) });
        Func<Task> cancelled = () => connection.DumpAllAsync<int>(seq => TestRequest.Dump(seq), Operation, FakeReply.DecodeItem, 3, cts.Token);
        await cancelled.Should().ThrowAsync<OperationCanceledException>();

        kernel.OnNextRequest(r => new FakeStep[] { FakeStep.Datagram(FakeReply.DumpItem(r.Messages[0].Header.Sequence, 2), FakeReply.Done(r.Messages[0].Header.Sequence)) });
        (await connection.DumpAllAsync<int>(seq => TestRequest.Dump(seq), Operation, FakeReply.DecodeItem, 3, CancellationToken.None)).Should().Equal(2);
        kernel.Pending.Should().Be(0);
    }
}
