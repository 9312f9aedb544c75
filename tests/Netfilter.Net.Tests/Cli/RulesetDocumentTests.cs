using System.Net;
using System.Text.Json;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Cli.Rulesets;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Objects;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.Cli;

/// <summary>
/// A ruleset saved by <c>nfnet ruleset save</c> and read back by <c>restore</c> makes the library
/// send the very same batch, byte for byte, as recreating the ruleset it was saved from: every
/// expression (typed or unknown), object, set, element and userdata survives the file.
/// </summary>
public sealed class RulesetDocumentTests
{
    private static Ruleset Sample()
    {
        const ProtocolFamily inet = ProtocolFamily.Inet;
        var tables = new List<Table>
        {
            new(inet, "nat") { UserData = UserData.Comment("a table"), Handle = 3, Use = 2 },
            new(ProtocolFamily.IPv4, "filter") { Flags = TableFlags.Dormant },
        };
        var chains = new List<Chain>
        {
            new(inet, "nat", "pre") { Hook = new ChainHook(ChainHooks.Prerouting, ChainPriorities.DestinationNat), Type = "nat", Policy = VerdictKind.Accept, Flags = 1, Handle = 1 },
            new(inet, "nat", "rules") { UserData = UserData.Comment("regular") },
            new(ProtocolFamily.IPv4, "filter", "in") { Hook = new ChainHook(ChainHooks.Input, 0), Type = "filter", Policy = VerdictKind.Drop },
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
        var verdicts = new Set(ProtocolFamily.IPv4, "filter", "ports") { Flags = SetFlags.Map, KeyType = SetDataTypes.InetService, KeyLength = 2, DataType = SetDataTypes.VerdictData };
        var elements = new Dictionary<(ProtocolFamily, string, string), IReadOnlyList<SetElement>>
        {
            [(inet, "nat", "fwd")] = new[]
            {
                new SetElement(NftData.Concat(NftData.FromByte(6), NftData.FromPort(2222))) { Data = NftData.Concat(NftData.FromIPAddress(IPAddress.Parse("10.0.2.2")), NftData.FromPort(22)), UserData = UserData.Comment("dnat tcp 2222 to 10.0.2.2:22") },
            },
            [(ProtocolFamily.IPv4, "filter", "ports")] = new[]
            {
                new SetElement(NftData.FromPort(22)) { Verdict = Verdict.Accept },
                new SetElement(NftData.FromPort(23)) { Verdict = Verdict.JumpTo("in"), Timeout = 5000, Expressions = new NftExpression[] { new CounterExpression(1, 2) } },
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
                new ImmediateExpression(Verdict.JumpTo("rules")),
            }).WithComment("nfnet layout") with { Handle = 12, Position = 11 },
            new Rule(ProtocolFamily.IPv4, "filter", "in", new NftExpression[]
            {
                MetaExpression.Load(MetaKey.L4Proto, Register.R1),
                new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(6)),
                new ImmediateExpression(Verdict.Accept),
            }),
        };
        var objects = new List<NftObject> { new CounterObject(ProtocolFamily.IPv4, "filter", "hits") { Packets = 5, Bytes = 300, UserData = UserData.Comment("counted") } };
        var flowtables = new List<Flowtable> { new(inet, "nat", "ft") { HookNumber = Flowtable.IngressHook, Priority = 0, Devices = new[] { "lo" }, Flags = FlowtableFlags.Counter } };
        return new Ruleset(42, tables, chains, new List<Set> { map, verdicts }, elements, rules, objects, flowtables);
    }

    /// <summary>The batch a commit of <paramref name="transaction"/> sends, with sequence numbers zeroed.</summary>
    private static byte[] SentBatch(NfTablesTransaction transaction)
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

    private static Ruleset ThroughAFile(Ruleset ruleset)
    {
        string json = JsonSerializer.Serialize(RulesetDocumentWriter.Write(ruleset), JsonOutput.Indented.RulesetDocument);
        RulesetDocument document = JsonSerializer.Deserialize(json, JsonOutput.Indented.RulesetDocument)!;
        return RulesetDocumentReader.Read(document, "test.json");
    }

    [Fact]
    public void A_restored_file_sends_the_same_batch_byte_for_byte()
    {
        Ruleset original = Sample();
        byte[] expected = SentBatch(NfTablesTransaction.Recreate(original));
        byte[] restored = SentBatch(NfTablesTransaction.Recreate(ThroughAFile(original)));
        HexDiff.ShouldEqual(restored, expected, "the batch restored from the file");
    }

    [Fact]
    public void Expressions_are_kept_raw_and_keep_their_debug_text_for_people()
    {
        RulesetDocument document = RulesetDocumentWriter.Write(Sample());
        ExpressionDocument[] expressions = document.Tables[0].Rules[0].Expressions.ToArray();
        expressions.Select(e => e.Name).Should().Equal("meta", "payload", "lookup", "counter", "futuristic", "immediate");
        expressions[0].Debug.Should().Be("[ meta load l4proto => reg 1 ]");
        expressions[4].Data.Should().Be("080001000000002a");
        Ruleset back = ThroughAFile(Sample());
        back.Rules[0].Expressions.Should().AllBeOfType<UnknownExpression>("restore sends the saved attributes unchanged");
        back.Rules[0].Comment.Should().Be("nfnet layout");
        back.Objects.Single().Should().BeOfType<UnknownObject>().Which.Type.Should().Be(NftObjectType.Counter);
        back.Flowtables.Single().Devices.Should().Equal("lo");
        back.ElementsOf(back.Sets[1])[1].Verdict.Should().Be(Verdict.JumpTo("in"));
    }

    [Fact]
    public void Kernel_assigned_values_are_informative_only()
    {
        RulesetDocument document = RulesetDocumentWriter.Write(Sample());
        document.Generation.Should().Be(42);
        document.Tables[0].Rules[0].Handle.Should().Be(12);
        document.Tables[0].Chains[0].Hook!.HookName.Should().Be("prerouting");
        document.Tables[0].Chains[0].Policy.Should().Be("accept");
        document.Tables[0].Comment.Should().Be("a table");
        document.Tables[1].Family.Should().Be("ip");
    }
}
