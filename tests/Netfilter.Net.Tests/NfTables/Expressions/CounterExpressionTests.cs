using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class CounterExpressionTests
{
    [Fact]
    public void Nft_sends_no_values_and_the_kernel_dumps_both()
    {
        ExpressionGolden.AddPath("counter", new CounterExpression());
        ExpressionGolden.ListPath("counter", new CounterExpression(packets: 0, bytes: 0));
    }
}
