using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.RuleFragments;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class LookupExpressionTests
{
    [Fact]
    public void Set_lookup()
    {
        // nft sends the set id; the kernel dumps the flags (0) instead.
        ExpressionGolden.AddPath("lookup-set", LoadIPv4Saddr(), new LookupExpression("s", R1, setId: 1));
        ExpressionGolden.ListPath("lookup-set", LoadIPv4Saddr(), new LookupExpression("s", R1, flags: 0));
    }

    [Fact]
    public void Inverted_set_lookup()
    {
        ExpressionGolden.AddPath("lookup-set-inverted", LoadIPv4Saddr(), new LookupExpression("s", R1, flags: LookupExpression.InvertFlag, setId: 1));
        ExpressionGolden.ListPath("lookup-set-inverted", LoadIPv4Saddr(), new LookupExpression("s", R1, flags: LookupExpression.InvertFlag));
    }

    [Fact]
    public void Map_lookup_writes_the_value_to_dreg()
    {
        ExpressionGolden.AddPath("lookup-map-dreg", LoadIPv4Saddr(), new LookupExpression("m", R1, R1, setId: 1), MetaExpression.Set(MetaKey.Mark, R1));
        ExpressionGolden.ListPath("lookup-map-dreg", LoadIPv4Saddr(), new LookupExpression("m", R1, R1, flags: 0), MetaExpression.Set(MetaKey.Mark, R1));
    }

    [Fact]
    public void Verdict_map_lookup_writes_register_0()
    {
        ExpressionGolden.AddPath("lookup-vmap", LoadIPv6Saddr(), new LookupExpression("vm", R1, Register.Verdict, setId: 1));
        ExpressionGolden.ListPath("lookup-vmap", LoadIPv6Saddr(), new LookupExpression("vm", R1, Register.Verdict, flags: 0));
    }

    [Fact]
    public void Anonymous_set_is_a_name_template_on_the_add_path_and_the_allocated_name_on_the_list_path()
    {
        ExpressionGolden.AddPath("lookup-anonymous-set", Rule(TcpDportIs(0)[..3], new LookupExpression("__set%d", R1, setId: 1), new ImmediateExpression(Verdict.Accept)));
        ExpressionGolden.ListPath("lookup-anonymous-set", Rule(TcpDportIs(0)[..3], new LookupExpression("__set0", R1, flags: 0), new ImmediateExpression(Verdict.Accept)));
    }
}
