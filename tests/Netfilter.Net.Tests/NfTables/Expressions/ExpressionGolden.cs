using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Expressions;

/// <summary>
/// Checks an expression list against a golden capture (Golden/nftables/NAME.golden, written by
/// native-tests/capture/capture-nft-golden.py):
/// [add]  (1) the model, encoded, equals the bytes nft sent; (2) those bytes decode to typed
///        expressions that print nft's --debug=netlink lines and re-encode to the same bytes;
///        (3) the model prints the same lines.
/// [list] the kernel's dump decodes to typed expressions that print what nft printed for it, and
///        re-encodes to the same attributes (<see cref="KernelDumpComparison"/>).
/// </summary>
internal static class ExpressionGolden
{
    public static GoldenFile Verify(string name, params NftExpression[] model)
    {
        GoldenFile golden = GoldenFile.Load($"nftables/{name}.golden");
        GoldenSection add = golden.Section("add");
        byte[] sent = add.Bytes();

        Hex(Encode(model)).Should().Be(Hex(sent), $"our encoding of the model must equal what nft sent ({golden.HeaderValue("command:")})");

        List<NftExpression> decoded = Decode(sent);
        decoded.Should().NotContain(e => e is UnknownExpression, "every expression nft sent has a typed decoder");
        Hex(Encode(decoded)).Should().Be(Hex(sent), "decoding and re-encoding what nft sent must give the same bytes");
        if (add.Has("debug"))
        {
            Lines(model).Should().Equal(add.Values("debug"), "the model must print nft's add-path --debug=netlink text");
            Lines(decoded).Should().Equal(add.Values("debug"), "the decoded bytes must print nft's add-path --debug=netlink text");
        }
        else
        {
            Lines(decoded).Should().Equal(Lines(model));
        }

        if (golden.Has("list"))
        {
            VerifyList(golden);
        }
        return golden;
    }

    /// <summary>The [list] checks alone (for captures whose add path has no model in the test).</summary>
    public static void VerifyList(GoldenFile golden)
    {
        GoldenSection list = golden.Section("list");
        byte[] dumped = list.Bytes();
        List<NftExpression> fromKernel = Decode(dumped);
        fromKernel.Should().NotContain(e => e is UnknownExpression, "every expression the kernel dumped has a typed decoder");
        Lines(fromKernel).Should().Equal(list.Values("debug"), "the decoded dump must print what nft --debug=netlink list ruleset printed");
        KernelDumpComparison.Differences(Encode(fromKernel), dumped).Should().BeEmpty("re-encoding the decoded dump must give the kernel's attributes back");
    }

    /// <summary>The payload of NFTA_RULE_EXPRESSIONS for <paramref name="expressions"/>.</summary>
    public static byte[] Encode(IReadOnlyList<NftExpression> expressions)
    {
        using var writer = new NetlinkWriter(256);
        ExpressionListCodec.Write(writer, 4, expressions);
        return writer.WrittenSpan.Slice(4).ToArray();
    }

    /// <summary>Decodes an NFTA_RULE_EXPRESSIONS payload.</summary>
    public static List<NftExpression> Decode(byte[] payload)
    {
        // Wrap the payload back into its nest so the list reader sees an attribute.
        using var writer = new NetlinkWriter(payload.Length + 8);
        writer.WriteBytes(4, payload);
        var reader = new NetlinkAttributeReader(writer.WrittenSpan, "test");
        reader.TryRead(out NetlinkAttribute list).Should().BeTrue();
        return ExpressionListCodec.Read(list, "NFTA_RULE_EXPRESSIONS");
    }

    public static List<string> Lines(IEnumerable<NftExpression> expressions) => expressions.Select(e => e.ToString()).ToList();

    /// <summary>Hex in 4-byte words, so a failing comparison points at the word that differs.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes)
    {
        string hex = Convert.ToHexString(bytes).ToLowerInvariant();
        return string.Join(' ', Enumerable.Range(0, (hex.Length + 7) / 8).Select(i => hex.Substring(i * 8, Math.Min(8, hex.Length - i * 8))));
    }

    // Shorthands for the expressions around the ones under test.
    public static CmpExpression Eq(Register register, string hex) => new(CmpOperator.Equal, register, NftData.FromBytes(Convert.FromHexString(hex)));

    public static ImmediateExpression Imm(Register register, string hex) => new(register, NftData.FromBytes(Convert.FromHexString(hex)));

    public static MetaExpression MetaLoad(MetaKey key) => MetaExpression.Load(key, Register.R1);
}
