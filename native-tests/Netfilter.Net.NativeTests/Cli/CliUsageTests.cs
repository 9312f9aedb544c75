using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Cli;

/// <summary>
/// nfnet's usage contract: a bad command line exits 2 with one line per bad argument, each naming
/// the option and what would be right; no stack trace unless --verbose; help exits 0. These
/// fail before any kernel access, so they need no privileges.
/// </summary>
public sealed class CliUsageTests
{
    [Fact]
    public void No_command_is_bad_usage_with_a_pointer_to_help()
    {
        string[] errors = Nfnet.Run().ShouldFail(2);
        errors[0].Should().Contain("nfnet --help");
    }

    [Fact]
    public void An_unknown_command_is_bad_usage()
    {
        Nfnet.Run("frobnicate").ShouldFail(2)[0].Should().Contain("frobnicate");
    }

    [Fact]
    public void Each_bad_argument_gets_its_own_line_naming_its_option()
    {
        string[] errors = Nfnet.Run("redirect", "add", "--proto", "sctp", "--port", "0", "--to-port", "99999", "--source", "10.0.1.5/24", "--source", "nonsense")
            .ShouldFail(2, lines: 5);
        errors.Should().Equal(
            "nfnet: --proto: 'sctp' is not a protocol: use tcp, udp or both",
            "nfnet: --port: '0' is not a port (80) or a port range (8000-8100); ports are 1-65535",
            "nfnet: --to-port: '99999' is not a port: use a number from 1 to 65535",
            "nfnet: --source: '10.0.1.5/24' has host bits set: did you mean 10.0.1.0/24?",
            "nfnet: --source: 'nonsense' is not an address or a prefix (10.0.1.0/24, fd01::/64)");
    }

    [Fact]
    public void Missing_required_options_are_each_reported()
    {
        string[] errors = Nfnet.Run("redirect", "add").ShouldFail(2, lines: 3);
        errors[0].Should().Contain("--proto").And.Contain("nfnet redirect add --help");
        errors[1].Should().Contain("--port");
        errors[2].Should().Contain("--to-port");
    }

    [Theory]
    [InlineData("2001:db8::10:22", "put an IPv6 address in brackets")]
    [InlineData("[2001:db8::10:22", "no closing ']'")]
    [InlineData("10.0.2.2:ssh", "'ssh' in '10.0.2.2:ssh' is not a port")]
    [InlineData("10.2:22", "is not ADDR or ADDR:PORT")]
    [InlineData("[10.0.2.2]:22", "in brackets is not an IPv6 address")]
    public void A_malformed_forward_target_says_how_to_write_it(string target, string expected)
    {
        Nfnet.Run("forward", "add", "--proto", "tcp", "--port", "2222", "--to", target).ShouldFail(2)[0]
            .Should().StartWith("nfnet: --to: ").And.Contain(expected);
    }

    [Fact]
    public void A_value_the_library_refuses_is_bad_usage_naming_the_option()
    {
        // Parses fine, but an IPv4 source prefix cannot go with an IPv6 target: DnatRule refuses it.
        Nfnet.Run("forward", "add", "--proto", "tcp", "--port", "2222", "--to", "[fd02::2]:22", "--source", "10.0.1.0/24").ShouldFail(2)[0]
            .Should().StartWith("nfnet: --source: source prefix 10.0.1.0/24 is IPv4 but the target fd02::2 is IPv6");
    }

    [Fact]
    public void Tproxy_takes_tcp_or_udp_and_one_port()
    {
        string[] errors = Nfnet.Run("tproxy", "add", "--proto", "both", "--port", "80-90", "--to-port", "8080", "--mark", "0").ShouldFail(2, lines: 3);
        errors[0].Should().Be("nfnet: --proto: 'both' is not a protocol: use tcp or udp");
        errors[1].Should().Be("nfnet: --port: '80-90' is not a port: use a number from 1 to 65535");
        errors[2].Should().StartWith("nfnet: --mark: the mark selects the policy route, so it cannot be 0");
    }

    [Fact]
    public void A_missing_namespace_is_bad_usage_naming_netns_and_the_fix()
    {
        Nfnet.Run("list", "--netns", "nfnet-test-no-such-namespace").ShouldFail(2)[0]
            .Should().Be("nfnet: --netns: no network namespace named 'nfnet-test-no-such-namespace' (/run/netns/nfnet-test-no-such-namespace does not exist): create it with 'ip netns add nfnet-test-no-such-namespace'.");
        Nfnet.Run("list", "--netns", "../etc").ShouldFail(2)[0].Should().StartWith("nfnet: --netns: '../etc' is not a namespace name");
    }

    [Fact]
    public void Verbose_adds_the_stack_trace_after_the_line()
    {
        Tool.Result result = Nfnet.Run("list", "--netns", "nfnet-test-no-such-namespace", "--verbose");
        result.ExitCode.Should().Be(2);
        result.StandardError.Should().StartWith("nfnet: --netns: no network namespace").And.Contain("   at ");
    }

    [Theory]
    [InlineData("ruleset", "show", "--format", "yaml")]
    [InlineData("sysctl", "get", "net..ipv4")]
    [InlineData("conntrack", "list", "--proto", "tcpp")]
    [InlineData("conntrack", "list", "--dport", "0")]
    [InlineData("snat", "add", "--oif", "wan", "--to", "10.0.2.9-10.0.2")]
    [InlineData("list", "--table", "no spaces")]
    [InlineData("demo", "--netns", "x")]
    public void Other_bad_values_are_bad_usage_with_one_line(params string[] arguments)
    {
        Nfnet.Run(arguments).ShouldFail(2);
    }

    [Fact]
    public void Help_lists_every_command_and_exits_0()
    {
        Tool.Result help = Nfnet.Run("--help");
        help.ExitCode.Should().Be(0);
        foreach (string command in new[] { "redirect", "forward", "masquerade", "snat", "tproxy", "list", "ruleset", "conntrack", "forwarding", "sysctl", "doctor", "demo" })
        {
            help.StandardOutput.Should().Contain(command);
        }
        Tool.Result sub = Nfnet.Run("forward", "add", "--help");
        sub.ExitCode.Should().Be(0);
        sub.StandardOutput.Should().Contain("--to").And.Contain("ADDR[:PORT]").And.Contain("--masquerade").And.Contain("--hairpin").And.Contain("--netns");
    }
}
