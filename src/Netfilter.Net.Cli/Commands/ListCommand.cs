using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// nfnet list [--table NAME] [--stats] [--json]: the typed rules that are whole in the table, read back from
/// the kernel (<see cref="NatTable.InspectAsync"/>), one canonical line each; then partial rules,
/// stale hairpin rules, foreign pieces and layout problems as "# ..." lines, so the output stays a
/// list of rules that a script can read back. With --stats each rule is followed by what its
/// counters say it translated (<see cref="NatRuleStatistics"/>), as a "# ..." comment on its line
/// or as packets, bytes and counts in its JSON object.
/// </summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the typed rules of the table (redirects, forwards, masquerade, snat, tproxy), read back from the kernel");
        Option<string> table = CommonOptions.Table();
        Option<bool> json = CommonOptions.Json();
        var stats = new Option<bool>("--stats")
        {
            Description = "Show what each rule translated: new connections (packets for tproxy) and their bytes, from the kernel's counters",
        };
        command.Options.Add(table);
        command.Options.Add(stats);
        command.Options.Add(json);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            string name = context.GetValue(table);
            using var nat = new NatTable(name, new NatTableOptions { Namespace = context.Namespace });
            NatTableReport report = await nat.InspectAsync(cancellationToken).ConfigureAwait(false);
            if (report.Ownership == NatTableOwnership.Foreign)
            {
                throw new CommandFailedException(report.NotOwnedReason!);
            }
            bool withStatistics = context.GetValue(stats);
            if (context.GetValue(json))
            {
                JsonOutput.Write(context.Output, new NatRuleListJson
                {
                    Namespace = context.NamespaceName,
                    Table = name,
                    Rules = withStatistics ? report.Statistics.Select(NatRuleJson.From).ToList() : report.Rules.Select(NatRuleJson.From).ToList(),
                    Partial = report.Partial.Select(p => new NatPartialRuleJson { Text = p.Rule.ToString(), Problems = p.Problems }).ToList(),
                    Stale = report.Stale.Select(r => r.ToString()).ToList(),
                    Foreign = report.Foreign,
                    Layout = report.LayoutProblems,
                }, JsonOutput.Indented.NatRuleListJson);
                return ExitCodes.Success;
            }
            if (report.Rules.Count == 0 && report.Partial.Count == 0 && report.Foreign.Count == 0)
            {
                context.Error.WriteLine($"no rules in table inet {name} ({context.Where})");
            }
            // The rules, then everything else as comments: the output stays a list of rules.
            context.Output.Write(report.ToString(withStatistics));
            return ExitCodes.Success;
        });
        return command;
    }
}
