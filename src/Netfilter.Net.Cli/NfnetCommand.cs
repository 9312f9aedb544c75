using System;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.IO;
using Netfilter.Net.Cli.Commands;
using Netfilter.Net.Cli.Infrastructure;

namespace Netfilter.Net.Cli;

/// <summary>
/// The nfnet command tree, and the one place where a bad command line becomes exit code 2 with
/// one line per problem on stderr (System.CommandLine's default would print help and exit 1).
/// </summary>
internal static class NfnetCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("nfnet: port redirection, forwarding, conntrack and diagnosis on Linux netfilter, through Netfilter.Net (no nft, iptables or conntrack needed)");
        root.Options.Add(CommonOptions.Netns);
        root.Options.Add(CommonOptions.Verbose);
        root.Subcommands.Add(RedirectCommand.Create());
        root.Subcommands.Add(ForwardCommand.Create());
        root.Subcommands.Add(MasqueradeCommand.Create());
        root.Subcommands.Add(SnatCommand.Create());
        root.Subcommands.Add(TproxyCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(ApplyCommand.Create());
        root.Subcommands.Add(RulesetCommand.Create());
        root.Subcommands.Add(ConntrackCommand.Create());
        root.Subcommands.Add(LogCommand.Create());
        root.Subcommands.Add(ForwardingCommand.Create());
        root.Subcommands.Add(SysctlCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        ContradictoryOptions.AddTo(root);
        OptionsTakenAsValues.AddTo(root);
        return root;
    }

    public static int Run(string[] args)
    {
        ParseResult parse = Create().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Action is ParseErrorAction)
        {
            ReportUsageErrors(parse, Console.Error);
            return ExitCodes.Usage;
        }
        // nfnet handles Ctrl-C and SIGTERM itself (CommandAction), so that commands clean up and choose their exit code.
        return parse.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>One line per problem, each starting with what it is about and naming the fix (<see cref="UsageErrors"/>).</summary>
    internal static void ReportUsageErrors(ParseResult parse, TextWriter error)
    {
        foreach (string line in UsageErrors.Describe(parse))
        {
            error.WriteLine(ErrorReporter.Prefix + ErrorReporter.OneLine(line));
        }
    }
}
