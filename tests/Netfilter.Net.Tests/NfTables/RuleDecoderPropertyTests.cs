using System.Buffers.Binary;
using System.Text;
using CsCheck;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.Tests.Support;
using static Netfilter.Net.Tests.Fakes.NftMessageBuilder;

namespace Netfilter.Net.Tests.NfTables;

/// <summary>
/// The rule decoder is total (DESIGN.md "Decoding is total"): whatever bytes arrive as an
/// NFT_MSG_NEWRULE, <see cref="RuleCodec.Decode"/>, the debug rendering and re-encoding either
/// succeed or raise <see cref="NetlinkProtocolException"/>. Nothing else may escape (no
/// ArgumentException from a model's constructor, no IndexOutOfRange, no overflow), and no input
/// may hang. Inputs: the kernel's dump of a rich ruleset (Captures/nftables/rich-ruleset.txt, every expression
/// this kernel has), mutated; and rule messages built attribute by attribute with random
/// types, lengths and nesting, so the expression decoders see malformed data of every shape.
/// The other messages of the same dump (tables, chains, sets, elements) get the mutations too.
/// </summary>
public sealed class RuleDecoderPropertyTests
{
    private static readonly TimeSpan s_hangLimit = TimeSpan.FromSeconds(10);
    private static readonly byte[][] s_dump = LoadDump();
    private static readonly byte[][] s_seeds = s_dump.Where(m => TypeOf(m) == NewRuleType).ToArray();
    private static readonly byte[][] s_otherSeeds = s_dump.Where(m => TypeOf(m) != NewRuleType).ToArray();

    // Every expression name the kernel has (nf_tables_*.c, nft_*.c), plus nonsense.
    private static readonly string[] s_expressionNames =
    {
        "bitwise", "byteorder", "cmp", "connlimit", "counter", "ct", "dup", "dynset", "exthdr", "fib", "flow_offload",
        "fwd", "hash", "immediate", "inner", "last", "limit", "log", "lookup", "masq", "match", "meta", "nat", "notrack",
        "numgen", "objref", "osf", "payload", "queue", "quota", "range", "redir", "reject", "rt", "socket", "synproxy",
        "target", "tproxy", "tunnel", "xfrm", "", "unknown-expression",
    };

    [Fact]
    public void The_captured_kernel_dump_decodes_and_renders()
    {
        s_seeds.Should().HaveCount(55, "rich-ruleset.nft has 55 rules");
        foreach (byte[] seed in s_seeds)
        {
            Rule rule = DecodeOne(seed);
            rule.Table.Should().BeOneOf("rich", "dupt", "nd");
            rule.Expressions.Should().NotBeEmpty();
            NftDebugFormatter.Render(rule).Should().StartWith(FamilyWord(rule) + " " + rule.Table + " " + rule.Chain + " ");
        }
    }

    [Fact]
    public void Mutated_kernel_messages_decode_or_raise_only_NetlinkProtocolException()
    {
        Gen<(int Kind, int Where, int Value)> mutation = Gen.Select(Gen.Int[0, 6], Gen.Int[0, int.MaxValue], Gen.Int);
        Gen<byte[]> mutated = Gen.Select(Gen.Int[0, s_seeds.Length - 1], mutation.Array[1, 8], Gen.Int[0, 9],
            (seed, mutations, fixLength) => Mutate(s_seeds[seed], mutations, fixLength != 0));
        mutated.Sample(DecodeRenderAndReencode, iter: 10_000, print: Hex);
    }

    /// <summary>
    /// The same promise for the other messages of a ruleset dump: NEWGEN, NEWTABLE, NEWCHAIN,
    /// NEWSET (with its expressions), NEWSETELEM (keys, data, verdicts, element expressions),
    /// NEWOBJ, and NEWFLOWTABLE where a mutation turns a message into one.
    /// </summary>
    [Fact]
    public void Mutated_table_chain_set_and_element_messages_decode_or_raise_only_NetlinkProtocolException()
    {
        s_otherSeeds.Select(TypeOf).Distinct().Should().Contain(new ushort[] { 0x0a00, 0x0a03, 0x0a09, 0x0a0c, 0x0a0f });
        Gen<(int Kind, int Where, int Value)> mutation = Gen.Select(Gen.Int[0, 6], Gen.Int[0, int.MaxValue], Gen.Int);
        Gen<byte[]> mutated = Gen.Select(Gen.Int[0, s_otherSeeds.Length - 1], mutation.Array[1, 8], Gen.Int[0, 9],
            (seed, mutations, fixLength) => Mutate(s_otherSeeds[seed], mutations, fixLength != 0));
        foreach (byte[] seed in s_otherSeeds)
        {
            DecodeAnyMessage(seed, mustSucceed: true);
        }
        mutated.Sample(m => WithinHangLimit(() => DecodeAnyMessage(m, mustSucceed: false)), iter: 10_000, print: Hex);
    }

    [Fact]
    public void Built_rule_messages_of_random_shape_decode_or_raise_only_NetlinkProtocolException()
    {
        RuleMessages().Sample(DecodeRenderAndReencode, iter: 10_000, print: Hex);
    }

