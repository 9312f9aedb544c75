using System;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Collections.Generic;
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
        root.Subcommands.Add(ForwardingCommand.Create());
        root.Subcommands.Add(SysctlCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
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

    /// <summary>One line per problem, each naming the fix (nfnet's own parsers say it; for System.CommandLine's messages, the help to read).</summary>
    internal static void ReportUsageErrors(ParseResult parse, TextWriter error)
    {
        string help = $"see '{CommandPath(parse.CommandResult)} --help'";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // "Unrecognized command 'x'" says it all; "Required command was not provided" beside it is noise.
        bool onlyMissingCommand = parse.Errors.Count == 1;
        foreach (ParseError e in parse.Errors)
        {
            string message = ErrorReporter.OneLine(e.Message);
            if (!onlyMissingCommand && e.SymbolResult is CommandResult && message.StartsWith("Required command", StringComparison.Ordinal))
            {
                continue;
            }
            if (!seen.Add(message))
            {
                continue;
            }
            bool ours = message.StartsWith("--", StringComparison.Ordinal) || message.StartsWith("KEY:", StringComparison.Ordinal);
            error.WriteLine(ErrorReporter.Prefix + (ours ? message : $"{message.TrimEnd('.')}: {help}"));
        }
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Insert(0, c.Command is RootCommand ? "nfnet" : c.Command.Name);
            }
        }
        return string.Join(' ', names);
    }
}
