using System.Net;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// Whole batches, byte for byte against what nft 1.0.6 sent for the same commands
/// (Captures/nftables/transactions/*.txt, captured by native-tests/capture/capture-nft-batches.sh,
/// the exact nft input in each file's header): batch begin with res_id 00 0a, each message's
/// type, flags and attributes, batch end.
/// </summary>
/// <remarks>
/// Where our flags differ from nft's, they differ on purpose:
/// <list type="bullet">
/// <item>NLM_F_ACK on the last message before the batch end: the kernel answers it after
/// everything else (refusals, echoes), so its answer tells the library the batch is done,
/// instead of reading until the socket is quiet as nft does (mnl_batch_talk). Only the last:
/// refusals come regardless, and 10,000 acks cost more than the rules (NfTablesSuite).</item>
/// <item>NLM_F_ECHO on NFT_MSG_NEWRULE: the kernel sends the rule back with its handle, which
/// <see cref="NfTablesCommitResult.Handles"/> returns (nft does this only with --echo).</item>
/// </list>
/// Sequence numbers and port ids are masked; ours count up from the batch begin like nft's.
/// </remarks>
public sealed class GoldenBatchTests
{
    private const ushort Ack = RawMessage.FlagAck;
    private const ushort Echo = RawMessage.FlagEcho;

    private static ushort OurFlags(RawMessage nftMessage, bool last) => (ushort)((last ? Ack : 0) | (nftMessage.NfTablesMessage == 6 ? Echo : 0));

    /// <summary>Commits <paramref name="tx"/> through a kernel that accepts everything and returns the batch datagram.</summary>
    internal static byte[] BatchOf(NfTablesTransaction tx)
    {
        var transport = new FakeKernel(NfTablesKernelModels.PortId).OnEveryRequest(NfTablesKernelModels.Accepting());
        using var client = new NfTablesClient(transport);
        // The scripted transport answers synchronously: the commit is complete when it returns.
        client.CommitCoreAsync(tx, CancellationToken.None).GetAwaiter().GetResult();
        return transport.Sent.Single();
    }

