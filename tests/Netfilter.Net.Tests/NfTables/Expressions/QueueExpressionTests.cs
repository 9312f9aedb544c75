using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

// CONFIG_NFT_QUEUE is off on the capturing kernel: these goldens have the add path only.
public sealed class QueueExpressionTests
{
    [Fact]
    public void Single_queue_matches_nft() =>
        Verify("queue-num", QueueExpression.ToQueues(4));

    [Fact]
    public void Range_with_bypass_and_fanout_matches_nft() =>
        Verify("queue-range", QueueExpression.ToQueues(1, 3, QueueFlags.Bypass | QueueFlags.CpuFanout));

    [Fact]
    public void Queue_number_from_a_register_matches_nft() =>
        // queue flags bypass to numgen inc mod 4
        Verify("queue-sreg", new NumgenExpression(NumgenType.Incremental, 4, Register.R1), QueueExpression.ToRegister(Register.R1, QueueFlags.Bypass));

    [Fact]
    public void A_range_past_65535_is_refused_before_sending() =>
        FluentActions.Invoking(() => QueueExpression.ToQueues(65535, 2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("count");
}
