using System.Text.RegularExpressions;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Attributes;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Expressions;

/// <summary>
/// The three golden checks of an expression against a capture from nft (STYLE.md practice 6):
/// our model encodes to the captured bytes, the captured bytes decode to a model that renders
/// nft's debug line and re-encodes to the same bytes, and our model renders nft's debug line.
/// </summary>
internal static class ExpressionGolden
{
    /// <summary>
    /// Add path (what nft sends): <paramref name="expected"/> is the whole rule, expression by
    /// expression; each must encode to the captured NFTA_LIST_ELEM byte for byte and print nft's line.
    /// </summary>
    public static void AddPath(string name, params NftExpression[] expected)
    {
        NftGoldenSection add = NftGoldenFile.Load(name).Add;
        CheckCounts(name, add, expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            string where = $"{name}: {add.Describe(i)}";
            HexDiff.ShouldEqual(EncodeElement(expected[i]), add.Elements[i], where + ": our encoding");
            expected[i].ToString().Should().Be(add.DebugLines[i], where + ": our model's debug text");
        }
        DecodesAndRendersExactly(name, add);
    }

    /// <summary>
    /// List path (what the kernel dumps): the captured bytes decode to typed expressions that print
    /// nft's lines and lose no attribute when re-encoded; when <paramref name="expected"/> is given
    /// it is the model the dump must decode to (same attributes, in any order, nest flags aside).
    /// </summary>
    public static void ListPath(string name, params NftExpression[] expected)
    {
        NftGoldenSection list = NftGoldenFile.Load(name).List;
        if (expected.Length > 0)
        {
            CheckCounts(name, list, expected.Length);
        }
        for (int i = 0; i < list.Elements.Count; i++)
        {
            string where = $"{name}: {list.Describe(i)}";
            NftExpression decoded = DecodeElement(list.Elements[i]);
            decoded.Should().NotBeOfType<UnknownExpression>(where + ": every attribute the kernel dumped is modelled");
            decoded.ToString().Should().Be(list.DebugLines[i], where + ": our rendering of the kernel's dump");
            Canonical(EncodeElement(decoded)).Should().Be(WithoutUnsendable(Canonical(list.Elements[i])), where + ": re-encoding keeps every dumped attribute");
            if (expected.Length > 0)
            {
                Canonical(EncodeElement(expected[i])).Should().Be(WithoutUnsendable(Canonical(list.Elements[i])), where + ": the kernel dumped the model we expect");
                expected[i].ToString().Should().Be(list.DebugLines[i], where + ": our model's debug text");
            }
        }
    }

    /// <summary>The captured add-path bytes decode, print nft's lines and re-encode byte for byte.</summary>
    public static void DecodesAndRendersExactly(string name, NftGoldenSection section)
    {
        for (int i = 0; i < section.Elements.Count; i++)
        {
            string where = $"{name}: {section.Describe(i)}";
            NftExpression decoded = DecodeElement(section.Elements[i]);
            decoded.Should().NotBeOfType<UnknownExpression>(where + ": every attribute nft sent is modelled");
            decoded.ToString().Should().Be(section.DebugLines[i], where + ": our rendering of the captured bytes");
            HexDiff.ShouldEqual(EncodeElement(decoded), section.Elements[i], where + ": decode then encode");
        }
    }

