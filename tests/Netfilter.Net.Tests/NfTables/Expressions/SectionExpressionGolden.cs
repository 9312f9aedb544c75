using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Expressions;

/// <summary>
/// Checks an expression list against a golden capture (Golden/nftables-sections/NAME.golden, written by
/// native-tests/capture/capture-nft-golden.py):
/// [add]  (1) the model, encoded, equals the bytes nft sent; (2) those bytes decode to typed
///        expressions that print nft's --debug=netlink lines and re-encode to the same bytes;
///        (3) the model prints the same lines.
/// [list] the kernel's dump decodes to typed expressions that print what nft printed for it, and
///        re-encodes to the same attributes (<see cref="KernelDumpComparison"/>).
/// </summary>
internal static class SectionExpressionGolden
{
    public static SectionGoldenFile Verify(string name, params NftExpression[] model)
    {
        SectionGoldenFile golden = SectionGoldenFile.Load($"nftables-sections/{name}.golden");
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
    public static void VerifyList(SectionGoldenFile golden)
    {
        GoldenSection list = golden.Section("list");
        byte[] dumped = list.Bytes();
        List<NftExpression> fromKernel = Decode(dumped);
        fromKernel.Should().NotContain(e => e is UnknownExpression, "every expression the kernel dumped has a typed decoder");
        Lines(fromKernel).Should().Equal(list.Values("debug"), "the decoded dump must print what nft --debug=netlink list ruleset printed");

        // Expression by expression: re-encoding the decoded dump gives the kernel's attributes back,
        // except the ones the kernel dumps but refuses on input (NotSentBack).
        List<(string Name, byte[] Data)> ours = Elements(Encode(fromKernel));
        List<(string Name, byte[] Data)> kernel = Elements(dumped);
        ours.Select(e => e.Name).Should().Equal(kernel.Select(e => e.Name));
        for (int i = 0; i < ours.Count; i++)
        {
            // exthdr leaves them out only for a write or a reset, i.e. without NFTA_EXTHDR_DREG.
            bool mayOmit = ours[i].Name != "exthdr" || !KernelDumpComparison.HasAttribute(ours[i].Data, 1);
            KernelDumpComparison.Differences(ours[i].Data, kernel[i].Data, ours[i].Name)
                .Where(d => !(mayOmit && NotSentBack.Contains(d)))
                .Should().BeEmpty($"expression {i + 1} ({ours[i].Name}) must re-encode to the kernel's attributes");
        }
    }

    /// <summary>
    /// Attributes the kernel dumps but refuses when sent, which the library therefore does not send
    /// back: nft_osf_dump always puts NFTA_OSF_FLAGS while nft_osf_init accepts only
    /// NFT_OSF_F_VERSION (OsfExpression); nft_exthdr_dump_common puts OFFSET, LEN and FLAGS for every
    /// form while nft_exthdr_tcp_set_init refuses FLAGS and nft_exthdr_tcp_strip_init all three
    /// (ExthdrExpression).
    /// </summary>
    private static readonly HashSet<string> NotSentBack = new(StringComparer.Ordinal)
    {
        "osf/3: the kernel's 00000000, ours none",
        "exthdr/3: the kernel's 00000000, ours none",
        "exthdr/4: the kernel's 00000000, ours none",
        "exthdr/5: the kernel's 00000000, ours none",
    };

    // (NFTA_EXPR_NAME, NFTA_EXPR_DATA payload) of each NFTA_LIST_ELEM.
    private static List<(string Name, byte[] Data)> Elements(byte[] list)
    {
        var result = new List<(string, byte[])>();
        var reader = new NetlinkAttributeReader(list, "list");
        while (reader.TryRead(out NetlinkAttribute element))
        {
            string name = string.Empty;
            byte[] data = Array.Empty<byte>();
            NetlinkAttributeReader inner = element.GetNested();
            while (inner.TryRead(out NetlinkAttribute a))
            {
                if (a.Type == 1) name = a.GetStringZ();
                if (a.Type == 2) data = a.Payload.ToArray();
            }
            result.Add((name, data));
        }
        return result;
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
