using System.Buffers.Binary;
using System.IO;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Fakes;
using Netfilter.Net.Tests.Support;
using static Netfilter.Net.Tests.Fakes.KernelConstants;

namespace Netfilter.Net.Tests.Netlink;

/// <summary>
/// Both directions against bytes captured from nft 1.0.6 and the kernel (Captures/netlink/*.txt):
/// the writer reproduces what nft sent, exactly, with only nlmsg_seq and nlmsg_pid masked; the
/// readers decode what nft sent and what the kernel answered to the values the command meant.
/// </summary>
public sealed class GoldenCaptureTests
{
    private static byte[] Batch(Action<NetlinkWriter> messages)
    {
        using var writer = new NetlinkWriter();
        NfnetlinkWriter.BeginBatch(writer, 0, NfnlSubsystem.NfTables);
        messages(writer);
        NfnetlinkWriter.EndBatch(writer, 0, NfnlSubsystem.NfTables);
        return writer.WrittenSpan.ToArray();
    }

    private static void ShouldMatchCapture(byte[] ours, byte[] captured, CaptureFile golden) =>
        HexDiff.ShouldEqual(HexDiff.MaskSequenceAndPort(ours), HexDiff.MaskSequenceAndPort(captured), $"{golden.Path}: {golden.Command}");

    private static byte[] SentMessageOfType(CaptureFile golden, ushort type) =>
        golden.Requests.First(d => NetlinkMessageHeader.Read(d).Type == type);

    [Fact]
    public void Writer_reproduces_nft_add_table_inet_t()
    {
        CaptureFile golden = CaptureFile.Load("netlink/add-table-inet.txt");
        byte[] ours = Batch(w =>
        {
            NfnetlinkWriter.BeginMessage(w, NfnlSubsystem.NfTables, NftMsgNewTable, NetlinkMessageFlags.None, 0, NetfilterFamily.Inet);
            w.WriteStringZ(NftaTableName, "t");
            w.WriteUInt32BigEndian(NftaTableFlags, 0);
            w.EndMessage();
        });

        ShouldMatchCapture(ours, golden.Requests.Last(), golden);
    }

    [Fact]
    public void Writer_reproduces_nft_add_chain_with_a_nested_hook()
    {
        CaptureFile golden = CaptureFile.Load("netlink/add-chain-hook.txt");
        byte[] ours = Batch(w =>
        {
            NfnetlinkWriter.BeginMessage(w, NfnlSubsystem.NfTables, NftMsgNewChain, NetlinkMessageFlags.Create, 0, NetfilterFamily.Inet);
            w.WriteStringZ(NftaChainTable, "t");
            w.WriteStringZ(NftaChainName, "c");
            w.WriteStringZ(NftaChainType, "filter");
            using (w.BeginNested(NftaChainHook))
            {
                w.WriteUInt32BigEndian(NftaHookHooknum, NfInetLocalIn);
                w.WriteInt32BigEndian(NftaHookPriority, 0);
            }
            w.EndMessage();
        });

        ShouldMatchCapture(ours, golden.Requests.Last(), golden);
    }

    [Fact]
    public void Writer_reproduces_nft_delete_table()
    {
        CaptureFile golden = CaptureFile.Load("netlink/delete-missing-table.txt");
        byte[] ours = Batch(w =>
        {
            NfnetlinkWriter.BeginMessage(w, NfnlSubsystem.NfTables, NftMsgDelTable, NetlinkMessageFlags.None, 0, NetfilterFamily.Inet);
            w.WriteStringZ(NftaTableName, "nosuch");
            w.EndMessage();
        });

        ShouldMatchCapture(ours, golden.Requests.Last(), golden);
    }

