using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class LimitExpressionTests
{
    [Theory]
    [InlineData("limit-second", 10UL, 1UL, 5U)]
    [InlineData("limit-minute-burst", 400UL, 60UL, 20U)]
    [InlineData("limit-hour", 1UL, 3600UL, 5U)]
    [InlineData("limit-day", 2UL, 86400UL, 5U)]
    [InlineData("limit-week", 3UL, 604800UL, 5U)]
    public void Packet_rates(string golden, ulong rate, ulong unit, uint burst)
    {
        var limit = new LimitExpression(rate, unit) { Burst = burst, Type = LimitType.Packets, Flags = LimitFlags.None };
        ExpressionGolden.AddPath(golden, limit);
        ExpressionGolden.ListPath(golden, limit);
    }

    [Fact]
    public void Byte_rate_over()
    {
        var limit = new LimitExpression(1048576, 1) { Burst = 10240, Type = LimitType.Bytes, Flags = LimitFlags.Inverted };
        ExpressionGolden.AddPath("limit-bytes-over", limit);
        ExpressionGolden.ListPath("limit-bytes-over", limit);
    }

    [Fact]
    public void Libnftnl_1_2_4_names_only_whole_units()
    {
        new LimitExpression(5, 120) { Burst = 1, Type = LimitType.Packets, Flags = LimitFlags.None }.ToString()
            .Should().Be("[ limit rate 5/error burst 1 type packets flags 0x0 ]");
    }

    [Fact]
    public void A_zero_unit_is_refused()
    {
        FluentActions.Invoking(() => new LimitExpression(1, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("unitSeconds");
    }
}

public sealed class QuotaExpressionTests
{
    [Fact]
    public void Quota()
    {
        var quota = new QuotaExpression(100UL * 1024 * 1024) { Consumed = 0, Flags = QuotaFlags.None };
        ExpressionGolden.AddPath("quota", quota);
        ExpressionGolden.ListPath("quota", quota);
    }

    [Fact]
    public void Quota_over_with_bytes_already_used()
    {
        var quota = new QuotaExpression(1000UL * 1024 * 1024) { Consumed = 10UL * 1024 * 1024, Flags = QuotaFlags.Inverted };
        ExpressionGolden.AddPath("quota-over-used", quota);
        ExpressionGolden.ListPath("quota-over-used", quota);
    }
}

public sealed class ConnlimitExpressionTests
{
    [Fact]
    public void Count_sends_flags_0_and_the_kernel_omits_them()
    {
        ExpressionGolden.AddPath("connlimit", new ConnlimitExpression(10) { Flags = ConnlimitFlags.None });
        ExpressionGolden.ListPath("connlimit", new ConnlimitExpression(10));
    }

    [Fact]
    public void Count_over()
    {
        var connlimit = new ConnlimitExpression(10) { Flags = ConnlimitFlags.Inverted };
        ExpressionGolden.AddPath("connlimit-over", connlimit);
        ExpressionGolden.ListPath("connlimit-over", connlimit);
    }
}
