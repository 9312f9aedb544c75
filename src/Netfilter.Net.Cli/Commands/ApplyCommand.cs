using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.IO;
using System.Text;
using System.Threading;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// nfnet apply -f FILE [--dry-run] [--table NAME]: makes the table hold exactly the rules of FILE
/// ('-': standard input), in one transaction (<see cref="NatTable.ApplyAsync"/>): what is not in
/// the file is removed, what is missing is added, partial rules are made whole, pieces no typed
/// rule accounts for are removed, and nothing is sent when the table already holds exactly those
/// rules. The file is what <c>nfnet list</c> prints (<see cref="NatRuleFile"/>). Every bad line is
/// reported with its number before anything is sent. --dry-run prints the difference
/// (<see cref="NatTable.PlanAsync"/>) and changes nothing.
/// </summary>
internal static class ApplyCommand
{
    /// <summary>How many problem lines are printed before the rest is only counted.</summary>
    private const int MaxProblemsShown = 100;

    /// <summary>How many of the library's warnings are printed before the rest is only counted.</summary>
    private const int MaxWarningsShown = 5;

    public static Command Create()
    {
        var command = new Command("apply", "Make the table hold exactly the rules of a file (one rule per line, as 'nfnet list' prints them), in one transaction");
        var file = new Option<string>("--file", "-f")
        {
            Description = "The file of rules ('-': standard input); '#' starts a comment line",
            HelpName = "FILE",
            Required = true,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be added, removed and repaired, and change nothing" };
        Option<string> table = CommonOptions.Table();
        command.Options.Add(file);
        command.Options.Add(dryRun);
        command.Options.Add(table);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            string path = context.GetValue(file);
            NatRuleFile rules = Read(path);
            if (rules.Problems.Count > 0)
            {
                for (int i = 0; i < rules.Problems.Count && i < MaxProblemsShown; i++)
                {
                    context.Error.WriteLine(ErrorReporter.Prefix + ErrorReporter.OneLine(rules.Problems[i]));
                }
                string more = rules.Problems.Count > MaxProblemsShown ? $" ({rules.Problems.Count - MaxProblemsShown} more not shown)" : string.Empty;
                context.Error.WriteLine($"{ErrorReporter.Prefix}{rules.Name}: {rules.Problems.Count} {(rules.Problems.Count == 1 ? "problem" : "problems")}{more}: nothing was applied");
                return ExitCodes.Failure;
            }
            string tableName = context.GetValue(table);
            string where = context.NamespaceName is null ? $"table inet {tableName}" : $"table inet {tableName} of namespace {context.NamespaceName}";
            using var nat = new NatTable(tableName, new NatTableOptions { Namespace = context.Namespace });
            if (context.GetValue(dryRun))
            {
                NatApplyResult plan = await nat.PlanAsync(rules.Rules, cancellationToken).ConfigureAwait(false);
                WriteDifference(context.Output, plan, rules);
                context.Output.WriteLine($"dry run for {where}: {plan}");
                WriteWarnings(context, plan);
                return ExitCodes.Success;
            }
            // Interrupted before the transaction is sent, nothing was applied; once it is sent, the
            // command waits for the kernel's answer and says what was applied.
            return await context.ChangeAsync(async () =>
            {
                NatApplyResult result = await nat.ApplyAsync(rules.Rules, CancellationToken.None).ConfigureAwait(false);
                context.Output.WriteLine(result.Changed
                    ? $"applied {rules.Name} to {where}: {result}"
                    : $"{where} already holds exactly the rules of {rules.Name} ({result.Unchanged}): nothing sent");
                WriteWarnings(context, result);
                return ExitCodes.Success;
            }, cancellationToken).ConfigureAwait(false);
        }, interrupted: "nothing was applied");
        return command;
    }

    /// <summary>Reads the file (or standard input), mapping "cannot read" to one line naming the path.</summary>
    private static NatRuleFile Read(string path)
    {
        if (path == "-")
        {
            using var stdin = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
            return NatRuleFile.Read(stdin, "stdin");
        }
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            return NatRuleFile.Read(reader, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot read {path}: {ErrorReporter.WithoutParameterSuffix(e.Message)}; nothing was applied", e);
        }
    }

    /// <summary>
    /// The difference, one line each, like a diff: "+ RULE" to add, "- RULE" to remove,
    /// "~ RULE" to make whole again, "- foreign: PIECE" to remove, "# table: ..." for the layout.
    /// Rules to add carry the line they come from.
    /// </summary>
    private static void WriteDifference(TextWriter output, NatApplyResult plan, NatRuleFile rules)
    {
        foreach (string layout in plan.LayoutRepaired)
        {
            output.WriteLine("# table: " + layout);
        }
        foreach (string piece in plan.ForeignRemoved)
        {
            output.WriteLine("- foreign: " + piece);
        }
        foreach (NatRule rule in plan.Removed)
        {
            output.WriteLine("- " + rule);
        }
        foreach (NatRule rule in plan.Repaired)
        {
            output.WriteLine("~ " + rule + Line(rules, rule));
        }
        foreach (NatRule rule in plan.Added)
        {
            output.WriteLine("+ " + rule + Line(rules, rule));
        }
    }

    private static string Line(NatRuleFile rules, NatRule rule) =>
        rules.LineOf(rule.ToString()) is int line ? $"  # {rules.Name}:{line}" : string.Empty;

    /// <summary>A warning in the library's words, with the nfnet command that fixes it where there is one ("... or 'nfnet forwarding on'.").</summary>
    internal static string WarningText(NatWarning warning, string? namespaceName) =>
        DoctorFix.For(warning, namespaceName) is DoctorFix fix ? $"{warning.Message.TrimEnd('.')} or '{FixCommands.Command(fix)}'." : warning.Message;

    /// <summary>The library's warnings on stderr: the first few (ten thousand forwards with forwarding off would each say so), then how many more.</summary>
    private static void WriteWarnings(CommandContext context, NatApplyResult result)
    {
        for (int i = 0; i < result.Warnings.Count && i < MaxWarningsShown; i++)
        {
            context.Error.WriteLine("warning: " + ErrorReporter.OneLine(WarningText(result.Warnings[i], context.NamespaceName)));
        }
        if (result.Warnings.Count > MaxWarningsShown)
        {
            context.Error.WriteLine($"warning: ... and {result.Warnings.Count - MaxWarningsShown} more warnings like these");
        }
    }
}
