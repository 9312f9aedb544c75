using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.Netlink;

/// <summary>The request/ack rules of <see cref="NetlinkConnection"/>, one test per rule, against a scripted kernel.</summary>
public sealed class NetlinkConnectionTests
{
    private const string Operation = "test NEWTHING";

    [Fact]
    public async Task Execute_sends_the_request_unchanged_and_returns_when_the_kernel_acks_it()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        byte[] request = TestRequest.One(seq);
        kernel.OnRequest(seq, FakeReply.Ack(seq));

        await connection.ExecuteAsync(request, seq, Operation, null, CancellationToken.None);

        kernel.Requests.Should().ContainSingle();
        HexDiff.ShouldEqual(kernel.Requests[0].Datagram, request, "datagram sent");
        kernel.ReceiveTimeouts.Should().Equal(new[] { TimeSpan.FromSeconds(7) }, "one wait, bounded by the connection's timeout");
        kernel.Pending.Should().Be(0);
    }

    [Fact]
    public void Sequence_numbers_count_up_from_the_initial_one_and_skip_zero()
    {
        using var connection = new NetlinkConnection(new FakeKernel(), initialSequence: uint.MaxValue - 1);
        connection.NextSequence().Should().Be(uint.MaxValue);
        connection.NextSequence().Should().Be(1u, "0 marks kernel-originated messages and is never used for a request");
        connection.NextSequence().Should().Be(2u);
    }

    [Fact]
    public async Task Execute_throws_NetlinkException_carrying_errno_kernel_text_offset_operation_and_sequence()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeReply.Error(seq, Errno.EINVAL, "Attribute failed policy validation", 20));

        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        NetlinkException e = (await act.Should().ThrowAsync<NetlinkException>()).Which;
        e.Errno.Should().Be(Errno.EINVAL);
        e.Operation.Should().Be(Operation);
        e.Sequence.Should().Be(seq);
        e.KernelMessage.Should().Be("Attribute failed policy validation");
        e.AttributeOffset.Should().Be(20u);
        e.Message.Should().Contain(Operation).And.Contain("Attribute failed policy validation").And.Contain("byte 20");
    }

    [Fact]
    public async Task Every_message_of_a_multi_message_request_is_acked_individually_before_it_returns()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint first = connection.NextSequence();
        connection.NextSequence();
        uint last = connection.NextSequence();
        // Acks out of order and split over two datagrams; a duplicate ack counts once.
        kernel.OnRequest(first,
            FakeStep.Datagram(FakeReply.Ack(last), FakeReply.Ack(first)),
            FakeStep.Datagram(FakeReply.Ack(first)),
            FakeStep.Datagram(FakeReply.Ack(first + 1)));

        List<NetlinkError> errors = await connection.SendAcknowledgedAsync(TestRequest.Many(first, 3), first, last, Operation, null, CancellationToken.None);

        errors.Should().BeEmpty();
        kernel.Pending.Should().Be(0, "the engine waited for the third ack, the one in the last datagram");
        kernel.ReceiveTimeouts.Should().HaveCount(3).And.OnlyContain(t => t == TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Refusals_are_returned_in_arrival_order_with_their_own_sequence_and_the_rest_still_acked()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint first = connection.NextSequence();
        connection.NextSequence();
        uint last = connection.NextSequence();
        kernel.OnRequest(first, FakeStep.Datagram(
            FakeReply.Ack(first),
            FakeReply.Error(last, Errno.ENOENT, offset: 20),
            FakeReply.Error(first + 1, Errno.EEXIST, "exists")));

        List<NetlinkError> errors = await connection.SendAcknowledgedAsync(TestRequest.Many(first, 3), first, last, Operation, null, CancellationToken.None);

        errors.Select(e => (e.Errno, e.Request.Sequence, e.Message, e.Offset)).Should().Equal(
            (Errno.ENOENT, last, (string?)null, (uint?)20),
            (Errno.EEXIST, first + 1, "exists", (uint?)null));
    }

    [Fact]
    public async Task After_a_refusal_it_stops_at_the_first_empty_read_instead_of_waiting_for_acks_that_will_not_come()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint first = connection.NextSequence();
        uint last = connection.NextSequence();
        // nfnetlink aborts the whole batch on a fatal error: message 2 is never acked.
        kernel.OnRequest(first, FakeReply.Error(first, Errno.EPERM));

        List<NetlinkError> errors = await connection.SendAcknowledgedAsync(TestRequest.Many(first, 2), first, last, Operation, null, CancellationToken.None);

        errors.Should().ContainSingle().Which.Errno.Should().Be(Errno.EPERM);
        kernel.ReceiveTimeouts.Should().Equal(TimeSpan.FromSeconds(7), TimeSpan.Zero);
    }

    [Fact]
    public async Task Replies_that_are_not_acks_go_to_the_reply_handler_and_noop_is_ignored()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.Noop(seq), FakeReply.DumpItem(seq, 42), FakeReply.Ack(seq)));
        var seen = new List<(ushort Type, int Value)>();

        await connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, (in NetlinkMessage m) =>
        {
            FakeReply.DecodeItem(m, out int value);
            seen.Add((m.Type, value));
        }, CancellationToken.None);

        seen.Should().Equal((FakeReply.ItemType, 42));
    }

    [Fact]
    public async Task An_unaligned_final_message_is_accepted()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        // nlmsg_len 21 and the datagram ends right there, without the 3 bytes of padding.
        byte[] echo = FakeReply.Message(FakeReply.ItemType, 0, seq, new byte[] { 1, 2, 3, 4, 5 }, pad: false);
        echo.Length.Should().Be(21);
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.Ack(seq), echo));
        byte[]? payload = null;

        await connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, (in NetlinkMessage m) => payload = m.Payload.ToArray(), CancellationToken.None);

        payload.Should().Equal(1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task A_reply_to_an_earlier_request_on_this_socket_is_skipped()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint earlier = connection.NextSequence();
        kernel.OnRequest(earlier, FakeReply.Ack(earlier));
        await connection.ExecuteAsync(TestRequest.One(earlier), earlier, Operation, null, CancellationToken.None);
        uint seq = connection.NextSequence();
        // A late duplicate for the earlier request arrives first.
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.Error(earlier, Errno.EBUSY), FakeReply.Ack(seq)));

        await connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        kernel.Pending.Should().Be(0);
    }

    [Theory]
    [InlineData(1005u)] // never issued yet (the future)
    [InlineData(1000u)] // before the first number this connection issued
    [InlineData(7u)]
    public async Task A_reply_whose_sequence_no_request_used_is_a_protocol_error(uint foreign)
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel, firstSequence: 1001);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.Ack(foreign), FakeReply.Ack(seq)));

        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        (await act.Should().ThrowAsync<NetlinkProtocolException>())
            .Which.Received.Should().Contain(foreign.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_reply_addressed_to_another_port_id_is_a_protocol_error()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeReply.Ack(seq, portId: FakeKernel.DefaultPortId + 1));

        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        NetlinkProtocolException e = (await act.Should().ThrowAsync<NetlinkProtocolException>()).Which;
        e.Expected.Should().Contain(FakeKernel.DefaultPortId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        e.Received.Should().Be((FakeKernel.DefaultPortId + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_reply_with_port_id_zero_is_accepted()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeReply.Ack(seq, portId: 0));

        await connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        kernel.Pending.Should().Be(0);
    }

    [Fact]
    public async Task A_message_header_longer_than_the_datagram_is_a_protocol_error()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        byte[] ack = FakeReply.Ack(seq);
        kernel.OnRequest(seq, FakeStep.Raw(ack.AsSpan(0, ack.Length - 4).ToArray()));

        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        (await act.Should().ThrowAsync<NetlinkProtocolException>()).Which.Expected.Should().Contain("nlmsg_len");
    }

    [Fact]
    public async Task Trailing_bytes_too_short_for_a_header_are_a_protocol_error()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Raw(FakeReply.Ack(seq).Concat(new byte[8]).ToArray()));

        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        (await act.Should().ThrowAsync<NetlinkProtocolException>()).Which.Received.Should().Contain("8 trailing bytes");
    }

    [Fact]
    public async Task A_datagram_the_socket_truncated_is_a_protocol_error()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Truncated);

        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        (await act.Should().ThrowAsync<NetlinkProtocolException>()).Which.Received.Should().Contain("MSG_TRUNC");
    }

    [Fact]
    public async Task An_error_message_too_short_for_errno_and_header_is_a_protocol_error()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeReply.Message(NetlinkMessageType.Error, 0, seq, new byte[4]));

        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        (await act.Should().ThrowAsync<NetlinkProtocolException>()).Which.Context.Should().Be("NLMSG_ERROR");
    }

    [Fact]
    public async Task Silence_until_the_timeout_is_ETIMEDOUT_naming_the_operation_and_the_wait()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel, timeout: TimeSpan.FromSeconds(3));
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Silence);

        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        NetlinkException e = (await act.Should().ThrowAsync<NetlinkException>()).Which;
        e.Errno.Should().Be(Errno.ETIMEDOUT);
        e.Operation.Should().Be(Operation);
        e.Sequence.Should().Be(seq);
        e.Message.Should().StartWith(Operation).And.Contain("3 s");
        kernel.ReceiveTimeouts.Should().Equal(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task NLMSG_OVERRUN_is_ENOBUFS()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeReply.Overrun(seq));

        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        (await act.Should().ThrowAsync<NetlinkException>()).Where(e => e.Errno == Errno.ENOBUFS && e.Message.Contains("NLMSG_OVERRUN"));
    }

    [Fact]
    public async Task ENOBUFS_from_the_socket_surfaces_and_the_next_request_drains_what_is_left()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.NoBufferSpace, FakeReply.Ack(seq));
        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);
        (await act.Should().ThrowAsync<NetlinkException>()).Which.Errno.Should().Be(Errno.ENOBUFS);

        uint next = connection.NextSequence();
        kernel.OnRequest(next, FakeReply.Ack(next));
        await connection.ExecuteAsync(TestRequest.One(next), next, Operation, null, CancellationToken.None);

        kernel.Pending.Should().Be(0);
        kernel.ReceiveTimeouts.Skip(1).Should().Equal(new[] { TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(7) },
            "the leftover ack was drained without waiting, then the socket was empty, then the new request was waited for");
    }

    [Fact]
    public async Task A_token_cancelled_before_the_request_throws_and_sends_nothing()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();

        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, new CancellationToken(canceled: true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        kernel.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Cancelling_while_waiting_throws_OperationCanceledException()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        using var cts = new CancellationTokenSource();
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.CancelWhileWaiting(cts), FakeReply.Ack(seq));

        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task After_a_cancelled_request_the_next_one_drains_the_stale_tail_and_works()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        using var cts = new CancellationTokenSource();
        uint cancelled = connection.NextSequence();
        kernel.OnRequest(cancelled, FakeStep.CancelWhileWaiting(cts), FakeReply.Error(cancelled, Errno.EEXIST), FakeReply.Ack(cancelled));
        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(cancelled), cancelled, Operation, null, cts.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
        kernel.Pending.Should().Be(2, "the cancelled request's answers are still in the socket");

        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeReply.Ack(seq));
        await connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        kernel.Pending.Should().Be(0);
    }

    [Fact]
    public async Task A_stale_tail_that_arrives_after_the_drain_is_still_skipped_by_sequence()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        using var cts = new CancellationTokenSource();
        uint cancelled = connection.NextSequence();
        kernel.OnRequest(cancelled, FakeStep.CancelWhileWaiting(cts));
        Func<Task> act = () => connection.ExecuteAsync(TestRequest.One(cancelled), cancelled, Operation, null, cts.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();

        uint seq = connection.NextSequence();
        kernel.OnRequest(seq, FakeStep.Datagram(FakeReply.Error(cancelled, Errno.EEXIST), FakeReply.Ack(seq)));
        await connection.ExecuteAsync(TestRequest.One(seq), seq, Operation, null, CancellationToken.None);

        kernel.Pending.Should().Be(0);
    }

    [Fact]
    public async Task The_receive_buffer_is_sized_for_the_acks_before_the_request_is_sent()
    {
        var kernel = new FakeKernel().AcknowledgeUnscripted();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint first = connection.NextSequence();
        for (int i = 1; i < 5000; i++)
        {
            connection.NextSequence();
        }

        (await connection.SendAcknowledgedAsync(TestRequest.Many(first, 5000), first, first + 4999, Operation, null, CancellationToken.None)).Should().BeEmpty();

        kernel.ReceiveBufferRequests.Should().ContainSingle().Which.Should().BeGreaterThanOrEqualTo(5000 * 36, "5000 capped acks of 36 bytes each must fit");
    }
}
