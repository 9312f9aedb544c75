using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Diagnostics;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// nfnet doctor [--port P] [--table NAME] [--json]: explains why a redirect or forward does not
/// work. The library does the checking (<see cref="Doctor.RunAsync"/>); this prints each finding
/// with what is wrong, why, and the command that fixes it. Exit code 1 when any finding is an error.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Explain why a redirect or forward does not work: each problem with why it matters and the command that fixes it (exit code 1 when there is an error)");
        var port = new Option<ushort?>("--port")
        {
            Description = "Examine only the rules whose public ports include P",
            HelpName = "P",
            CustomParser = r => ValueParsers.Port("--port")(r),
        };
        Option<string> table = CommonOptions.Table();
        Option<bool> json = CommonOptions.Json();
        command.Options.Add(port);
        command.Options.Add(table);
        command.Options.Add(json);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            string tableName = context.GetValue(table);
            ushort? only = context.Parse.GetValue(port);
            IReadOnlyList<DoctorFinding> findings = await Doctor.RunAsync(new DoctorOptions
            {
                Namespace = context.Namespace,
                Table = tableName,
                Port = only,
            }, cancellationToken).ConfigureAwait(false);
            int errors = findings.Count(f => f.Severity == DoctorSeverity.Error);
            int warnings = findings.Count(f => f.Severity == DoctorSeverity.Warning);
            if (context.GetValue(json))
            {
                JsonOutput.Write(context.Output, new DoctorJson
                {
                    Namespace = context.NamespaceName,
                    Table = tableName,
                    Port = only,
                    Errors = errors,
                    Warnings = warnings,
                    Findings = findings.Select(DoctorFindingJson.From).ToList(),
                }, JsonOutput.Indented.DoctorJson);
            }
            else
            {
                string scope = $"table inet {tableName} in {context.Where}" + (only is ushort p ? $", port {p}" : string.Empty);
                if (findings.Count == 0)
                {
                    context.Output.WriteLine($"no problems found ({scope})");
                }
                foreach (DoctorFinding finding in findings)
                {
                    context.Output.WriteLine($"{DoctorText.Severity(finding.Severity)} {finding.Code}: {finding.Problem}");
                    if (finding.Rule is not null)
                    {
                        context.Output.WriteLine($"  rule: {finding.Rule}");
                    }
                    context.Output.WriteLine($"  why:  {finding.Why}");
                    context.Output.WriteLine($"  fix:  {FixCommands.Render(finding)}");
                }
                if (findings.Count > 0)
                {
                    context.Output.WriteLine($"{errors} error(s), {warnings} warning(s), {findings.Count - errors - warnings} note(s) ({scope})");
                }
            }
            return errors > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