    /// <summary>
    /// The kernel's dump as the encoder deliberately re-sends it, in canonical form. Only dynset
    /// differs (see DynsetExpression.EncodeData): NFTA_DYNSET_TIMEOUT 0, dumped for every dynset
    /// and refused on sets without timeouts, is not sent back; NFT_DYNSET_F_EXPR, required with
    /// NFTA_DYNSET_EXPRESSIONS and not dumped, is added. Nothing else may change.
    /// </summary>
    private static string WithoutUnsendable(string canonical)
    {
        if (!canonical.Contains("1=" + Convert.ToHexString("dynset\0"u8).ToLowerInvariant(), StringComparison.Ordinal))
        {
            return canonical;
        }
        string resent = canonical.Replace(" 6=0000000000000000", string.Empty, StringComparison.Ordinal);
        if (resent.Contains(" 10{", StringComparison.Ordinal) || resent.Contains("{10{", StringComparison.Ordinal))
        {
            resent = Regex.Replace(resent, " 9=([0-9a-f]{8})", m =>
                " 9=" + (Convert.ToUInt32(m.Groups[1].Value, 16) | 2).ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        }
        return resent;
    }

    /// <summary>One expression as nft puts it in NFTA_RULE_EXPRESSIONS: NFTA_LIST_ELEM { NAME, DATA }.</summary>
    public static byte[] EncodeElement(NftExpression expression)
    {
        using var writer = new NetlinkWriter();
        using (NetlinkNest element = writer.BeginNested(ListAttribute.Element))
        {
            ExpressionListCodec.WriteExpressionBody(writer, expression);
        }
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes one NFTA_LIST_ELEM (header included).</summary>
    public static NftExpression DecodeElement(byte[] element)
    {
        var reader = new NetlinkAttributeReader(element, "golden");
        reader.TryRead(out NetlinkAttribute attribute).Should().BeTrue();
        attribute.Type.Should().Be(ListAttribute.Element);
        return ExpressionListCodec.ReadExpressionBody(attribute.Payload, "golden");
    }

    /// <summary>
    /// A text form of attributes that ignores their order and the NLA_F_NESTED bit (the kernel
    /// dumps nests without it and in its own order): each attribute as type=hex, or type{...}
    /// for a nest, sorted. The NFTA_LIST_ELEM and NFTA_EXPR_* levels are walked as nests.
    /// </summary>
    public static string Canonical(ReadOnlySpan<byte> attributes) => Canonical(attributes, depth: 0);

    private static string Canonical(ReadOnlySpan<byte> attributes, int depth)
    {
        var parts = new List<string>();
        var reader = new NetlinkAttributeReader(attributes, "canonical");
        while (reader.TryRead(out NetlinkAttribute a))
        {
            // Levels 0 (LIST_ELEM) and 1's DATA (EXPR_DATA) are nests whatever their flag says;
            // below that, a nest is what either side flagged: ours always do (libmnl style), and
            // LooksNested catches the kernel's unflagged ones.
            bool nested = a.IsNested || depth == 0 || (depth == 1 && a.Type == ExprAttribute.Data) || LooksNested(a.Payload);
            parts.Add(nested
                ? $"{a.Type}{{{Canonical(a.Payload, depth + 1)}}}"
                : $"{a.Type}={Convert.ToHexString(a.Payload).ToLowerInvariant()}");
        }
        parts.Sort(StringComparer.Ordinal);
        return string.Join(" ", parts);
    }

    // A payload is read as a nest when it parses exactly as attributes with sane headers. Only used
    // to line the kernel's unflagged nests up with ours; both sides go through the same rule.
    private static bool LooksNested(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 4 || payload.Length % 4 != 0)
        {
            return false;
        }
        int offset = 0;
        while (offset < payload.Length)
        {
            if (payload.Length - offset < 4)
            {
                return false;
            }
            int length = payload[offset] | (payload[offset + 1] << 8);
            int type = (payload[offset + 2] | (payload[offset + 3] << 8)) & NetlinkAttribute.TypeMask;
            if (length < 4 || offset + length > payload.Length || type == 0 || type > 32)
            {
                return false;
            }
            offset += (length + 3) & ~3;
        }
        return offset == payload.Length;
    }

    private static void CheckCounts(string name, NftGoldenSection section, int expected)
    {
        section.Elements.Count.Should().Be(section.DebugLines.Count, $"{name} [{section.Title}]: one debug line per expression");
        section.Elements.Count.Should().Be(expected, $"{name} [{section.Title}]: the test lists every expression of the rule");
    }
}
