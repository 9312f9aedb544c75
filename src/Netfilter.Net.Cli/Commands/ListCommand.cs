using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Commands;

/// <summary>nfnet list [--table NAME] [--json]: the typed rules of the table, read back from the kernel (<see cref="NatTable.ListAsync"/>).</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the typed rules of the table (redirects, forwards, masquerade, snat, tproxy), read back from the kernel");
        Option<string> table = CommonOptions.Table();
        Option<bool> json = CommonOptions.Json();
        command.Options.Add(table);
        command.Options.Add(json);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            string name = context.GetValue(table);
            using var nat = new NatTable(name, new NatTableOptions { Namespace = context.Namespace });
            IReadOnlyList<NatRule> rules = await nat.ListAsync(cancellationToken).ConfigureAwait(false);
            if (context.GetValue(json))
            {
                JsonOutput.Write(context.Output, new NatRuleListJson
                {
                    Namespace = context.NamespaceName,
                    Table = name,
                    Rules = rules.Select(NatRuleJson.From).ToList(),
                }, JsonOutput.Indented.NatRuleListJson);
                return ExitCodes.Success;
            }
            if (rules.Count == 0)
            {
                context.Error.WriteLine($"no rules in table inet {name} ({context.Where})");
            }
            foreach (NatRule rule in rules)
            {
                context.Output.WriteLine(rule.ToString());
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
