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
            "nfnet: --port: '70000' is not a port (80) or a port range (8000-8100); ports are 1-65535",
            "nfnet: --to: 'x' in '10.0.0.1:x' is not a port (22) or a port range (8000-8100)",
            "nfnet: '--bogus' is not an option of 'nfnet forward add' (see 'nfnet forward add --help')");
    }

    [Fact]
    public void An_unknown_command_is_reported_once()
    {
        UsageLines("frobnicate").Should().Equal("nfnet: 'frobnicate' is not a command of 'nfnet': use redirect, forward, masquerade, snat, tproxy, list, apply, ruleset, conntrack, log, forwarding, sysctl, doctor or demo (see 'nfnet --help')");
        UsageLines().Should().Equal("nfnet: 'nfnet' needs a command: redirect, forward, masquerade, snat, tproxy, list, apply, ruleset, conntrack, log, forwarding, sysctl, doctor or demo (see 'nfnet --help')");
    }

    /// <summary>D16: "forward ad ..." gave one line per word after the typo (7 for a whole forward); now one line, with the likely command.</summary>
    [Fact]
    public void An_unknown_subcommand_is_one_line_however_many_words_follow_it()
    {
        UsageLines("forward", "ad", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22", "--masquerade").Should().Equal(
            "nfnet: 'ad' is not a command of 'nfnet forward' (did you mean 'add'?): use add or remove (see 'nfnet forward --help')");
        UsageLines("conntrack").Should().Equal("nfnet: 'nfnet conntrack' needs a command: list, delete, watch or stats (see 'nfnet conntrack --help')");
    }

    /// <summary>D16: "--proto --port 80 ..." took "--port" as the protocol and shifted the rest (3 lines); now one line about --proto.</summary>
    [Fact]
    public void An_option_without_its_value_is_one_line_even_when_the_next_option_was_taken_as_the_value()
    {
        UsageLines("redirect", "add", "--proto", "--port", "80", "--to-port", "8080").Should().Equal(
            "nfnet: --proto needs a value (tcp|udp|both): '--port' that follows is an option, not a value (see 'nfnet redirect add --help')");
        UsageLines("redirect", "add", "--port", "80", "--to-port", "8080", "--proto").Should().Equal(
            "nfnet: --proto needs a value (tcp|udp|both) (see 'nfnet redirect add --help')");
        UsageLines("list", "--table", "--json").Should().Equal(
            "nfnet: --table needs a value (NAME): '--json' that follows is an option, not a value (see 'nfnet list --help')");
        UsageLines("list", "--netns").Should().Equal("nfnet: --netns needs a value (NAME) (see 'nfnet list --help')");
    }

    /// <summary>An empty FILE gave the runtime's "The value cannot be an empty string." without naming FILE (found by the bad-input suite).</summary>
    [Fact]
    public void An_empty_file_argument_is_one_line_naming_FILE()
    {
        UsageLines("ruleset", "restore", "").Should().Equal("nfnet: FILE: is empty: name a file, or - for standard input");
        UsageLines("ruleset", "save", "").Should().Equal("nfnet: FILE: is empty: name a file, or - for standard output");
    }

    [Fact]
    public void Missing_options_and_arguments_are_named_one_line_each()
    {
        UsageLines("redirect", "add").Should().Equal(
            "nfnet: --proto is required: give --proto tcp|udp|both (see 'nfnet redirect add --help')",
            "nfnet: --port is required: give --port P[-Q] (see 'nfnet redirect add --help')",
            "nfnet: --to-port is required: give --to-port T (see 'nfnet redirect add --help')");
        // D16: "sysctl set KEY" did not say that VALUE was missing.
        UsageLines("sysctl", "set", "net.ipv4.ip_forward").Should().Equal(
            "nfnet: VALUE is missing: nfnet sysctl set KEY VALUE (see 'nfnet sysctl set --help')");
        UsageLines("sysctl", "get").Should().Equal("nfnet: KEY is missing: nfnet sysctl get KEY [options] (see 'nfnet sysctl get --help')");
        UsageLines("redirect", "add", "--proto", "tcp", "--proto", "udp", "--port", "80", "--to-port", "8080").Should().Equal(
            "nfnet: --proto is given 2 times: give it once (see 'nfnet redirect add --help')");
    }

    [Fact]
    public void Unknown_options_get_a_suggestion_and_their_value_no_line_of_its_own()
    {
        UsageLines("forward", "add", "--proto", "tcp", "--port", "22", "--to", "10.0.0.1", "--masqerade").Should().Equal(
            "nfnet: '--masqerade' is not an option of 'nfnet forward add' (did you mean '--masquerade'?) (see 'nfnet forward add --help')");
        UsageLines("list", "--prot", "tcp").Should().Equal("nfnet: '--prot' is not an option of 'nfnet list' (see 'nfnet list --help')");
        UsageLines("list", "extra").Should().Equal("nfnet: 'extra' is not an argument of 'nfnet list': nfnet list [options] (see 'nfnet list --help')");
    }

    /// <summary>D16: "--format text --json" silently printed JSON.</summary>
    [Fact]
    public void Contradictory_options_are_refused()
    {
        UsageLines("ruleset", "show", "--format", "text", "--json").Should().Equal(
            "nfnet: --json contradicts --format 'text' (--json means --format json): give one of them");
        UsageLines("ruleset", "show", "--json", "--format", "netlink").Should().ContainSingle().Which.Should().Contain("--json contradicts --format 'netlink'");
        NfnetCommand.Create().Parse(new[] { "ruleset", "show", "--format", "json", "--json" }).Errors.Should().BeEmpty();
        NfnetCommand.Create().Parse(new[] { "ruleset", "show", "--json" }).Errors.Should().BeEmpty();
    }

    /// <summary>D16: "--source a,,b" dropped the empty entry and went on.</summary>
    [Fact]
    public void An_empty_entry_in_a_list_is_refused_naming_the_option()
    {
        UsageLines("redirect", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--source", "10.0.0.0/8,,10.1.0.0/16").Should().Equal(
            "nfnet: --source: '10.0.0.0/8,,10.1.0.0/16' has an empty entry: separate prefixes with single commas (10.0.1.0/24,10.0.2.0/24)");
        UsageLines("redirect", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--source", "10.0.0.0/8,").Should().ContainSingle()
            .Which.Should().StartWith("nfnet: --source: '10.0.0.0/8,' has an empty entry");
        UsageLines("redirect", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080", "--source", "").Should().ContainSingle()
            .Which.Should().StartWith("nfnet: --source: '' is not an address or a prefix");
    }

    /// <summary>D15: a newline inside a value cut the line ("nfnet: --iif: interface name 'eth"); values are escaped and bounded wherever a line quotes them.</summary>
    [Fact]
    public void A_value_with_a_newline_or_a_megabyte_stays_one_complete_bounded_line()
    {
        UsageLines("redirect", "add", "--proto", "tc\np", "--port", "8\n0", "--to-port", "80").Should().Equal(
            "nfnet: --proto: 'tc\\np' is not a protocol: use tcp, udp or both",
            "nfnet: --port: '8\\n0' is not a port (80) or a port range (8000-8100); ports are 1-65535");
        string huge = new('x', 1 << 20);
        string[] lines = UsageLines("forward", "add", "--proto", huge, "--port", "80", "--to", huge, "--table", huge, "--netns", huge);
        lines.Should().HaveCount(3).And.OnlyContain(l => l.Length < 300, "a message quotes at most 64 characters of a value");
        lines[0].Should().StartWith("nfnet: --proto: 'xxxx").And.Contain("…' (1048576 characters) is not a protocol");
    }

    [Fact]
    public void A_library_refusal_with_a_newline_in_the_value_is_one_complete_line()
    {
        var error = new StringWriter();
        ErrorReporter.Report(new UsageException("--iif: " + ErrorReporter.WithoutParameterSuffix(
            Assert.Throws<ArgumentException>(() => new global::Netfilter.Net.Nat.RedirectRule(global::Netfilter.Net.Nat.TransportProtocol.Tcp, global::Netfilter.Net.Nat.PortRange.Single(80), 8080, inputInterface: "eth\n0")).Message)), error, verbose: false);
        error.ToString().Should().Be("nfnet: --iif: 'eth\\n0' is not an interface name: it contains '\\n', which Linux does not allow in names\n");
    }

    [Fact]
    public void Only_what_dotnet_appends_is_taken_off_a_library_message()
    {
        ErrorReporter.WithoutParameterSuffix(new ArgumentException("bad 'a\nb'", "p").Message).Should().Be("bad 'a\nb'");
        ErrorReporter.WithoutParameterSuffix(new ArgumentOutOfRangeException("toPort", 0, "a port is 1–65535").Message).Should().Be("a port is 1–65535");
        ErrorReporter.WithoutParameterSuffix(new ArgumentException("no parameter").Message).Should().Be("no parameter");
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
            "log --table t --json --since-start --accounting --timestamps",
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
