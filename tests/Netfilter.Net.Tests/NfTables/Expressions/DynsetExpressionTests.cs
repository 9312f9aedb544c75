using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Tests.Fakes;
using static Netfilter.Net.Tests.NfTables.Expressions.RuleFragments;

namespace Netfilter.Net.Tests.NfTables.Expressions;

/// <summary>dynset: nft sends the set id; the kernel dumps the timeout (0 when none was given) and the flags (0).</summary>
public sealed class DynsetExpressionTests
{
    [Theory]
    [InlineData("dynset-add", DynsetOperation.Add)]
    [InlineData("dynset-delete", DynsetOperation.Delete)]
    public void Add_and_delete(string golden, DynsetOperation operation)
    {
        ExpressionGolden.AddPath(golden, LoadIPv4Saddr(), new DynsetExpression(operation, "s", R1) { SetId = 1 });
        ExpressionGolden.ListPath(golden, LoadIPv4Saddr(), new DynsetExpression(operation, "s", R1) { TimeoutMilliseconds = 0, Flags = DynsetFlags.None });
    }

    [Fact]
    public void Update_with_a_timeout()
    {
        ExpressionGolden.AddPath("dynset-update-timeout", LoadIPv4Saddr(), new DynsetExpression(DynsetOperation.Update, "s", R1) { TimeoutMilliseconds = 30000, SetId = 1 });
        ExpressionGolden.ListPath("dynset-update-timeout", LoadIPv4Saddr(), new DynsetExpression(DynsetOperation.Update, "s", R1) { TimeoutMilliseconds = 30000, Flags = DynsetFlags.None });
    }

    [Fact]
    public void Map_update_takes_the_value_from_sreg_data()
    {
        NftExpression[] loads = { LoadIPv4Saddr(), MetaExpression.Load(MetaKey.Mark, R2) };
        ExpressionGolden.AddPath("dynset-map-data", Rule(loads, new DynsetExpression(DynsetOperation.Update, "m", R1) { Data = R2, SetId = 1 }));
        ExpressionGolden.ListPath("dynset-map-data", Rule(loads, new DynsetExpression(DynsetOperation.Update, "m", R1) { Data = R2, TimeoutMilliseconds = 0, Flags = DynsetFlags.None }));
    }

    [Fact]
    public void One_attached_expression_travels_as_NFTA_DYNSET_EXPR()
    {
        ExpressionGolden.AddPath("dynset-expr", LoadIPv4Saddr(),
            new DynsetExpression(DynsetOperation.Update, "s", R1) { TimeoutMilliseconds = 60000, SetId = 1, Expressions = new[] { new CounterExpression() } });
        ExpressionGolden.ListPath("dynset-expr", LoadIPv4Saddr(),
            new DynsetExpression(DynsetOperation.Update, "s", R1) { TimeoutMilliseconds = 60000, Flags = DynsetFlags.None, Expressions = new[] { new CounterExpression(0, 0) } });
    }

    [Fact]
    public void Inverted_limit_attached_in_an_inet_table()
    {
        var limit = new LimitExpression(10, 1) { Burst = 20, Type = LimitType.Packets, Flags = LimitFlags.Inverted };
        NftExpression[] head = { MetaExpression.Load(MetaKey.NfProto, R1), new CmpExpression(CmpOperator.Equal, R1, NftData.FromByte(2)), LoadIPv4Saddr() };
        var drop = new ImmediateExpression(Verdict.Drop);
        ExpressionGolden.AddPath("dynset-expr-limit", Rule(head, new DynsetExpression(DynsetOperation.Add, "s", R1) { SetId = 1, Expressions = new[] { limit } }, drop));
        ExpressionGolden.ListPath("dynset-expr-limit", Rule(head, new DynsetExpression(DynsetOperation.Add, "s", R1) { TimeoutMilliseconds = 0, Flags = DynsetFlags.None, Expressions = new[] { limit } }, drop));
    }

    [Fact]
    public void Several_attached_expressions_travel_as_the_NFTA_DYNSET_EXPRESSIONS_list()
    {
        var limit = new LimitExpression(10, 1) { Burst = 5, Type = LimitType.Packets, Flags = LimitFlags.None };
        ExpressionGolden.AddPath("dynset-expressions", LoadIPv6Saddr(),
            new DynsetExpression(DynsetOperation.Add, "s", R1) { SetId = 1, Flags = DynsetFlags.Expressions, Expressions = new NftExpression[] { new CounterExpression(), limit } });
        // The kernel does not keep NFT_DYNSET_F_EXPR: it dumps flags 0.
        ExpressionGolden.ListPath("dynset-expressions", LoadIPv6Saddr(),
            new DynsetExpression(DynsetOperation.Add, "s", R1) { TimeoutMilliseconds = 0, Flags = DynsetFlags.None, Expressions = new NftExpression[] { new CounterExpression(0, 0), limit } });
    }

    [Fact]
    public void An_unknown_attached_expression_is_kept_raw()
    {
        var inner = new UnknownExpression("future", new byte[] { 8, 0, 1, 0, 0, 0, 0, 7 });
        var dynset = new DynsetExpression(DynsetOperation.Add, "s", R1) { Expressions = new NftExpression[] { inner } };
        byte[] element = ExpressionGolden.EncodeElement(dynset);
        NftExpression decoded = ExpressionGolden.DecodeElement(element);
        decoded.Should().BeOfType<DynsetExpression>().Which.Expressions.Single().Should().BeOfType<UnknownExpression>()
            .Which.Data.ToArray().Should().Equal(inner.Data.ToArray());
        ExpressionGolden.EncodeElement(decoded).Should().Equal(element);
    }

    [Fact]
    public void The_dumped_zero_timeout_is_rendered_but_not_sent_back()
    {
        // The kernel dumps "timeout 0ms" for every dynset and refuses NFTA_DYNSET_TIMEOUT on a set
        // without timeouts; 0 means the set's default, like no attribute at all.
        byte[] dumped = NftGoldenFile.Load("dynset-add").List.Elements[1];
        NftExpression decoded = ExpressionGolden.DecodeElement(dumped);
        decoded.ToString().Should().Be("[ dynset add reg_key 1 set s timeout 0ms ]");
        decoded.Should().BeOfType<DynsetExpression>().Which.TimeoutMilliseconds.Should().Be(0);
        NftExpression resent = ExpressionGolden.DecodeElement(ExpressionGolden.EncodeElement(decoded));
        resent.Should().BeOfType<DynsetExpression>().Which.TimeoutMilliseconds.Should().BeNull();
        new DynsetExpression(DynsetOperation.Update, "s", R1) { TimeoutMilliseconds = 1 }.ToString()
            .Should().Be("[ dynset update reg_key 1 set s timeout 1ms ]");
    }

    [Fact]
    public void A_set_name_is_required()
    {
        FluentActions.Invoking(() => new DynsetExpression(DynsetOperation.Add, "", R1)).Should().Throw<ArgumentException>().WithParameterName("set");
    }
}