    // The nft rules of the captures, as expressions (nft --debug=netlink shows the same list).
    internal static NftExpression[] TcpDport(ushort port) => new NftExpression[]
    {
        MetaExpression.Load(MetaKey.L4Proto, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(6)),
        PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort(port)),
    };

    private static Rule CounterRule(string chain, Verdict verdict, string comment) =>
        new Rule(NetfilterFamily.IPv4, "txn", chain, new NftExpression[] { new CounterExpression(), new ImmediateExpression(verdict) }).WithComment(comment);

    // nft's set userdata: NFTNL_UDATA_SET_KEYBYTEORDER = 2 (big endian) [, _DATABYTEORDER, _MERGE_ELEMENTS].
    private static readonly byte[] SetUserData = { 0x00, 0x04, 0x02, 0x00, 0x00, 0x00 };
    private static readonly byte[] MapUserData = { 0x00, 0x04, 0x02, 0x00, 0x00, 0x00, 0x01, 0x04, 0x02, 0x00, 0x00, 0x00, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00 };

    private static Set AddressSet(uint id) => new(NetfilterFamily.IPv4, "txn", "s") { KeyType = SetDataTypes.IPv4Address, KeyLength = 4, Id = id, UserData = SetUserData };

    private static SetElement Address(string a) => new(NftData.FromIPAddress(IPAddress.Parse(a)));

    [Fact]
    public void Add_table_base_chain_and_dnat_rule()
    {
        BatchCapture nft = BatchCapture.Load("add-table-chain-rule");
        var tx = new NfTablesTransaction()
            .AddTable(new Table(NetfilterFamily.IPv4, "txn"))
            .AddChain(new Chain(NetfilterFamily.IPv4, "txn", "pre") { Type = "nat", Policy = VerdictKind.Accept, Hook = new ChainHook(ChainHooks.Prerouting, ChainPriorities.DestinationNat) })
            .AddRule(new Rule(NetfilterFamily.IPv4, "txn", "pre", TcpDport(80).Concat(new NftExpression[]
            {
                new ImmediateExpression(Register.R1, NftData.FromIPAddress(IPAddress.Parse("10.0.0.1"))),
                new ImmediateExpression(Register.R2, NftData.FromPort(8080)),
                new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = Register.R1, ProtoMin = Register.R2, Flags = NatRangeFlags.ProtoSpecified },
            }).ToArray()));

        BatchAssert.SameAsNft(BatchOf(tx), nft.Batch, OurFlags, nft.Name);
    }

    [Fact]
    public void Create_table_chain_and_set_use_nlm_f_excl()
    {
        BatchCapture nft = BatchCapture.Load("create-table-chain-set");
        var tx = new NfTablesTransaction()
            .CreateTable(new Table(NetfilterFamily.IPv4, "txn"))
            .CreateChain(new Chain(NetfilterFamily.IPv4, "txn", "c"))
            .CreateSet(AddressSet(id: 1));

        BatchAssert.SameAsNft(BatchOf(tx), nft.Batch, OurFlags, nft.Name);
    }

    [Fact]
    public void Insert_at_the_head_insert_before_add_after_and_replace()
    {
        BatchCapture nft = BatchCapture.Load("rule-positions");
        var tx = new NfTablesTransaction()
            .InsertRule(CounterRule("c", Verdict.Accept, "head"))
            .InsertRule(CounterRule("c", Verdict.Accept, "before B") with { Position = 4 })
            .AddRule(CounterRule("c", Verdict.Accept, "after A") with { Position = 3 })
            .ReplaceRule(CounterRule("c", Verdict.Drop, "A2") with { Handle = 3 });

        BatchAssert.SameAsNft(BatchOf(tx), nft.Batch, OurFlags, nft.Name);
    }

    [Fact]
    public void Delete_by_handle_flush_chain_table_and_set_then_delete_set_chain_and_table()
    {
        BatchCapture nft = BatchCapture.Load("delete-and-flush");
        var tx = new NfTablesTransaction()
            .DeleteRule(NetfilterFamily.IPv4, "txn", "c", 4)
            .FlushChain(NetfilterFamily.IPv4, "txn", "c")
            .FlushTable(NetfilterFamily.IPv4, "txn")
            .FlushSet(NetfilterFamily.IPv4, "txn", "s")
            .DeleteSet(NetfilterFamily.IPv4, "txn", "s")
            .DeleteChain(NetfilterFamily.IPv4, "txn", "c")
            .DeleteTable(NetfilterFamily.IPv4, "txn");

        BatchAssert.SameAsNft(BatchOf(tx), nft.Batch, OurFlags, nft.Name);
    }

    [Fact]
    public void Map_with_elements_then_add_create_and_delete_elements()
    {
        BatchCapture nft = BatchCapture.Load("sets-and-elements");
        var map = new Set(NetfilterFamily.IPv4, "txn", "m")
        {
            Flags = SetFlags.Map,
            KeyType = SetDataTypes.InetService,
            KeyLength = 2,
            DataType = SetDataTypes.IPv4Address,
            DataLength = 4,
            Id = 1,
            UserData = MapUserData,
        };
        // nft numbers every set it knows in the batch; "s" already existed and got id 2.
        Set s = AddressSet(id: 2);
        var tx = new NfTablesTransaction()
            .AddSet(map, new[]
            {
                new SetElement(NftData.FromPort(80)) { Data = NftData.FromIPAddress(IPAddress.Parse("10.0.0.1")) },
                new SetElement(NftData.FromPort(443)) { Data = NftData.FromIPAddress(IPAddress.Parse("10.0.0.2")) },
            })
            .AddElements(s, new[] { Address("192.0.2.1"), Address("192.0.2.2") })
            .CreateElements(s, new[] { Address("192.0.2.3") })
            .DeleteElements(s, new[] { Address("192.0.2.1") });

        BatchAssert.SameAsNft(BatchOf(tx), nft.Batch, OurFlags, nft.Name);
    }

    [Fact]
    public void A_rule_with_a_jump_is_encoded_like_nft_does()
    {
        BatchCapture nft = BatchCapture.Load("refused-jump");
        var tx = new NfTablesTransaction().AddRule(new Rule(NetfilterFamily.IPv4, "txn", "c", TcpDport(22).Append(new ImmediateExpression(Verdict.JumpTo("nosuch"))).ToArray()));

        BatchAssert.SameAsNft(BatchOf(tx), nft.Batch, OurFlags, nft.Name);
    }

    [Fact]
    public void Batch_begin_and_end_carry_res_id_nftables_and_no_ack()
    {
        byte[] batch = BatchOf(new NfTablesTransaction().AddTable(new Table(NetfilterFamily.Inet, "t")));
        List<RawMessage> messages = RawMessage.Split(batch);

        // NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, nfgenmsg { AF_UNSPEC, NFNETLINK_V0, res_id = htons(NFNL_SUBSYS_NFTABLES) }.
        messages[0].Type.Should().Be(RawMessage.BatchBegin);
        messages[0].Flags.Should().Be(RawMessage.FlagRequest, "kernels before 6.10 never answer begin and end, so they are not asked to");
        messages[0].Payload.Should().Equal(0x00, 0x00, 0x00, 0x0a);
        messages[^1].Type.Should().Be(RawMessage.BatchEnd);
        messages[^1].Flags.Should().Be(RawMessage.FlagRequest);
        messages[^1].Payload.Should().Equal(0x00, 0x00, 0x00, 0x0a);
    }

    [Fact]
    public void A_generation_check_adds_nfnl_batch_genid_to_the_batch_begin()
    {
        // Not from an nft capture: nft 1.0.6 does not send NFNL_BATCH_GENID. The layout is uapi
        // nfnetlink.h (enum nfnl_batch_attributes: NFNL_BATCH_GENID = 1, NLA_U32 big-endian; the
        // kernel reads it with ntohl in nfnetlink_rcv_skb_batch); the native GenerationCheckTests
        // prove the kernel honours it.
        byte[] batch = BatchOf(new NfTablesTransaction { ExpectedGeneration = 0x01020304 }.AddTable(new Table(NetfilterFamily.Inet, "t")));
        RawMessage begin = RawMessage.Split(batch)[0];

        begin.Length.Should().Be(28);
        begin.Payload.Should().Equal(0x00, 0x00, 0x00, 0x0a, 0x08, 0x00, 0x01, 0x00, 0x01, 0x02, 0x03, 0x04);
    }

    [Fact]
    public void Many_elements_are_split_over_several_messages_below_the_64_KiB_attribute_limit()
    {
        var elements = Enumerable.Range(0, 20_000).Select(i => new SetElement(NftData.FromIPAddress(new IPAddress(new[] { (byte)10, (byte)(i >> 16), (byte)(i >> 8), (byte)i })))).ToList();
        byte[] batch = BatchOf(new NfTablesTransaction().AddElements(AddressSet(id: 1), elements));

        List<RawMessage> messages = RawMessage.Split(batch);
        List<RawMessage> inner = messages.Skip(1).SkipLast(1).ToList();
        inner.Should().HaveCountGreaterThan(1).And.OnlyContain(m => m.NfTablesMessage == 12 && m.Length < 65536);
        // Every element is in exactly one message: 16 bytes each (LIST_ELEM { KEY { VALUE 4 bytes } }).
        int elementBytes = inner.Sum(m => m.Payload.Length - 4 - (8 + 8 + 8) - 4);
        elementBytes.Should().Be(20_000 * 16);
    }
}
