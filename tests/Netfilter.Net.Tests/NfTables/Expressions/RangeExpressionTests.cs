using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.RuleFragments;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class RangeExpressionTests
{
    [Fact]
    public void Port_outside_a_range()
    {
        NftExpression[] rule = Rule(L4ProtoIs(6), LoadDport(), new RangeExpression(RangeOperator.NotEqual, R1, NftData.FromPort(100), NftData.FromPort(200)));
        ExpressionGolden.AddPath("range-neq", rule);
        ExpressionGolden.ListPath("range-neq", rule);
    }

    [Fact]
    public void Mark_outside_a_range_after_byteorder()
    {
        NftExpression[] rule =
        {
            MetaExpression.Load(MetaKey.Mark, R1),
            new ByteorderExpression(ByteorderOperation.HostToNetwork, R1, R1, 4, 4),
            new RangeExpression(RangeOperator.NotEqual, R1, NftData.FromBigEndianUInt32(0x10), NftData.FromBigEndianUInt32(0x20)),
        };
        ExpressionGolden.AddPath("range-neq-byteorder", rule);
        ExpressionGolden.ListPath("range-neq-byteorder", rule);
    }

    [Fact]
    public void Inside_a_range_is_eq()
    {
        // nft 1.0.6 emits cmp gte + cmp lte for an inside match; newer nft emits range eq (FORMAT.md 3.5).
        new RangeExpression(RangeOperator.Equal, R1, NftData.FromPort(100), NftData.FromPort(200)).ToString()
            .Should().Be("[ range eq reg 1 0x00006400 0x0000c800 ]");
    }

    [Fact]
    public void Bounds_must_have_the_same_length()
    {
        FluentActions.Invoking(() => new RangeExpression(RangeOperator.Equal, R1, NftData.FromPort(1), Host(2)))
            .Should().Throw<ArgumentException>().WithParameterName("to");
    }
}
