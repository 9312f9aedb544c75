using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.RuleFragments;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class MetaExpressionTests
{
    [Fact]
    public void Load_mark_and_compare()
    {
        NftExpression[] rule = { MetaExpression.Load(MetaKey.Mark, R1), new CmpExpression(CmpOperator.Equal, R1, Host(0x10)) };
        ExpressionGolden.AddPath("meta-load-mark", rule);
        ExpressionGolden.ListPath("meta-load-mark", rule);
    }

    [Fact]
    public void Load_iifname_compares_sixteen_padded_bytes()
    {
        NftExpression[] rule = { MetaExpression.Load(MetaKey.InputInterfaceName, R1), new CmpExpression(CmpOperator.Equal, R1, NftData.FromInterfaceName("eth0")) };
        ExpressionGolden.AddPath("meta-load-iifname", rule);
        ExpressionGolden.ListPath("meta-load-iifname", rule);
    }

    [Fact]
    public void Load_iifname_wildcard_compares_the_prefix_only()
    {
        NftExpression[] rule = { MetaExpression.Load(MetaKey.InputInterfaceName, R1), new CmpExpression(CmpOperator.Equal, R1, NftData.FromInterfaceName("eth", prefix: true)) };
        ExpressionGolden.AddPath("meta-load-iifname-prefix", rule);
        ExpressionGolden.ListPath("meta-load-iifname-prefix", rule);
    }

    [Fact]
    public void Set_mark_from_an_immediate()
    {
        NftExpression[] rule = { Imm(R1, Host(0x10)), MetaExpression.Set(MetaKey.Mark, R1) };
        ExpressionGolden.AddPath("meta-set-mark", rule);
        ExpressionGolden.ListPath("meta-set-mark", rule);
    }

    [Fact]
    public void Set_priority_in_ip6()
    {
        NftExpression[] rule = { Imm(R1, Host(0x00010002)), MetaExpression.Set(MetaKey.Priority, R1) };
        ExpressionGolden.AddPath("meta-set-priority", rule);
        ExpressionGolden.ListPath("meta-set-priority", rule);
    }

    [Fact]
    public void Oiftype_is_key_9_as_in_the_uapi_header()
    {
        // FORMAT.md's key list skips oiftype; uapi nf_tables.h has NFT_META_IIFTYPE 8, NFT_META_OIFTYPE 9.
        MetaExpression.Load(MetaKey.OutputInterfaceType, R1).ToString().Should().Be("[ meta load oiftype => reg 1 ]");
        ((uint)MetaKey.SocketUid).Should().Be(10);
    }
}
