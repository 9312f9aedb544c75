using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class NotrackExpressionTests
{
    [Fact]
    public void Notrack_is_sent_without_a_data_nest_like_nft() =>
        // nft sends NFTA_LIST_ELEM { NFTA_EXPR_NAME "notrack" } and nothing else.
        Verify("notrack", new NotrackExpression());

    [Fact]
    public void An_unknown_expression_without_data_is_written_back_without_data()
    {
        // NFTA_LIST_ELEM { NFTA_EXPR_NAME "notrackx" }: a name the registry does not know, and no data.
        byte[] bytes = Convert.FromHexString("140001800d0001006e6f747261636b7800000000");
        NftExpression unknown = Decode(bytes).Should().ContainSingle().Which;
        unknown.Should().BeOfType<UnknownExpression>();
        Hex(Encode(new[] { unknown })).Should().Be(Hex(bytes));
    }
}
