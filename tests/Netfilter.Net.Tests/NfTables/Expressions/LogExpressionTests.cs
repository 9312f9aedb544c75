using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Tests.NfTables.Expressions;

/// <summary>log: nft sends only what was written; the kernel dumps level 4 for syslog logging.</summary>
public sealed class LogExpressionTests
{
    [Fact]
    public void Plain_log()
    {
        ExpressionGolden.AddPath("log", new LogExpression());
        ExpressionGolden.ListPath("log", new LogExpression { Level = LogLevel.Warning });
    }

    [Fact]
    public void Tcp_flags()
    {
        ExpressionGolden.AddPath("log-flags-tcp", new LogExpression { Flags = LogFlags.TcpSequence | LogFlags.TcpOptions });
        ExpressionGolden.ListPath("log-flags-tcp", new LogExpression { Level = LogLevel.Warning, Flags = LogFlags.TcpSequence | LogFlags.TcpOptions });
    }

    [Fact]
    public void Prefix_is_printed_verbatim_with_its_trailing_blank()
    {
        var log = new LogExpression { Prefix = "nft: ", Level = LogLevel.Debug, Flags = LogFlags.All };
        ExpressionGolden.AddPath("log-prefix-level-flags", log);
        ExpressionGolden.ListPath("log-prefix-level-flags", log);
    }

    [Fact]
    public void Nflog_group()
    {
        var log = new LogExpression { Prefix = "g", Group = 2, SnapLength = 100, QueueThreshold = 10 };
        ExpressionGolden.AddPath("log-group", log);
        ExpressionGolden.ListPath("log-group", log);
    }

    [Fact]
    public void Audit_level()
    {
        ExpressionGolden.AddPath("log-level-audit", new LogExpression { Level = LogLevel.Audit });
        ExpressionGolden.ListPath("log-level-audit", new LogExpression { Level = LogLevel.Audit });
    }

    [Fact]
    public void A_group_hides_level_and_flags_in_libnftnl_text()
    {
        new LogExpression { Group = 1, Level = LogLevel.Info, Flags = LogFlags.SocketUid }.ToString()
            .Should().Be("[ log group 1 snaplen 0 qthreshold 0 ]");
    }

    [Fact]
    public void Prefix_longer_than_the_kernel_buffer_is_refused()
    {
        FluentActions.Invoking(() => new LogExpression { Prefix = new string('x', 128) }).Should().Throw<ArgumentException>();
        new LogExpression { Prefix = new string('x', 127) }.Prefix.Should().HaveLength(127);
    }
}