    [Fact]
    public void Writer_reproduces_nfts_GETGEN_request_and_GETTABLE_dump_request()
    {
        CaptureFile golden = CaptureFile.Load("netlink/list-tables.txt");
        using var writer = new NetlinkWriter(64);
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, NftMsgGetGen, NetlinkMessageFlags.None, 0, NetfilterFamily.Unspecified);
        writer.EndMessage();
        ShouldMatchCapture(writer.WrittenSpan.ToArray(), SentMessageOfType(golden, 0x0a10), golden);

        writer.Reset();
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, NftMsgGetTable, NetlinkMessageFlags.Dump, 0, NetfilterFamily.Unspecified);
        writer.EndMessage();
        ShouldMatchCapture(writer.WrittenSpan.ToArray(), SentMessageOfType(golden, 0x0a01), golden);
    }

    [Fact]
    public void Batch_framing_is_begin_and_end_with_res_id_00_0a_big_endian()
    {
        CaptureFile golden = CaptureFile.Load("netlink/add-table-inet.txt");
        byte[] sent = golden.Requests.Last();
        var reader = new NetlinkMessageReader(sent);
        var types = new List<ushort>();
        while (reader.TryRead(out NetlinkMessage message))
        {
            types.Add(message.Type);
            NfGenMsg nfgen = NfGenMsg.Read(message.Payload, "golden");
            if (message.Type is NfnlMessageType.BatchBegin or NfnlMessageType.BatchEnd)
            {
                message.Payload.Slice(0, 4).ToArray().Should().Equal(0x00, 0x00, 0x00, 0x0a);
                nfgen.Should().Be(new NfGenMsg(NetfilterFamily.Unspecified, NfGenMsg.Version0, (ushort)NfnlSubsystem.NfTables));
                message.Flags.Should().Be(NetlinkMessageFlags.Request);
            }
            else
            {
                nfgen.Family.Should().Be(NetfilterFamily.Inet);
                NfnlMessageType.SubsystemOf(message.Type).Should().Be(NfnlSubsystem.NfTables);
                NfnlMessageType.MessageOf(message.Type).Should().Be(NftMsgNewTable);
            }
        }
        types.Should().Equal(NfnlMessageType.BatchBegin, NfnlMessageType.Make(NfnlSubsystem.NfTables, NftMsgNewTable), NfnlMessageType.BatchEnd);
    }

    [Fact]
    public void Reader_decodes_the_nested_hook_of_nfts_NEWCHAIN_generically()
    {
        CaptureFile golden = CaptureFile.Load("netlink/add-chain-hook.txt");
        var reader = new NetlinkMessageReader(golden.Requests.Last());
        reader.TryRead(out _).Should().BeTrue();
        reader.TryRead(out NetlinkMessage chain).Should().BeTrue();
        NfnlMessageType.MessageOf(chain.Type).Should().Be(NftMsgNewChain);
        (chain.Flags & NetlinkMessageFlags.Create).Should().Be(NetlinkMessageFlags.Create);

        var attributes = new NetlinkAttributeReader(chain.Payload.Slice(NfGenMsg.Size), "NEWCHAIN");
        var strings = new Dictionary<ushort, string>();
        uint? hooknum = null;
        int? priority = null;
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            if (attribute.Type == NftaChainHook)
            {
                attribute.IsNested.Should().BeTrue("nft sets NLA_F_NESTED");
                attribute.RawType.Should().Be((ushort)(NftaChainHook | NetlinkWriter.NestedFlag));
                NetlinkAttributeReader hook = attribute.GetNested();
                while (hook.TryRead(out NetlinkAttribute inner))
                {
                    switch (inner.Type)
                    {
                        case NftaHookHooknum: hooknum = inner.GetUInt32BigEndian(); break;
                        case NftaHookPriority: priority = inner.GetInt32BigEndian(); break;
                    }
                }
            }
            else
            {
                attribute.IsNested.Should().BeFalse();
                strings[attribute.Type] = attribute.GetStringZ();
            }
        }

        strings.Should().Equal(new Dictionary<ushort, string> { [NftaChainTable] = "t", [NftaChainName] = "c", [NftaChainType] = "filter" });
        hooknum.Should().Be(NfInetLocalIn);
        priority.Should().Be(0);
    }

    [Fact]
    public void Reader_decodes_the_kernels_GETTABLE_dump_two_tables_in_one_datagram_then_DONE()
    {
        CaptureFile golden = CaptureFile.Load("netlink/list-tables.txt");
        // The reply that follows the GETTABLE dump request.
        int request = golden.Datagrams.ToList().FindIndex(d => d.Sent && NetlinkMessageHeader.Read(d.Bytes).Type == 0x0a01);
        byte[] tables = golden.Datagrams[request + 1].Bytes;
        byte[] done = golden.Datagrams[request + 2].Bytes;

        var reader = new NetlinkMessageReader(tables);
        var decoded = new List<(NetfilterFamily Family, string Name, uint Flags, uint Use, ulong Handle, NetlinkMessageFlags MessageFlags)>();
        ushort? resId = null;
        while (reader.TryRead(out NetlinkMessage message))
        {
            NfnlMessageType.MessageOf(message.Type).Should().Be(NftMsgNewTable);
            NfGenMsg nfgen = NfGenMsg.Read(message.Payload, "NEWTABLE");
            resId ??= nfgen.ResourceId;
            var attributes = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "NEWTABLE");
            string name = string.Empty;
            uint flags = 0, use = 0;
            ulong handle = 0;
            while (attributes.TryRead(out NetlinkAttribute a))
            {
                switch (a.Type)
                {
                    case NftaTableName: name = a.GetStringZ(); break;
                    case NftaTableFlags: flags = a.GetUInt32BigEndian(); break;
                    case NftaTableUse: use = a.GetUInt32BigEndian(); break;
                    case NftaTableHandle: handle = a.GetUInt64BigEndian(); break;
                }
            }
            decoded.Add((nfgen.Family, name, flags, use, handle, message.Flags));
        }

        decoded.Should().Equal(
            (NetfilterFamily.Inet, "t", 0u, 0u, 1ul, NetlinkMessageFlags.Multi),
            (NetfilterFamily.IPv4, "nat", 0u, 0u, 2ul, NetlinkMessageFlags.Multi));
        // Dump replies carry the generation's low 16 bits in res_id (nft check_genid): the
        // NEWGEN the kernel sent just before says the same.
        byte[] newGen = golden.Replies.First(d => NetlinkMessageHeader.Read(d).Type == 0x0a0f);
        var gen = new NetlinkAttributeReader(newGen.AsSpan(16 + NfGenMsg.Size), "NEWGEN");
        gen.TryRead(out NetlinkAttribute id).Should().BeTrue();
        id.Type.Should().Be(NftaGenId);
        resId.Should().Be((ushort)(id.GetUInt32BigEndian() & 0xffff));

        var end = new NetlinkMessageReader(done);
        end.TryRead(out NetlinkMessage doneMessage).Should().BeTrue();
        doneMessage.Type.Should().Be(NetlinkMessageType.Done);
        doneMessage.Flags.Should().Be(NetlinkMessageFlags.Multi);
        HostOrder.ReadInt32(doneMessage.Payload).Should().Be(0);
        end.TryRead(out _).Should().BeFalse();
    }

    [Fact]
    public void Reader_decodes_the_kernels_NEWGEN_answer()
    {
        CaptureFile golden = CaptureFile.Load("netlink/add-table-inet.txt");
        byte[] reply = golden.Replies.First();
        var reader = new NetlinkMessageReader(reply);
        reader.TryRead(out NetlinkMessage message).Should().BeTrue();
        message.Type.Should().Be(NfnlMessageType.Make(NfnlSubsystem.NfTables, NftMsgNewGen));
        NfGenMsg nfgen = NfGenMsg.Read(message.Payload, "NEWGEN");
        var attributes = new NetlinkAttributeReader(message.Payload.Slice(NfGenMsg.Size), "NEWGEN");
        var values = new Dictionary<ushort, object>();
        while (attributes.TryRead(out NetlinkAttribute a))
        {
            values[a.Type] = a.Type == NftaGenProcName ? a.GetStringZ() : a.GetUInt32BigEndian();
        }

        values.Keys.Should().Equal(NftaGenId, NftaGenProcPid, NftaGenProcName);
        values[NftaGenProcName].Should().Be("nft");
        nfgen.ResourceId.Should().Be((ushort)((uint)values[NftaGenId] & 0xffff));
        ((uint)values[NftaGenProcPid]).Should().Be(message.Header.PortId, "nft's port id is its pid");
    }

    [Fact]
    public async Task The_engine_streams_the_kernels_real_dump_reply()
    {
        CaptureFile golden = CaptureFile.Load("netlink/list-tables.txt");
        int request = golden.Datagrams.ToList().FindIndex(d => d.Sent && NetlinkMessageHeader.Read(d.Bytes).Type == 0x0a01);
        var kernel = new FakeKernel();
        using NetlinkConnection connection = TestRequest.Connect(kernel);
        uint seq = connection.NextSequence();
        kernel.OnRequest(seq,
            FakeStep.Raw(GoldenReply.Readdress(golden.Datagrams[request + 1].Bytes, seq)),
            FakeStep.Raw(GoldenReply.Readdress(golden.Datagrams[request + 2].Bytes, seq)));
        var names = new List<string>();

        await foreach (string name in connection.DumpAsync<string>(TestRequest.Dump(seq), seq, "dump NFT_MSG_GETTABLE", static (in NetlinkMessage m, out string n) =>
        {
            var a = new NetlinkAttributeReader(m.Payload.Slice(NfGenMsg.Size), "NEWTABLE");
            a.TryRead(out NetlinkAttribute first);
            n = first.GetStringZ();
            return true;
        }))
        {
            names.Add(name);
        }

        names.Should().Equal("t", "nat");
    }

    [Fact]
    public void Golden_files_say_how_they_were_made()
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "Captures", "netlink");
        string[] files = Directory.GetFiles(directory, "*.txt");
        files.Should().HaveCountGreaterThanOrEqualTo(7);
        foreach (string file in files)
        {
            CaptureFile golden = CaptureFile.Load(Path.Combine("netlink", Path.GetFileName(file)));
            golden.Command.Should().NotBeEmpty();
            golden.Datagrams.Should().NotBeEmpty(file);
            // The tool versions and the kernel, on netlink-capture.sh's "# versions:" line (the old "# tool:" and "# kernel:" lines).
            File.ReadLines(file).Should().Contain(l => l.StartsWith("# versions:", StringComparison.Ordinal) && l.Contains("nftables v", StringComparison.Ordinal));
            File.ReadLines(file).Should().Contain(l => l.StartsWith("# versions:", StringComparison.Ordinal) && l.Contains("; kernel ", StringComparison.Ordinal));
            // Every datagram parses as whole netlink messages.
            foreach (CaptureFile.Datagram datagram in golden.Datagrams)
            {
                var reader = new NetlinkMessageReader(datagram.Bytes);
                int count = 0;
                while (reader.TryRead(out _))
                {
                    count++;
                }
                count.Should().BeGreaterThan(0);
            }
        }
    }

    [Fact]
    public void NfGenMsg_refuses_a_payload_shorter_than_four_bytes()
    {
        Action act = () => NfGenMsg.Read(new byte[3], "NEWTABLE");
        act.Should().Throw<NetlinkProtocolException>().Which.Received.Should().Be("3 bytes");
        BinaryPrimitives.ReadUInt16BigEndian(new byte[] { 0x00, 0x0a }).Should().Be((ushort)NfnlSubsystem.NfTables);
    }
}
