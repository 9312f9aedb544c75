using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.RuleFragments;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class ByteorderExpressionTests
{
    [Fact]
    public void Host_to_network_before_a_range_on_a_host_order_key()
    {
        NftExpression[] rule =
        {
            MetaExpression.Load(MetaKey.Length, R1),
            new ByteorderExpression(ByteorderOperation.HostToNetwork, R1, R1, length: 4, size: 4),
            new CmpExpression(CmpOperator.GreaterThanOrEqual, R1, NftData.FromBigEndianUInt32(33)),
            new CmpExpression(CmpOperator.LessThanOrEqual, R1, NftData.FromBigEndianUInt32(45)),
        };
        ExpressionGolden.AddPath("byteorder-hton", rule);
        ExpressionGolden.ListPath("byteorder-hton", rule);
    }

    [Fact]
    public void Ntoh_prints_size_before_length()
    {
        new ByteorderExpression(ByteorderOperation.NetworkToHost, Register.R2, R1, 8, 2).ToString()
            .Should().Be("[ byteorder reg 1 = ntoh(reg 2, 2, 8) ]");
    }

    [Fact]
    public void Element_size_must_be_2_4_or_8()
    {
        FluentActions.Invoking(() => new ByteorderExpression(ByteorderOperation.HostToNetwork, R1, R1, 4, 3))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("size");
    }
}
