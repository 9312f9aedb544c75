using System.Net;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.RuleFragments;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class CmpExpressionTests
{
    [Fact]
    public void Not_equal()
    {
        NftExpression[] rule = { MetaExpression.Load(MetaKey.Mark, R1), new CmpExpression(CmpOperator.NotEqual, R1, Host(0x10)) };
        ExpressionGolden.AddPath("cmp-neq", rule);
        ExpressionGolden.ListPath("cmp-neq", rule);
    }

    // nft converts the host-order mark to big-endian before an ordered comparison (cmp compares bytes).
    [Theory]
    [InlineData("cmp-lt", CmpOperator.LessThan)]
    [InlineData("cmp-lte", CmpOperator.LessThanOrEqual)]
    [InlineData("cmp-gt", CmpOperator.GreaterThan)]
    [InlineData("cmp-gte", CmpOperator.GreaterThanOrEqual)]
    public void Ordered_comparisons_of_a_mark(string golden, CmpOperator op)
    {
        NftExpression[] rule =
        {
            MetaExpression.Load(MetaKey.Mark, R1),
            new ByteorderExpression(ByteorderOperation.HostToNetwork, R1, R1, 4, 4),
            new CmpExpression(op, R1, NftData.FromBigEndianUInt32(0x10)),
        };
        ExpressionGolden.AddPath(golden, rule);
        ExpressionGolden.ListPath(golden, rule);
    }

    [Fact]
    public void Ip6_address_is_four_words()
    {
        NftExpression[] rule =
        {
            PayloadExpression.Load(PayloadBase.Network, 24, 16, R1),
            new CmpExpression(CmpOperator.Equal, R1, NftData.FromIPAddress(IPAddress.Parse("fd00::1"))),
        };
        ExpressionGolden.AddPath("cmp-ip6-daddr", rule);
        ExpressionGolden.ListPath("cmp-ip6-daddr", rule);
    }

    [Fact]
    public void A_port_range_is_gte_and_lte_in_nft_1_0_6()
    {
        NftExpression[] rule = Rule(
            L4ProtoIs(6),
            LoadDport(),
            new CmpExpression(CmpOperator.GreaterThanOrEqual, R1, NftData.FromPort(100)),
            new CmpExpression(CmpOperator.LessThanOrEqual, R1, NftData.FromPort(200)));
        ExpressionGolden.AddPath("payload-load-range-gte-lte", rule);
        ExpressionGolden.ListPath("payload-load-range-gte-lte", rule);
    }
}
