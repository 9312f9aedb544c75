using System.Buffers.Binary;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Fakes;
using Netfilter.Net.Tests.Support;
using static Netfilter.Net.Tests.Fakes.KernelConstants;

namespace Netfilter.Net.Tests.Netfilter;

/// <summary><see cref="NfnetlinkBatch"/>: framing, one ack per message, refusals mapped back to the message that caused them.</summary>
public sealed class NfnetlinkBatchTests
{
    private static void AddTable(NfnetlinkBatch batch, string name, string description)
    {
        batch.BeginMessage(NftMsgNewTable, NetlinkMessageFlags.None, NetfilterFamily.Inet, description);
        batch.Writer.WriteStringZ(NftaTableName, name);
        batch.Writer.WriteUInt32BigEndian(NftaTableFlags, 0);
        batch.EndMessage();
    }

    [Fact]
    public async Task The_datagram_is_nfts_batch_with_one_ack_requested_per_message()
    {
        // Golden: nft add table inet t. nft 1.0.6 sends batch messages without NLM_F_ACK and
        // relies on errors alone; the engine asks for an ack per message to know each succeeded.
        CaptureFile golden = CaptureFile.Load("netlink/add-table-inet.txt");
        byte[] expected = HexDiff.MaskSequenceAndPort(golden.Requests.Last());
        const int newTableFlags = 20 + 6;
        BinaryPrimitives.ReadUInt16LittleEndian(expected.AsSpan(newTableFlags)).Should().Be((ushort)NetlinkMessageFlags.Request, "the capture is what we think it is");
        expected[newTableFlags] |= (byte)NetlinkMessageFlags.Ack;

        var kernel = new FakeKernel().AcknowledgeUnscripted();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        using var batch = new NfnetlinkBatch(connection, NfnlSubsystem.NfTables);
        AddTable(batch, "t", "add table inet t");
        (await batch.CommitAsync("batch", null, CancellationToken.None)).Should().BeEmpty();

        FakeRequest sent = kernel.Requests.Single();
        HexDiff.ShouldEqual(HexDiff.MaskSequenceAndPort(sent.Datagram), expected, golden.Command);
        sent.Sequences.Should().Equal(1001u, 1002u, 1003u);
    }

    [Fact]
    public async Task Each_message_gets_consecutive_sequence_numbers_offsets_and_types()
    {
        var kernel = new FakeKernel().AcknowledgeUnscripted();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        using var batch = new NfnetlinkBatch(connection, NfnlSubsystem.NfTables);
        AddTable(batch, "a", "first");
        AddTable(batch, "bb", "second");

        batch.Count.Should().Be(2);
        batch.SequenceOf(0).Should().Be(1002u);
        batch.SequenceOf(1).Should().Be(1003u);
        batch.OffsetOf(0).Should().Be(20, "batch begin is 20 bytes");
        batch.OffsetOf(1).Should().Be(20 + 36);
        batch.TypeOf(1).Should().Be(NftMsgNewTable);
        (await batch.CommitAsync("batch", null, CancellationToken.None)).Should().BeEmpty();
        kernel.Requests.Single().Messages.Select(m => (m.Header.Type, m.Offset)).Should().Equal(
            ((ushort)0x10, 0), ((ushort)0x0a00, 20), ((ushort)0x0a00, 56), ((ushort)0x11, 92));
    }

    [Fact]
    public async Task A_refusal_is_mapped_to_its_message_index_description_offset_and_kernel_text()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        using var batch = new NfnetlinkBatch(connection, NfnlSubsystem.NfTables);
        AddTable(batch, "ok1", "add table inet ok1");
        AddTable(batch, "bad", "add table inet bad");
        AddTable(batch, "ok2", "add table inet ok2");
        kernel.OnNextRequest(r => new FakeStep[]
        {
            FakeStep.Datagram(
                FakeReply.Ack(r.Messages[1].Header),
                // The kernel's offset is from the failing message's nlmsghdr: 20 = NFTA_TABLE_NAME.
                FakeReply.Error(r.Messages[2].Header.Sequence, Errno.EINVAL, "name is bad", 20, capped: false, request: r.Messages[2].Bytes),
                FakeReply.Ack(r.Messages[3].Header)),
        });

        List<BatchFailure> failures = await batch.CommitAsync("batch", null, CancellationToken.None);

