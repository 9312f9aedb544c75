using System.IO;
using System.Net;
using System.Text;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Objects;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables;

/// <summary>
/// A ruleset saved by <see cref="RulesetDocument"/> and read back makes the library send the very
/// same batch, byte for byte, as recreating the ruleset it was saved from: every expression (typed
/// or unknown), object, set, element and userdata survives the file, whichever way it is read
/// (into a <see cref="Ruleset"/>, or streamed straight into a transaction, a byte at a time).
/// </summary>
public sealed class RulesetDocumentTests
{
    internal static Ruleset Sample()
    {
        const NetfilterFamily inet = NetfilterFamily.Inet;
        var tables = new List<Table>
        {
            new(inet, "nat") { UserData = UserData.Comment("a table"), Handle = 3, Use = 2 },
            new(NetfilterFamily.IPv4, "filter") { Flags = TableFlags.Dormant },
        };
        var chains = new List<Chain>
        {
            new(inet, "nat", "pre") { Hook = new ChainHook(ChainHooks.Prerouting, ChainPriorities.DestinationNat), Type = "nat", Policy = VerdictKind.Accept, Flags = 1, Handle = 1 },
            new(inet, "nat", "rules") { UserData = UserData.Comment("regular") },
            new(NetfilterFamily.IPv4, "filter", "in") { Hook = new ChainHook(ChainHooks.Input, 0), Type = "filter", Policy = VerdictKind.Drop },
        };
        var map = new Set(inet, "nat", "fwd")
        {
            Flags = SetFlags.Map | SetFlags.Concat,
            KeyType = SetDataTypes.Concat(SetDataTypes.InetProtocol, SetDataTypes.InetService),
            KeyLength = 8,
            DataType = SetDataTypes.Concat(SetDataTypes.IPv4Address, SetDataTypes.InetService),
            DataLength = 8,
            ConcatFieldLengths = new uint[] { 1, 2 },
            UserData = new byte[] { 0, 4, 1, 0, 0, 0 },
            Handle = 9,
        };
        var verdicts = new Set(NetfilterFamily.IPv4, "filter", "ports") { Flags = SetFlags.Map | SetFlags.Timeout, KeyType = SetDataTypes.InetService, KeyLength = 2, DataType = SetDataTypes.VerdictData };
        var addresses = new Set(NetfilterFamily.IPv4, "filter", "addresses") { KeyType = SetDataTypes.IPv4Address, KeyLength = 4 };
        var elements = new Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>>
        {
            [(inet, "nat", "fwd")] = new[]
            {
                new SetElement(NftData.Concat(NftData.FromByte(6), NftData.FromPort(2222))) { Data = NftData.Concat(NftData.FromIPAddress(IPAddress.Parse("10.0.2.2")), NftData.FromPort(22)), UserData = UserData.Comment("dnat tcp 2222 to 10.0.2.2:22") },
            },
            [(NetfilterFamily.IPv4, "filter", "ports")] = new[]
            {
                new SetElement(NftData.FromPort(22)) { Verdict = Verdict.Accept },
                new SetElement(NftData.FromPort(23)) { Verdict = Verdict.JumpTo("in"), Timeout = 5000, Expiration = 2700, Expressions = new NftExpression[] { new CounterExpression(1, 2) } },
            },
            [(NetfilterFamily.IPv4, "filter", "addresses")] = new[]
            {
                new SetElement(NftData.FromIPAddress(IPAddress.Parse("192.0.2.1"))),
                // The catch-all element: flags 2 and no key at all (NFT_SET_ELEM_CATCHALL), as the kernel dumps it.
                new SetElement(NftData.FromBytes(ReadOnlySpan<byte>.Empty)) { Flags = SetElementFlags.CatchAll },
            },
        };
        var rules = new List<Rule>
        {
            new Rule(inet, "nat", "pre", new NftExpression[]
            {
                MetaExpression.Load(MetaKey.L4Proto, Register.R1),
                PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R32(1)),
                new LookupExpression("fwd", Register.R1, Register.R1),
                new CounterExpression(10, 600),
                new UnknownExpression("futuristic", new byte[] { 8, 0, 1, 0, 0, 0, 0, 42 }),
                new UnknownExpression("odd", new byte[] { 1, 2, 3 }),
                new NotrackExpression(),
                new ImmediateExpression(Verdict.JumpTo("rules")),
            }).WithComment("nfnet layout") with { Handle = 12, Position = 11 },
            new Rule(NetfilterFamily.IPv4, "filter", "in", new NftExpression[]
            {
                MetaExpression.Load(MetaKey.L4Proto, Register.R1),
                new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(6)),
                new LogExpression { Prefix = "it's \"quoted\" \\ and spaced: " },
                new ImmediateExpression(Verdict.Accept),
            }),
        };
        var objects = new List<NftObject> { new CounterObject(NetfilterFamily.IPv4, "filter", "hits") { Packets = 5, Bytes = 300, UserData = UserData.Comment("counted") } };
        var flowtables = new List<Flowtable> { new(inet, "nat", "ft") { HookNumber = Flowtable.IngressHook, Priority = 0, Devices = new[] { "lo" }, Flags = FlowtableFlags.Counter } };
        return new Ruleset(42, tables, chains, new List<Set> { map, verdicts, addresses }, elements, rules, objects, flowtables);
    }

    /// <summary>The batch a commit of <paramref name="transaction"/> sends, with sequence numbers zeroed.</summary>
    internal static byte[] SentBatch(NfTablesTransaction transaction)
    {
        var kernel = new FakeKernel().AcknowledgeUnscripted();
        using (var client = new NfTablesClient(kernel))
        {
            client.CommitAsync(transaction).GetAwaiter().GetResult();
        }
        byte[] datagram = kernel.Requests.Single().Datagram.ToArray();
        var reader = new NetlinkMessageReader(datagram);
        int offset = 0;
        while (reader.TryRead(out NetlinkMessage message))
        {
            Array.Clear(datagram, offset + 8, 4); // nlmsg_seq
            offset += NetlinkAlignment.Align(message.Bytes.Length);
        }
        return datagram;
    }

    internal static byte[] Saved(Ruleset ruleset, bool annotate = false)
    {
        using var file = new MemoryStream();
        RulesetDocument.Write(ruleset, file, new RulesetDocumentWriteOptions { Annotate = annotate });
        return file.ToArray();
    }

    private static Ruleset ThroughAFile(Ruleset ruleset, bool annotate = false) =>
        RulesetDocument.ReadAsync(new MemoryStream(Saved(ruleset, annotate))).GetAwaiter().GetResult();

    [Fact]
    public void A_restored_file_sends_the_same_batch_byte_for_byte()
    {
        Ruleset original = Sample();
        byte[] expected = SentBatch(NfTablesTransaction.Recreate(original));
        HexDiff.ShouldEqual(SentBatch(NfTablesTransaction.Recreate(ThroughAFile(original))), expected, "the batch restored from the file");
        HexDiff.ShouldEqual(SentBatch(NfTablesTransaction.Recreate(ThroughAFile(original, annotate: true))), expected, "the batch restored from an annotated file");
    }

    [Fact]
    public async Task A_file_streamed_into_a_transaction_a_byte_at_a_time_sends_the_same_batch()
    {
        Ruleset original = Sample();
        var transaction = new NfTablesTransaction();
        var recreator = new RulesetRecreator(transaction);
        RulesetSummary read = await RulesetDocument.ReadAsync(new TrickleStream(Saved(original)), recreator);
        read.Should().Be(new RulesetSummary(42, Tables: 2, Chains: 3, Objects: 1, Flowtables: 1, Sets: 3, Elements: 5, Rules: 2));
        HexDiff.ShouldEqual(SentBatch(transaction), SentBatch(NfTablesTransaction.Recreate(original)), "the batch streamed from the file");
    }

    [Fact]
    public void Expressions_are_kept_raw_and_their_debug_text_is_only_for_people_who_ask()
    {
        string plain = Encoding.UTF8.GetString(Saved(Sample()));
        plain.Should().Contain("\"expressions\":[\"meta 2:16 1:1\",\"payload 1:9 2:2 3:2 4:2\",\"lookup 2:1 3:1 1:'fwd'\",\"counter 1:600L 2:10L\",\"futuristic 1:42\",\"odd =01020300\",\"notrack\",\"immediate 1:0 2{2{1:4294967293 2:'rules'}}\"]")
            .And.NotContain("debug").And.NotContain("comment").And.NotContain("handle").And.NotContain("hookName");
        string annotated = Encoding.UTF8.GetString(Saved(Sample(), annotate: true));
        annotated.Should().Contain("\"debug\":[\"[ meta load l4proto => reg 1 ]\",")
            .And.Contain("\"comment\":\"nfnet layout\"").And.Contain("\"handle\":12").And.Contain("\"hookName\":\"prerouting\"");
        Ruleset back = ThroughAFile(Sample());
        back.Rules[0].Expressions.Should().AllBeOfType<UnknownExpression>("restore sends the saved attributes unchanged");
        back.Rules[0].Comment.Should().Be("nfnet layout");
        back.Rules[1].Expressions[2].Should().BeOfType<UnknownExpression>().Which.Data.ToArray().Should().Equal(Encoded(Sample().Rules[1].Expressions[2]));
        back.Objects.Single().Should().BeOfType<UnknownObject>().Which.Type.Should().Be(NftObjectType.Counter);
        back.Flowtables.Single().Devices.Should().Equal("lo");
        back.ElementsOf(back.Sets[1])[1].Verdict.Should().Be(Verdict.JumpTo("in"));
        back.Generation.Should().Be(42);
    }

    [Fact]
    public void The_saved_document_holds_one_line_per_part()
    {
        string[] lines = Encoding.UTF8.GetString(Saved(Sample())).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("{\"format\":\"nfnet-ruleset\",\"version\":2,\"generation\":42,\"tables\":[");
        lines.Should().Contain("{\"name\":\"pre\",\"hook\":{\"number\":0,\"priority\":-100},\"type\":\"nat\",\"policy\":\"accept\",\"flags\":1},");
        lines.Should().Contain("{\"key\":\"c0000201\"},");
        lines.Should().Contain("{\"flags\":2}]}],\"rules\":[", "the catch-all element is saved without a key");
        lines[^1].Should().Be("]}");
    }

    /// <summary>Issue 11's goal: at most 400 bytes per DNAT rule of the kind nft writes (<c>ip daddr A tcp dport P dnat to B:Q</c>).</summary>
    [Fact]
    public void A_saved_dnat_rule_takes_fewer_than_400_bytes()
    {
        const int count = 1000;
        var rules = new List<Rule>();
        for (int i = 0; i < count; i++)
        {
            rules.Add(new Rule(NetfilterFamily.IPv4, "nat", "prerouting", new NftExpression[]
            {
                PayloadExpression.Load(PayloadBase.Network, 16, 4, Register.R1),
                new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromIPAddress(IPAddress.Parse("203.0.113.1"))),
                MetaExpression.Load(MetaKey.L4Proto, Register.R1),
                new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(6)),
                PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
                new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort((ushort)(10000 + i))),
                new ImmediateExpression(Register.R1, NftData.FromIPAddress(new IPAddress(new byte[] { 10, 0, (byte)(i >> 8), (byte)i }))),
                new ImmediateExpression(Register.R2, NftData.FromPort(80)),
                new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = Register.R1, ProtoMin = Register.R2, Flags = NatRangeFlags.ProtoSpecified },
            }) with
            { Handle = (ulong)i + 4 });
        }
        var ruleset = new Ruleset(1, new[] { new Table(NetfilterFamily.IPv4, "nat") }, new[] { new Chain(NetfilterFamily.IPv4, "nat", "prerouting") { Hook = new ChainHook(ChainHooks.Prerouting, -100), Type = "nat", Policy = VerdictKind.Accept } },
            Array.Empty<Set>(), new Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>>(), rules);
        int bytes = Saved(ruleset).Length;
        (bytes / count).Should().BeLessThan(400, Encoding.UTF8.GetString(Saved(ruleset)).Split('\n')[4]);
    }

    [Fact]
    public async Task A_version_1_document_still_restores()
    {
        // As 'nfnet ruleset save' wrote it before version 2: indented, hex expression data, every field for people.
        const string version1 = """
            {
              "format": "nfnet-ruleset",
              "version": 1,
              "generation": 7,
              "tables": [
                {
                  "family": "ip",
                  "name": "filter",
                  "flags": 0,
                  "chains": [ { "name": "in", "hook": { "number": 1, "hookName": "input", "priority": 0 }, "type": "filter", "policy": "drop", "flags": 1 } ],
                  "objects": [ { "name": "hits", "type": 1, "data": "0c000100000000000000012c0c0002000000000000000005", "debug": "table filter name hits use 0 [ counter pkts 5 bytes 300 ]" } ],
                  "flowtables": [],
                  "sets": [ { "name": "s", "flags": 0, "keyType": 7, "keyLength": 4, "elements": [ { "key": "c0000201" }, { "key": "", "flags": 2 } ] } ],
                  "rules": [ { "chain": "in", "handle": 2, "expressions": [
                    { "name": "meta", "data": "08000200000000100800010000000001", "debug": "[ meta load l4proto => reg 1 ]" },
                    { "name": "notrack", "data": "", "debug": "[ notrack ]" } ] } ]
                }
              ]
            }
            """;
        Ruleset back = await RulesetDocument.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(version1)));
        back.Generation.Should().Be(7);
        back.Rules.Single().Expressions.Select(e => ((UnknownExpression)e).Data.Length).Should().Equal(16, 0);
        Encoded(back.Objects.Single()).Should().Equal(Encoded(new CounterObject(NetfilterFamily.IPv4, "filter", "hits") { Packets = 5, Bytes = 300 }));
        back.ElementsOf(back.Sets.Single()).Select(e => e.Flags).Should().Equal(null, SetElementFlags.CatchAll);
        // Saved again, it is a version 2 document that restores to the same batch.
        HexDiff.ShouldEqual(SentBatch(NfTablesTransaction.Recreate(ThroughAFile(back))), SentBatch(NfTablesTransaction.Recreate(back)), "version 1 read, saved as version 2");
    }

    [Fact]
    public void A_catch_all_element_is_saved_without_a_key_and_comes_back_as_the_catch_all()
    {
        Ruleset back = ThroughAFile(Sample());
        SetElement catchAll = back.ElementsOf(back.Sets[2])[1];
        catchAll.Flags.Should().Be(SetElementFlags.CatchAll);
        catchAll.Key.Length.Should().Be(0);
        SetElement sent = SentElements(NfTablesTransaction.Recreate(back)).Single(e => e.Flags == SetElementFlags.CatchAll);
        sent.Key.Length.Should().Be(0, "a catch-all element goes to the kernel without NFTA_SET_ELEM_KEY");
    }

    [Fact]
    public void An_element_keeps_the_time_it_had_left_where_the_kernel_takes_it()
    {
        var timed = new Set(NetfilterFamily.IPv4, "t", "timed") { Flags = SetFlags.Timeout, KeyType = SetDataTypes.IPv4Address, KeyLength = 4, Timeout = 60_000 };
        var untimed = new Set(NetfilterFamily.IPv4, "t", "untimed") { KeyType = SetDataTypes.IPv4Address, KeyLength = 4 };
        var noTimeout = new Set(NetfilterFamily.IPv4, "t", "flag-only") { Flags = SetFlags.Timeout, KeyType = SetDataTypes.IPv4Address, KeyLength = 4 };
        NftData key = NftData.FromIPAddress(IPAddress.Parse("192.0.2.1"));
        var ruleset = new Ruleset(1, new[] { new Table(NetfilterFamily.IPv4, "t") }, Array.Empty<Chain>(), new[] { timed, untimed, noTimeout },
            new Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>>
            {
                // Saved with 27 s left of the set's 60 s, and one read just as it expired.
                [(NetfilterFamily.IPv4, "t", "timed")] = new[] { new SetElement(key) { Expiration = 27_000 }, new SetElement(NftData.FromIPAddress(IPAddress.Parse("192.0.2.2"))) { Timeout = 30_000, Expiration = 0 } },
                // No timeout flag: the kernel refuses an expiration (EINVAL).
                [(NetfilterFamily.IPv4, "t", "untimed")] = new[] { new SetElement(key) { Expiration = 5 } },
                // The flag but no timeout at all: the kernel refuses it too (EOPNOTSUPP).
                [(NetfilterFamily.IPv4, "t", "flag-only")] = new[] { new SetElement(key) { Expiration = 5 } },
            },
            Array.Empty<Rule>());
        List<SetElement> sent = SentElements(NfTablesTransaction.Recreate(ThroughAFile(ruleset)));
        sent.Select(e => e.Expiration).Should().Equal(new ulong?[] { 27_000, 1, null, null });
        ThroughAFile(ruleset).ElementsOf(timed)[0].Expiration.Should().Be(27_000, "the file keeps the time left");
    }

    [Fact]
    public void A_set_size_that_a_dynset_implied_is_left_out_also_for_concatenations_and_raw_dynsets()
    {
        // ip6/sets.t: "add @set5 { ip6 saddr . ip6 daddr }" bound set5 and gave it size 65535.
        var set5 = new Set(NetfilterFamily.IPv6, "t", "set5") { KeyType = SetDataTypes.Concat(SetDataTypes.IPv6Address, SetDataTypes.IPv6Address), KeyLength = 32, Size = 65535 };
        var sized = new Set(NetfilterFamily.IPv6, "t", "sized") { KeyType = SetDataTypes.IPv6Address, KeyLength = 16, Size = 65535 };
        var rule = new Rule(NetfilterFamily.IPv6, "t", "input", new NftExpression[]
        {
            PayloadExpression.Load(PayloadBase.Network, 8, 16, Register.R1),
            PayloadExpression.Load(PayloadBase.Network, 24, 16, Register.R2),
            new DynsetExpression(DynsetOperation.Add, "set5", Register.R1),
        });
        var ruleset = new Ruleset(1, new[] { new Table(NetfilterFamily.IPv6, "t") }, new[] { new Chain(NetfilterFamily.IPv6, "t", "input") },
            new[] { set5, sized }, new Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>>(), new[] { rule });
        foreach (Ruleset source in new[] { ruleset, ThroughAFile(ruleset) })
        {
            Dictionary<string, uint?> sizes = SentSets(NfTablesTransaction.Recreate(source)).ToDictionary(s => s.Name, s => s.Size);
            sizes["set5"].Should().BeNull("the dynset binds the set again and sets the size itself");
            sizes["sized"].Should().Be(65535, "a size no dynset implied is the user's");
        }
    }

    [Theory]
    [InlineData("{\"format\":\"nfnet-ruleset\",\"version\":2,\"tables\":[{\"family\":\"ip\",\"name\":\"NAME300\"}]}", "tables[0].name is refused: the table name 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (300 characters) is 300 bytes; nftables names are at most 255 (NFT_NAME_MAXLEN) (line 1)")]
    [InlineData("{\"format\":\"nfnet-ruleset\",\"version\":2,\"tables\":[{\"family\":\"ip\",\"name\":\"a\\u0000b\"}]}", "tables[0].name is refused: the table name 'a\\0b' contains a NUL character (line 1)")]
    [InlineData("{\"format\":\"nfnet-ruleset\",\"version\":2,\"tables\":[{\"family\":\"ip\",\"name\":\"t\",\"userdata\":\"USERDATA\"}]}", "tables[0].userdata holds 300 bytes; the kernel takes at most 256 bytes of userdata (NFT_USERDATA_MAXLEN) (line 1)")]
    [InlineData("{\"format\":\"nfnet-ruleset\",\"version\":2,\"tables\":[{\"family\":\"ip\",\"name\":\"t\",\"sets\":[\n{\"name\":\"s\",\"elements\":[\n{\"key\":\"01\"},\n{\"key\":\"\"}]}]}]}", "tables[0].sets[0].elements[1].key holds 0 bytes; a key is 1 to 64, and only a catch-all element (flags 2) has none (line 4)")]
    [InlineData("{\"format\":\"nfnet-ruleset\",\"version\":2,\"tables\":[{\"family\":\"ip\",\"name\":\"t\",\"rules\":[{\"chain\":\"c\",\"expressions\":[\"meta 2:16 1:\"]}]}]}", "tables[0].rules[0].expressions[0] 'meta 2:16 1:' is not attributes: at character 13: a value is a number from 0 to 4294967295, a number with 'L', a 'quoted' name or x and hex digits (line 1)")]
    [InlineData("{\"format\":\"nfnet-ruleset\",\"version\":3}", "version is 3; this version of Netfilter.Net reads versions 1 and 2 (line 1)")]
    [InlineData("{\"tables\":[]}", "format is missing: this is not a ruleset document of Netfilter.Net, whose first field is \"format\": \"nfnet-ruleset\" (line 1)")]
    [InlineData("{\"format\":\"nfnet-ruleset\",\"version\":2,\"tables\":[{\"family\":\"ip\",\"name\":\"t\",\"rules\":[],\"sets\":[]}]}", "tables[0].sets comes after a list that must follow it: a table lists its chains, objects, flowtables, sets and rules in that order (line 1)")]
    [InlineData("{\"format\":\"nfnet-ruleset\",\"version\":2,\"tables\":[{\"family\":\"ip\",\"name\":\"t\"},{\"family\":\"ip\",\"name\":\"t\"}]}", "tables[1] is table ip t a second time (line 1)")]
    [InlineData("{\"format\":\"nfnet-ruleset\",\"version\":2,\"tables\":[]} {}", "is not valid JSON: '{' is invalid after a single JSON value. Expected end of data. (line 1)")]
    [InlineData("\0\0\0\0", "is not valid JSON: '0x00' is an invalid start of a value. (line 1)")]
    [InlineData("", "is empty: a saved ruleset is a JSON object (line 1)")]
    [InlineData("{\"format\":\"nfnet-ruleset\",\"version\":2,\"tables\":[{\"family\":\"ip\",\"name\":\"t\",", "tables[0] is cut short: the input ends inside it (line 1)")]
    public async Task A_document_with_a_value_the_kernel_would_refuse_is_refused_with_where_it_is(string document, string message)
    {
        document = document.Replace("NAME300", new string('x', 300), StringComparison.Ordinal).Replace("USERDATA", new string('a', 600), StringComparison.Ordinal);
        Func<Task> read = () => RulesetDocument.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(document)));
        (await read.Should().ThrowAsync<RulesetDocumentException>()).Which.Message.Should().Be(message);
    }

    [Fact]
    public async Task An_endless_input_stops_at_the_limit_and_a_huge_value_at_a_megabyte()
    {
        Func<Task> endless = () => RulesetDocument.ReadAsync(new EndlessStream((byte)' '), new RulesetDocumentReadOptions { MaxBytes = 1 << 20 });
        (await endless.Should().ThrowAsync<RulesetDocumentException>())
            .Which.Message.Should().StartWith("is larger than 1048576 bytes, the limit (RulesetDocumentReadOptions.MaxBytes)");
        byte[] huge = Encoding.UTF8.GetBytes("{\"format\":\"nfnet-ruleset\",\"version\":2,\"tables\":[{\"family\":\"ip\",\"name\":\"t\",\"userdata\":\"" + new string('a', 50 << 20) + "\"}]}");
        Func<Task> big = () => RulesetDocument.ReadAsync(new MemoryStream(huge));
        (await big.Should().ThrowAsync<RulesetDocumentException>())
            .Which.Message.Should().Be("tables[0].userdata holds a value longer than 1048576 bytes, more than any part of a ruleset takes (line 1)");
    }

    private static byte[] Encoded(NftExpression expression)
    {
        using var writer = new NetlinkWriter(256);
        expression.EncodeData(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Encoded(NftObject obj)
    {
        using var writer = new NetlinkWriter(256);
        obj.EncodeData(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Copies of the batch's messages of nftables message <paramref name="type"/>.</summary>
    private static List<byte[]> Messages(byte[] batch, byte type)
    {
        var copies = new List<byte[]>();
        var reader = new NetlinkMessageReader(batch);
        while (reader.TryRead(out NetlinkMessage message))
        {
            if (NfnlMessageType.MessageOf(message.Type) == type && (message.Type >> 8) == 0x0a)
            {
                copies.Add(message.Bytes.ToArray());
            }
        }
        return copies;
    }

    private static List<SetElement> SentElements(NfTablesTransaction transaction)
    {
        List<byte[]> copies = Messages(SentBatch(transaction), NfTablesMessageType.NewSetElement);
        var elements = new List<SetElement>();
        foreach (byte[] copy in copies)
        {
            var reader = new NetlinkMessageReader(copy);
            reader.TryRead(out NetlinkMessage message).Should().BeTrue();
            elements.AddRange(SetElementCodec.Decode(message).Elements);
        }
        return elements;
    }

    private static List<Set> SentSets(NfTablesTransaction transaction)
    {
        List<byte[]> copies = Messages(SentBatch(transaction), NfTablesMessageType.NewSet);
        var sets = new List<Set>();
        foreach (byte[] copy in copies)
        {
            var reader = new NetlinkMessageReader(copy);
            reader.TryRead(out NetlinkMessage message).Should().BeTrue();
            sets.Add(SetCodec.Decode(message));
        }
        return sets;
    }

    /// <summary>Hands out one byte per read: the reader must resume every token across reads.</summary>
    private sealed class TrickleStream : MemoryStream
    {
        public TrickleStream(byte[] bytes)
            : base(bytes)
        {
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer.Slice(0, Math.Min(1, buffer.Length)), cancellationToken);

        public override int Read(Span<byte> buffer) => base.Read(buffer.Slice(0, Math.Min(1, buffer.Length)));
    }

    /// <summary>Like /dev/zero: never ends.</summary>
    private sealed class EndlessStream : Stream
    {
        private readonly byte _fill;

        public EndlessStream(byte fill) => _fill = fill;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill(_fill);
            return count;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