    [Fact]
    public void Random_bytes_after_a_rule_header_decode_or_raise_only_NetlinkProtocolException()
    {
        Gen.Byte.Array[0, 256].Select(body => RuleMessage(2, body)).Sample(DecodeRenderAndReencode, iter: 10_000, print: Hex);
    }

    /// <summary>The property: decode, render, re-encode; only NetlinkProtocolException may come out, within the hang limit.</summary>
    private static void DecodeRenderAndReencode(byte[] message) => WithinHangLimit(() =>
    {
        try
        {
            var reader = new NetlinkMessageReader(message);
            while (reader.TryRead(out NetlinkMessage m))
            {
                Rule rule = RuleCodec.Decode(m);
                _ = NftDebugFormatter.Render(rule);
                using var writer = new NetlinkWriter(256);
                writer.BeginMessage(NewRuleType, NetlinkMessageFlags.None, 1);
                RuleCodec.Write(writer, rule);
                writer.EndMessage();
            }
        }
        catch (NetlinkProtocolException)
        {
            // The one allowed outcome for malformed data.
        }
    });

    /// <summary>Decodes one message with the codec its type names, renders what can be rendered and re-encodes it.</summary>
    private static void DecodeAnyMessage(byte[] message, bool mustSucceed)
    {
        try
        {
            var reader = new NetlinkMessageReader(message);
            while (reader.TryRead(out NetlinkMessage m))
            {
                using var writer = new NetlinkWriter(256);
                writer.BeginMessage(m.Type, NetlinkMessageFlags.None, 1);
                switch (m.Type & 0xff)
                {
                    case 0: TableCodec.Write(writer, TableCodec.Decode(m), withFlags: true); break;
                    case 3: ChainCodec.Write(writer, ChainCodec.Decode(m)); break;
                    case 9: SetCodec.Write(writer, SetCodec.Decode(m)); break;
                    case 12:
                        (_, string table, string set, List<SetElement> elements) = SetElementCodec.Decode(m);
                        var sb = new StringBuilder();
                        SetElementCodec.WriteHeader(writer, table, set, null);
                        foreach (SetElement element in elements)
                        {
                            NftDebugFormatter.AppendElement(sb, element);
                            SetElementCodec.WriteElement(writer, element);
                        }
                        break;
                    case 15: _ = TableCodec.DecodeGeneration(m); break;
                    case 18: ObjectCodec.Write(writer, ObjectCodec.Decode(m)); break;
                    case 22: FlowtableCodec.Write(writer, FlowtableCodec.Decode(m)); break;
                }
                writer.EndMessage();
            }
        }
        catch (NetlinkProtocolException) when (!mustSucceed)
        {
            // The one allowed outcome for malformed data.
        }
    }

    private static void WithinHangLimit(Action action)
    {
        var work = Task.Run(action);
        if (Task.WhenAny(work, Task.Delay(s_hangLimit)).GetAwaiter().GetResult() != work)
        {
            throw new TimeoutException($"decoding did not finish within {s_hangLimit.TotalSeconds} s");
        }
        work.GetAwaiter().GetResult(); // rethrows what escaped, unwrapped
    }

    private static Rule DecodeOne(byte[] message)
    {
        var reader = new NetlinkMessageReader(message);
        reader.TryRead(out NetlinkMessage m).Should().BeTrue();
        return RuleCodec.Decode(m);
    }

    private static string FamilyWord(Rule rule) => rule.Family switch
    {
        NetfilterFamily.Inet => "inet",
        NetfilterFamily.IPv4 => "ip",
        NetfilterFamily.Netdev => "netdev",
        _ => rule.Family.ToString(),
    };

