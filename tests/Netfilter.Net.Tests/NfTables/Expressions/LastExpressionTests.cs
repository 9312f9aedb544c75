using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

// nft 1.0.6 has no "last" statement, so there is no add-path capture; the native tests add it
// with the library and compare with nft's listing.
public sealed class LastExpressionTests
{
    [Fact]
    public void A_new_last_sends_nothing_and_prints_never()
    {
        var last = new LastExpression();
        Hex(Encode(new[] { last })).Should().Be(Hex(Convert.FromHexString("14000180" + "09000100" + "6c617374" + "00000000" + "04000280")));
        last.ToString().Should().Be("[ last never ]");
    }

    [Fact]
    public void A_used_last_prints_the_milliseconds()
    {
        NftExpression decoded = Decode(Encode(new[] { new LastExpression(set: 1, milliseconds: 1234) })).Single();
        decoded.ToString().Should().Be("[ last 1234 ]");
        ((LastExpression)decoded).Set.Should().Be(1);
    }
}