        BatchFailure failure = failures.Should().ContainSingle().Which;
        failure.Index.Should().Be(1);
        failure.Description.Should().Be("add table inet bad");
        failure.MessageOffset.Should().Be(batch.OffsetOf(1));
        failure.Error.Errno.Should().Be(Errno.EINVAL);
        failure.Error.Message.Should().Be("name is bad");
        // Offset + message offset lands on the attribute the kernel pointed at, in what was sent.
        byte[] sent = kernel.Requests.Single().Datagram;
        var attributes = new NetlinkAttributeReader(sent.AsSpan(failure.MessageOffset + (int)failure.Error.Offset!.Value), "sent");
        attributes.TryRead(out NetlinkAttribute attribute).Should().BeTrue();
        attribute.Type.Should().Be(NftaTableName);
        attribute.GetStringZ().Should().Be("bad");
    }

    [Fact]
    public async Task Several_refusals_come_back_sorted_by_index()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        using var batch = new NfnetlinkBatch(connection, NfnlSubsystem.NfTables);
        for (int i = 0; i < 4; i++)
        {
            AddTable(batch, "t" + i, "message " + i);
        }
        kernel.OnNextRequest(r => new FakeStep[]
        {
            FakeStep.Datagram(FakeReply.Error(r.Messages[4].Header.Sequence, Errno.EEXIST), FakeReply.Error(r.Messages[2].Header.Sequence, Errno.ENOENT)),
        });

        (await batch.CommitAsync("batch", null, CancellationToken.None)).Select(f => (f.Index, f.Description, f.Error.Errno))
            .Should().Equal((1, "message 1", Errno.ENOENT), (3, "message 3", Errno.EEXIST));
    }

    [Fact]
    public async Task Echo_replies_reach_the_handler_with_the_index_of_their_message()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        using var batch = new NfnetlinkBatch(connection, NfnlSubsystem.NfTables);
        AddTable(batch, "a", "a");
        AddTable(batch, "b", "b");
        kernel.OnNextRequest(r => new FakeStep[]
        {
            FakeStep.Datagram(
                FakeReply.DumpItem(r.Messages[2].Header.Sequence, 22), FakeReply.Ack(r.Messages[2].Header),
                FakeReply.DumpItem(r.Messages[1].Header.Sequence, 11), FakeReply.Ack(r.Messages[1].Header)),
        });
        var echoes = new List<(int Index, int Value)>();

        (await batch.CommitAsync("batch", (int index, in NetlinkMessage m) =>
        {
            FakeReply.DecodeItem(m, out int value);
            echoes.Add((index, value));
        }, CancellationToken.None)).Should().BeEmpty();

        echoes.Should().Equal((1, 22), (0, 11));
    }

    [Fact]
    public async Task An_empty_batch_sends_nothing()
    {
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        using var batch = new NfnetlinkBatch(connection, NfnlSubsystem.NfTables);

        (await batch.CommitAsync("batch", null, CancellationToken.None)).Should().BeEmpty();

        kernel.Requests.Should().BeEmpty();
    }

    [Fact]
    public void Using_the_connection_while_building_a_batch_is_refused()
    {
        using NetlinkConnection connection = TestRequest.Connect(new FakeKernel());
        using var batch = new NfnetlinkBatch(connection, NfnlSubsystem.NfTables);
        AddTable(batch, "a", "a");
        connection.NextSequence();

        Action act = () => batch.BeginMessage(NftMsgNewTable, NetlinkMessageFlags.None, NetfilterFamily.Inet, "b");

        act.Should().Throw<InvalidOperationException>().WithMessage("*consecutive*");
    }

    [Fact]
    public async Task A_refusal_of_the_batch_itself_such_as_EPERM_on_batch_begin_is_reported_not_waited_for()
    {
        // Golden: without CAP_NET_ADMIN nfnetlink_rcv answers the first message of the
        // datagram, the batch begin, with EPERM (net/netfilter/nfnetlink.c), under its sequence.
        CaptureFile golden = CaptureFile.Load("netlink/batch-eperm.txt");
        byte[] reply = golden.Replies.Single();
        NetlinkMessageHeader.Read(reply).Sequence.Should().Be(NetlinkMessageHeader.Read(golden.Requests.Single()).Sequence, "the capture answers the batch begin");

        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel, timeout: TimeSpan.FromSeconds(30));
        using var batch = new NfnetlinkBatch(connection, NfnlSubsystem.NfTables);
        AddTable(batch, "t", "add table inet t");
        kernel.OnNextRequest(r => new FakeStep[] { FakeStep.Raw(GoldenReply.Readdress(reply, r.Messages[0].Header.Sequence)) });

        List<BatchFailure> failures = await batch.CommitAsync("batch", null, CancellationToken.None);

        BatchFailure failure = failures.Should().ContainSingle().Which;
        failure.Error.Errno.Should().Be(Errno.EPERM);
        failure.Index.Should().Be(-1, "no message of the batch caused it: the batch as a whole was refused");
        failure.Description.Should().Contain("batch");
        failure.MessageOffset.Should().Be(0);
        kernel.ReceiveTimeouts.Should().Equal(TimeSpan.FromSeconds(30), TimeSpan.Zero);
    }
}
