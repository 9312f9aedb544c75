using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal.Attributes;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Expressions;

/// <summary>Decoding is total: an attribute a decoder does not model keeps the expression raw; a missing required one is a protocol error.</summary>
public sealed class ExpressionDecodingTests
{
    public static IEnumerable<object[]> Elements() =>
        new[] { "bitwise-mask", "byteorder-hton", "range-neq", "dynset-expr", "ct-load-saddr-dir", "log-group", "limit-second", "quota", "connlimit-over", "masq-port-range", "redir-port", "tproxy-ip" }
            .SelectMany(name =>
            {
                NftGoldenSection add = NftGoldenFile.Load(name).Add;
                return add.Elements.Select((element, i) => new object[] { name, i });
            });

    [Theory]
    [MemberData(nameof(Elements))]
    public void An_unknown_attribute_keeps_the_expression_raw_and_byte_identical(string name, int index)
    {
        byte[] element = NftGoldenFile.Load(name).Add.Elements[index];
        (string exprName, byte[] data) = Split(element);
        // Attribute 200 is beyond every NFTA_*_MAX of these expressions.
        byte[] extended = data.Concat(new byte[] { 8, 0, 200, 0, 1, 2, 3, 4 }).ToArray();
        NftExpression decoded = ExpressionRegistry.Decode(exprName, extended);
        decoded.Should().BeOfType<UnknownExpression>().Which.Data.ToArray().Should().Equal(extended);
        decoded.Name.Should().Be(exprName);
    }

    [Theory]
    [InlineData("bitwise")]
    [InlineData("byteorder")]
    [InlineData("range")]
    [InlineData("dynset")]
    [InlineData("ct")]
    [InlineData("limit")]
    [InlineData("quota")]
    [InlineData("connlimit")]
    public void A_missing_required_attribute_is_a_protocol_error(string name)
    {
        FluentActions.Invoking(() => ExpressionRegistry.Decode(name, ReadOnlySpan<byte>.Empty)).Should().Throw<NetlinkProtocolException>();
    }

    [Theory]
    [InlineData("log", "[ log ]")]
    [InlineData("masq", "[ masq ]")]
    [InlineData("redir", "[ redir ]")]
    [InlineData("tproxy", "[ tproxy ]")]
    public void Expressions_without_required_attributes_decode_empty(string name, string text)
    {
        ExpressionRegistry.Decode(name, ReadOnlySpan<byte>.Empty).ToString().Should().Be(text);
    }

    [Fact]
    public void A_short_integer_is_a_protocol_error()
    {
        // NFTA_CONNLIMIT_COUNT with 2 bytes instead of 4.
        FluentActions.Invoking(() => ExpressionRegistry.Decode("connlimit", new byte[] { 6, 0, 1, 0, 0, 10, 0, 0 })).Should().Throw<NetlinkProtocolException>();
    }

    private static (string Name, byte[] Data) Split(byte[] element)
    {
        var outer = new NetlinkAttributeReader(element, "test");
        outer.TryRead(out NetlinkAttribute list).Should().BeTrue();
        var reader = list.GetNested();
        string? name = null;
        byte[] data = Array.Empty<byte>();
        while (reader.TryRead(out NetlinkAttribute a))
        {
            if (a.Type == ExprAttribute.Name) name = a.GetStringZ();
            if (a.Type == ExprAttribute.Data) data = a.Payload.ToArray();
        }
        return (name!, data);
    }
}
