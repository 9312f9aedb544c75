using System.Buffers.Binary;
using System.Net;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// The kernel's refusals mapped back to what the caller wrote: the operation (index and
/// description), for rules the expression an extended-ack offset points into, the kernel's text,
/// every refusal in order, and the batch-level refusals (ERESTART → <see cref="NfTablesGenerationException"/>, EPERM).
/// </summary>
public sealed class ErrorMappingTests
{
    private const int ENOENT = 2, EPERM = 1, EINVAL = 22, ERANGE = 34, ERESTART = 85;

    private static Rule DnatRule(ushort port) => new(NetfilterFamily.IPv4, "txn", "c", GoldenBatchTests.TcpDport(port).Concat(new NftExpression[]
    {
        new ImmediateExpression(Register.R1, NftData.FromIPAddress(IPAddress.Parse("10.0.0.1"))),
        new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = Register.R1 },
    }).ToArray());

    private static NfTablesException Commit(NfTablesTransaction tx, Func<byte[], IEnumerable<byte[]>> kernel, out FakeKernel transport)
    {
        transport = new FakeKernel(NfTablesKernelModels.PortId).OnEveryRequest(kernel);
        using var client = new NfTablesClient(transport);
        // The scripted transport answers synchronously: the commit is complete when it returns.
        Action act = () => client.CommitCoreAsync(tx, CancellationToken.None).GetAwaiter().GetResult();
        return act.Should().Throw<NfTablesException>().Which;
    }

    /// <summary>Where each NFTA_LIST_ELEM of a rule message starts (from the message start), read from the raw bytes.</summary>
    private static List<int> ExpressionOffsets(RawMessage rule)
    {
        var offsets = new List<int>();
        int at = RawMessage.HeaderLength + 4;
        while (at + 4 <= rule.Bytes.Length)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(rule.Bytes.AsSpan(at));
            int type = BinaryPrimitives.ReadUInt16LittleEndian(rule.Bytes.AsSpan(at + 2)) & 0x3fff;
            if (type == 4)
            {
                for (int e = at + 4; e < at + length; e += (BinaryPrimitives.ReadUInt16LittleEndian(rule.Bytes.AsSpan(e)) + 3) & ~3)
                {
                    offsets.Add(e);
                }
            }
            at += (length + 3) & ~3;
        }
        return offsets;
    }

    [Fact]
    public void The_kernels_refusal_of_a_jump_captured_from_nft_names_the_rule_and_its_immediate_expression()
    {
        // Golden: nft add rule ip txn c tcp dport 22 jump nosuch → ENOENT, NLMSGERR_ATTR_OFFS = 216,
        // the whole request echoed (nft does not set NETLINK_CAP_ACK), no text.
        BatchCapture nft = BatchCapture.Load("refused-jump");
        byte[] reply = nft.Replies.Single();
        var tx = new NfTablesTransaction().AddRule(new Rule(NetfilterFamily.IPv4, "txn", "c", GoldenBatchTests.TcpDport(22).Append(new ImmediateExpression(Verdict.JumpTo("nosuch"))).ToArray()));

        NfTablesException e = Commit(tx, datagram =>
        {
            RawMessage ours = RawMessage.Split(datagram)[1];
            return new[] { RawMessage.ErrorWithSequence(reply, ours.Sequence, 0x4242) };
        }, out _);

        e.Errno.Should().Be(Errno.ENOENT);
        e.OperationIndex.Should().Be(0);
        e.OperationDescription.Should().Be("add rule ip txn c");
        e.AttributeOffset.Should().Be(216);
        e.ExpressionIndex.Should().Be(4);
        e.ExpressionName.Should().Be("immediate");
        e.KernelMessage.Should().BeNull();
        e.Operation.Should().Be("nftables transaction NFT_MSG_NEWRULE");
        e.Message.Should().Contain("operation 1 of 1 (add rule ip txn c), expression 5 (immediate); nothing was applied").And.Contain("ENOENT");
        e.Should().NotBeOfType<NfTablesGenerationException>();
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 1)]
    [InlineData(5, 3)]
    public void An_offset_inside_an_expression_names_that_expression_of_the_refused_rule(int expression, int bytesIntoIt)
    {
        var tx = new NfTablesTransaction().AddRule(DnatRule(1)).AddRule(DnatRule(2)).AddRule(DnatRule(3));

        NfTablesException e = Commit(tx, NfTablesKernelModels.Refusing((index, m) =>
            index == 1 ? KernelReplies.Error(m, 0x4242, ERANGE, "bad register", (uint)(ExpressionOffsets(m)[expression] + bytesIntoIt)) : null), out _);

        e.OperationIndex.Should().Be(1);
        e.ExpressionIndex.Should().Be(expression);
        e.ExpressionName.Should().Be(DnatRule(2).Expressions[expression].Name);
        e.KernelMessage.Should().Be("bad register");
        e.Errno.Should().Be(Errno.ERANGE);
        e.Message.Should().Contain("kernel says \"bad register\"").And.Contain($"operation 2 of 3 (add rule ip txn c), expression {expression + 1} ({e.ExpressionName})");
    }

    [Fact]
    public void An_offset_outside_the_expression_list_names_no_expression()
    {
        Rule rule = DnatRule(1).WithComment("after the expressions");
        var tx = new NfTablesTransaction().AddRule(rule);
        uint chainAttribute = RawMessage.HeaderLength + 4 + 8;

        NfTablesException atChain = Commit(tx, NfTablesKernelModels.Refusing((_, m) => KernelReplies.Error(m, 0x4242, ENOENT, null, chainAttribute)), out _);
        NfTablesException atUserData = Commit(tx, NfTablesKernelModels.Refusing((_, m) => KernelReplies.Error(m, 0x4242, EINVAL, null, m.Length - 8)), out _);

        atChain.OperationIndex.Should().Be(0);
        atChain.ExpressionIndex.Should().BeNull();
        atChain.ExpressionName.Should().BeNull();
        atUserData.ExpressionIndex.Should().BeNull("the userdata follows the expression list");
    }

    [Fact]
    public void Every_refusal_is_reported_in_operation_order_and_the_first_heads_the_exception()
    {
        var tx = new NfTablesTransaction()
            .AddTable(new Table(NetfilterFamily.IPv4, "txn"))
            .AddRule(DnatRule(1))
            .DeleteChain(NetfilterFamily.IPv4, "txn", "gone")
            .AddRule(DnatRule(2));

        NfTablesException e = Commit(tx, NfTablesKernelModels.Refusing((index, m) => index switch
        {
            2 => KernelReplies.Error(m, 0x4242, ENOENT),
            3 => KernelReplies.Error(m, 0x4242, ERANGE, "third", (uint)ExpressionOffsets(m)[1]),
            _ => null,
        }), out _);

        e.OperationIndex.Should().Be(2);
        e.OperationDescription.Should().Be("delete chain ip txn gone");
        e.Message.Should().Contain("2 operations were refused");
        e.Failures.Should().Equal(
            new NfTablesFailure(2, "delete chain ip txn gone", Errno.ENOENT, null, null),
            new NfTablesFailure(3, "add rule ip txn c", Errno.ERANGE, "third", 1));
    }

    [Fact]
    public void A_refused_message_of_a_split_element_operation_names_that_operation()
    {
        var set = new Set(NetfilterFamily.IPv4, "txn", "s") { KeyType = SetDataTypes.IPv4Address, KeyLength = 4 };
        var elements = Enumerable.Range(0, 10_000).Select(i => new SetElement(NftData.FromIPAddress(new IPAddress(new[] { (byte)10, (byte)0, (byte)(i >> 8), (byte)i })))).ToList();
        var tx = new NfTablesTransaction()
            .AddTable(new Table(NetfilterFamily.IPv4, "txn"))
            .AddElements(set, elements)
            .AddRule(DnatRule(1));

        // Messages: table, then the elements over 3 messages, then the rule; refuse the third element message.
        NfTablesException e = Commit(tx, NfTablesKernelModels.Refusing((index, m) => index == 3 ? KernelReplies.Error(m, 0x4242, EINVAL, "element") : null), out FakeKernel transport);

        RawMessage.Split(transport.Sent.Single()).Count(m => m.NfTablesMessage == 12).Should().Be(3);
        e.OperationIndex.Should().Be(1);
        e.OperationDescription.Should().Be("add 10000 element(s) of set ip txn s");
        e.Operation.Should().Be("nftables transaction NFT_MSG_NEWSETELEM");
    }

    [Fact]
    public void Only_the_last_message_asks_for_an_ack_and_its_answer_ends_the_wait_after_earlier_refusals()
    {
        var tx = new NfTablesTransaction().AddRule(DnatRule(1)).AddRule(DnatRule(2)).AddRule(DnatRule(3));

        NfTablesException e = Commit(tx, NfTablesKernelModels.Refusing((index, m) => index == 0 ? KernelReplies.Error(m, 0x4242, ENOENT) : null), out FakeKernel transport);

        List<RawMessage> sent = RawMessage.Split(transport.Sent.Single());
        sent.Select(m => (m.Flags & RawMessage.FlagAck) != 0).Should().Equal(false, false, false, true, false);
        e.OperationIndex.Should().Be(0);
        e.Failures.Should().ContainSingle();
    }

    [Fact]
    public void A_refusal_that_stops_the_batch_before_the_last_message_is_reported_without_waiting()
    {
        // nfnetlink_rcv_batch stops at ENOMEM/EMLINK: no answer for the last message ever comes.
        var tx = new NfTablesTransaction().AddRule(DnatRule(1)).AddRule(DnatRule(2));

        NfTablesException e = Commit(tx, datagram => new[] { KernelReplies.Error(RawMessage.Split(datagram)[1], 0x4242, 31 /* EMLINK */) }, out _);

        e.OperationIndex.Should().Be(0);
        e.Errno.Should().Be((Errno)31);
    }

    [Fact]
    public void ERESTART_on_the_batch_begin_of_a_checked_transaction_is_a_generation_exception()
    {
        var tx = new NfTablesTransaction { ExpectedGeneration = 41 }.AddRule(DnatRule(1));

        NfTablesException e = Commit(tx, datagram => new[] { KernelReplies.Error(RawMessage.Split(datagram)[0], 0x4242, ERESTART) }, out _);

        NfTablesGenerationException g = e.Should().BeOfType<NfTablesGenerationException>().Which;
        g.ExpectedGeneration.Should().Be(41);
        g.Errno.Should().Be(Errno.ERESTART);
        g.OperationIndex.Should().Be(-1);
        g.Message.Should().Contain("no longer at generation 41").And.Contain("Re-read and retry");
    }

    [Fact]
    public void ERESTART_without_a_generation_check_is_an_ordinary_refusal_of_the_batch()
    {
        var tx = new NfTablesTransaction().AddRule(DnatRule(1));

        NfTablesException e = Commit(tx, datagram => new[] { KernelReplies.Error(RawMessage.Split(datagram)[0], 0x4242, ERESTART) }, out _);

        e.Should().NotBeOfType<NfTablesGenerationException>();
        e.OperationIndex.Should().Be(-1);
        e.Message.Should().Contain("the kernel refused the whole transaction");
    }

    [Fact]
    public void EPERM_on_the_batch_begin_says_CAP_NET_ADMIN_is_needed()
    {
        var tx = new NfTablesTransaction().AddTable(new Table(NetfilterFamily.Inet, "t"));

        NfTablesException e = Commit(tx, datagram => new[] { KernelReplies.Error(RawMessage.Split(datagram)[0], 0x4242, EPERM) }, out _);

        e.Errno.Should().Be(Errno.EPERM);
        e.OperationIndex.Should().Be(-1);
        e.OperationDescription.Should().Be("batch");
        e.Message.Should().Contain("CAP_NET_ADMIN");
    }

    [Fact]
    public async Task Echoed_handles_land_on_their_operations_even_after_split_element_messages()
    {
        var set = new Set(NetfilterFamily.IPv4, "txn", "s") { KeyType = SetDataTypes.IPv4Address, KeyLength = 4 };
        var elements = Enumerable.Range(0, 10_000).Select(i => new SetElement(NftData.FromIPAddress(new IPAddress(new[] { (byte)10, (byte)0, (byte)(i >> 8), (byte)i })))).ToList();
        var tx = new NfTablesTransaction()
            .AddRule(DnatRule(1))
            .AddElements(set, elements)
            .InsertRule(DnatRule(2))
            .DeleteRule(NetfilterFamily.IPv4, "txn", "c", 7)
            .ReplaceRule(DnatRule(3) with { Handle = 9 });
        var transport = new FakeKernel(NfTablesKernelModels.PortId).OnEveryRequest(NfTablesKernelModels.Accepting(firstHandle: 500));
        using var client = new NfTablesClient(transport);

        NfTablesCommitResult result = await client.CommitCoreAsync(tx, CancellationToken.None);

        result.Handles.Should().Equal(500UL, 0UL, 501UL, 0UL, 502UL);
        result.Messages.Should().Be(7, "1 rule + 3 element messages + 3 rule messages");
    }

    [Fact]
    public async Task The_receive_buffer_is_sized_for_one_answer_per_message_and_the_echoes()
    {
        var tx = new NfTablesTransaction();
        for (int i = 0; i < 10_000; i++)
        {
            tx.AddRule(DnatRule((ushort)i));
        }
        var transport = new FakeKernel(NfTablesKernelModels.PortId).OnEveryRequest(NfTablesKernelModels.Accepting());
        using var client = new NfTablesClient(transport);

        await client.CommitCoreAsync(tx, CancellationToken.None);

        int batchBytes = transport.Sent.Single().Length;
        // Each ack is its own skb (~768 bytes of truesize); echoes are about as large as the batch.
        transport.ReceiveBufferRequests.Max().Should().BeGreaterThanOrEqualTo(10_000 * 768 + batchBytes);
    }
}