    /// <summary>Applies byte-level mutations: flip a bit, set a byte, overwrite a 16-bit word (lengths, types), insert, delete, truncate, duplicate.</summary>
    private static byte[] Mutate(byte[] seed, (int Kind, int Where, int Value)[] mutations, bool fixLength)
    {
        var bytes = new List<byte>(seed);
        foreach ((int kind, int where, int value) in mutations)
        {
            if (bytes.Count == 0)
            {
                break;
            }
            int at = where % bytes.Count;
            switch (kind)
            {
                case 0: bytes[at] ^= (byte)(1 << (value & 7)); break;
                case 1: bytes[at] = (byte)value; break;
                case 2:
                    if (at + 1 < bytes.Count)
                    {
                        // Small values hit the interesting lengths (0..8, just over, just under).
                        ushort word = (ushort)((value & 1) == 0 ? (value >> 1) % 40 : value >> 16);
                        bytes[at] = (byte)word;
                        bytes[at + 1] = (byte)(word >> 8);
                    }
                    break;
                case 3: bytes.InsertRange(at, BitConverter.GetBytes(value).Take(1 + (value & 3))); break;
                case 4: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + (value & 15))); break;
                case 5: bytes.RemoveRange(at, bytes.Count - at); break;
                default: bytes.InsertRange(at, bytes.Skip(at).Take(4 + (value & 31)).ToList()); break;
            }
        }
        byte[] result = bytes.ToArray();
        if (fixLength && result.Length >= 16)
        {
            // Keep nlmsg_len honest most of the time, so the mutation reaches the rule decoder.
            BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)result.Length);
        }
        return result;
    }

    // ---- rule messages built attribute by attribute ----

    private static Gen<byte[]> RuleMessages()
    {
        Gen<byte[]> name = Gen.OneOfConst("t", "", "rich", "a\0b", new string('x', 300)).Select(s => Encoding.UTF8.GetBytes(s + "\0"));
        Gen<byte[]> anyString = Gen.Frequency((3, name), (1, Gen.Byte.Array[0, 12]));
        Gen<byte[]> u64 = Gen.Frequency((4, Gen.Byte.Array[8]), (1, Gen.Byte.Array[0, 12]));
        Gen<byte[]> u32 = Gen.Frequency((4, Gen.Byte.Array[4]), (1, Gen.Byte.Array[0, 9]));
        Gen<byte[]> element = Gen.Select(Gen.OneOfConst(s_expressionNames), Nested(3), Gen.Int[0, 9], (expr, data, shape) =>
            Concat(
                shape == 0 ? Array.Empty<byte>() : Attribute(1, Encoding.ASCII.GetBytes(expr + "\0")), // NFTA_EXPR_NAME
                shape == 1 ? Array.Empty<byte>() : Attribute(2 | 0x8000, data)));                     // NFTA_EXPR_DATA
        Gen<byte[]> expressions = element.Select(e => Attribute(1 | 0x8000, e)).Array[0, 6].Select(Concat); // NFTA_LIST_ELEM each
        Gen<byte[][]> attributes = Gen.Select(
            Gen.Select(anyString, anyString, u64, expressions, (table, chain, handle, list) => new[]
            {
                Attribute(1, table),          // NFTA_RULE_TABLE
                Attribute(2, chain),          // NFTA_RULE_CHAIN
                Attribute(3, handle),         // NFTA_RULE_HANDLE
                Attribute(4 | 0x8000, list),  // NFTA_RULE_EXPRESSIONS
            }),
            Gen.Select(u64, Gen.Byte.Array[0, 40], u32, Gen.Int[0, 31], (position, userData, id, present) => new[]
            {
                (present & 1) != 0 ? Attribute(6, position) : Array.Empty<byte>(),  // NFTA_RULE_POSITION
                (present & 2) != 0 ? Attribute(7, userData) : Array.Empty<byte>(),  // NFTA_RULE_USERDATA
                (present & 4) != 0 ? Attribute(8, id) : Array.Empty<byte>(),        // NFTA_RULE_ID
                (present & 8) != 0 ? Attribute(99, id) : Array.Empty<byte>(),       // unknown attribute
            }),
            (required, optional) => required.Concat(optional).ToArray());
        return Gen.Select(Gen.OneOfConst((byte)0, (byte)1, (byte)2, (byte)5, (byte)7, (byte)10, (byte)99), attributes.Select(a => Concat(a)), RuleMessage);
    }

    /// <summary>Attribute lists up to <paramref name="depth"/> levels deep: leaves of the lengths nftables uses (1, 2, 4, 8, 16 bytes), strings, and nests.</summary>
    private static Gen<byte[]> Nested(int depth)
    {
        Gen<byte[]> payload = Gen.Frequency(
            (4, Gen.Byte.Array[4]),
            (2, Gen.Byte.Array[8]),
            (1, Gen.Byte.Array[1]),
            (1, Gen.Byte.Array[2]),
            (1, Gen.Byte.Array[16]),
            (1, Gen.OneOfConst("lo", "__set%d", "", "c").Select(s => Encoding.ASCII.GetBytes(s + "\0"))),
            (1, Gen.Byte.Array[0, 70]));
        // Small big-endian numbers: registers, keys, ops and verdict codes that decoders switch on.
        Gen<byte[]> small = Gen.Int[-6, 40].Select(v => { var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, v); return b; });
        Gen<byte[]> leaf = Gen.Select(Gen.Int[0, 12], Gen.Frequency((3, payload), (2, small)), (type, data) => Attribute((ushort)type, data));
        if (depth == 0)
        {
            return leaf.Array[0, 4].Select(Concat);
        }
        Gen<byte[]> nest = Gen.Select(Gen.Int[0, 12], Nested(depth - 1), (type, inner) => Attribute((ushort)(type | 0x8000), inner));
        return Gen.Frequency((3, leaf), (1, nest)).Array[0, 6].Select(Concat);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static ushort TypeOf(byte[] message) => BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(4));

    /// <summary>
    /// The nf_tables messages of the kernel's dump of rich-ruleset.nft (Captures/nftables/rich-ruleset.txt,
    /// written by native-tests/capture/capture-nft-ruleset.sh), in order.
    /// </summary>
    internal static byte[][] LoadDump() =>
        CaptureFile.Load("nftables/rich-ruleset.txt").ReceivedMessages()
            .Where(m => m.Header.Type >> 8 == 10) // NFNL_SUBSYS_NFTABLES
            .Select(m => m.Message)
            .ToArray();
}
