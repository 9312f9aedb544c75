using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class FlowOffloadExpressionTests
{
    [Fact]
    public void Flow_add_matches_nft() =>
        // CONFIG_NF_FLOW_TABLE is off on the capturing kernel: add path only.
        Verify("flow-offload", new FlowOffloadExpression("ft"));
}
