using System.CommandLine;
using System.IO;
using Netfilter.Net.Cli;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Tests.Cli;

/// <summary>The error contract in-process: parse errors become one line each, exceptions one line and an exit code.</summary>
public sealed class UsageErrorTests
{
    private static string[] UsageLines(params string[] args)
    {
        ParseResult parse = NfnetCommand.Create().Parse(args);
        parse.Errors.Should().NotBeEmpty();
        var error = new StringWriter();
        NfnetCommand.ReportUsageErrors(parse, error);
        return error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void Each_bad_argument_is_one_line_and_built_in_messages_point_at_the_help()
    {
        UsageLines("forward", "add", "--proto", "tcp", "--port", "70000", "--to", "10.0.0.1:x", "--bogus").Should().Equal(
            "nfnet: Unrecognized command or argument '--bogus': see 'nfnet forward add --help'",
            "nfnet: --port: '70000' is not a port (80) or a port range (8000-8100); ports are 1-65535",
            "nfnet: --to: 'x' in '10.0.0.1:x' is not a port (22) or a port range (8000-8100)");
    }

    [Fact]
    public void An_unknown_command_is_reported_once()
    {
        UsageLines("frobnicate").Should().Equal("nfnet: Unrecognized command or argument 'frobnicate': see 'nfnet --help'");
        UsageLines().Should().Equal("nfnet: Required command was not provided: see 'nfnet --help'");
    }

    [Fact]
    public void Every_command_of_the_issue_exists_with_its_options()
    {
        RootCommand root = NfnetCommand.Create();
        foreach (string line in new[]
        {
            "redirect add --proto tcp --port 80 --to-port 8080 --source 10.0.0.0/8 --source 192.168.0.0/16 --iif eth0 --local --table t --netns n",
            "redirect remove --proto udp --port 53-54 --to-port 5353",
            "forward add --proto both --port 2222 --to 192.168.1.10:22 --source 10.0.0.0/8 --masquerade --hairpin",
            "forward remove --proto tcp --port 2222 --to [2001:db8::10]:22",
            "masquerade add --oif wan --source 10.0.1.0/24",
            "masquerade remove --oif wan",
            "snat add --oif wan --to 203.0.113.1 --source 10.0.1.0/24",
            "snat remove --oif wan --to 203.0.113.1",
            "tproxy add --proto tcp --port 80 --to-port 8080 --mark 1",
            "tproxy remove --proto udp --port 53 --to-port 5353",
            "list --json --table t",
            "ruleset show --format netlink",
            "ruleset show --format json",
            "ruleset show --format text",
            "ruleset save FILE",
            "ruleset restore FILE",
            "conntrack list --proto tcp --src 10.0.0.1 --dst 10.0.0.2 --sport 1 --dport 2 --json",
            "conntrack delete --proto udp --dport 53",
            "conntrack watch",
            "conntrack stats --json",
            "forwarding status --json",
            "forwarding on --ipv6",
            "forwarding off",
            "sysctl get net.ipv4.ip_forward --json",
            "sysctl set net.ipv4.ip_forward 1",
            "doctor --port 2222 --json",
            "demo",
        })
        {
            root.Parse(line.Split(' ')).Errors.Should().BeEmpty(line);
        }
    }

    [Fact]
    public void Kernel_refusals_become_one_line_with_the_fix()
    {
        (int code, string line) = ErrorReporter.Describe(new NfTablesException(Errno.ENOENT, "nftables transaction NFT_MSG_DELTABLE", 7, "table not found", null, "operation 1 of 1 (delete table inet x); nothing was applied", 0, "delete table inet x", null, null, Array.Empty<NfTablesFailure>()));
        code.Should().Be(ExitCodes.Failure);
        line.Should().Contain("delete table inet x").And.Contain("table not found");
        ErrorReporter.Describe(new UsageException("--x: bad")).Should().Be((ExitCodes.Usage, "--x: bad"));
        ErrorReporter.Describe(new ArgumentOutOfRangeException("toPort", 0, "a port is 1–65535")).Should().Be((ExitCodes.Usage, "a port is 1–65535"));
        ErrorReporter.Describe(new OperationCanceledException()).Code.Should().Be(ExitCodes.Failure);
    }

    [Fact]
    public void A_report_is_one_line_unless_verbose()
    {
        var error = new StringWriter();
        ErrorReporter.Report(new InvalidOperationException("first\nsecond"), error, verbose: false).Should().Be(ExitCodes.Failure);
        error.ToString().Should().Be("nfnet: first second\n");
    }
}
