using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Tests.Sysctl;

/// <summary>How nfnet reports sysctl failures: one line, exit 1, the library's cause and fix.</summary>
public sealed class SysctlCliErrorTests
{
    [Theory]
    [InlineData(Errno.EROFS, 0x1a4, "/proc/sys is mounted read-only here")]
    [InlineData(Errno.EACCES, 0x124, "is read-only in")]
    [InlineData(Errno.EACCES, 0x1a4, "needs root, or CAP_NET_ADMIN")]
    [InlineData(Errno.ENOENT, null, "there is no sysctl net.ipv4.ip_forward")]
    public void A_sysctl_failure_is_one_line_with_exit_1_and_the_library_message(Errno errno, int? mode, string expected)
    {
        SysctlException e = SysctlException.Create(errno, SysctlKey.IPv4Forward, "1", "current network namespace", mode);
        (int code, string line) = ErrorReporter.Describe(e);
        code.Should().Be(ExitCodes.Failure);
        line.Should().Be(e.Message).And.Contain(expected);

        var error = new System.IO.StringWriter();
        ErrorReporter.Report(e, error, verbose: false).Should().Be(ExitCodes.Failure);
        error.ToString().Should().StartWith("nfnet: write sysctl net.ipv4.ip_forward = '1'").And.EndWith("\n");
        error.ToString().TrimEnd('\n').Should().NotContain("\n", "one line");
    }
}
