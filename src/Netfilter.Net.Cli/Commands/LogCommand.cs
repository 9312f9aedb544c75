using System.CommandLine;
using System.Threading.Tasks;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// nfnet log [--table T] [--json] [--since-start] [--accounting] [--timestamps]: the access log of
/// a table (<see cref="NatAccessLog"/>), one line per connection as it ends, until Ctrl-C. Shaped
/// as <c>conntrack watch</c>: a stream, a clean exit on Ctrl-C, JSON lines with --json.
/// </summary>
internal static class LogCommand
{
    public static Command Create()
    {
        var command = new Command("log", "Print one line per connection the table's forwards and redirects translated, as each ends (client, public port, rule, target, duration, bytes each way), until Ctrl-C; says so when the kernel dropped events");
        Option<string> table = CommonOptions.Table();
        Option<bool> json = CommonOptions.Json();
        json.Description = "Print one JSON object per line (see the README)";
        var sinceStart = new Option<bool>("--since-start")
        {
            Description = "Also report the connections already open (their start time is unknown unless conntrack timestamps were on when they began)",
        };
        var accounting = new Option<bool>("--accounting")
        {
            Description = "Turn on conntrack accounting (net.netfilter.nf_conntrack_acct=1) in the namespace first, so connections that start from now on carry byte counts; it stays on",
        };
        var timestamps = new Option<bool>("--timestamps")
        {
            Description = "Turn on conntrack timestamps (net.netfilter.nf_conntrack_timestamp=1) in the namespace first, so start and end times are the kernel's; it stays on",
        };
        command.Options.Add(table);
        command.Options.Add(json);
        command.Options.Add(sinceStart);
        command.Options.Add(accounting);
        command.Options.Add(timestamps);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            string name = context.GetValue(table);
            bool asJson = context.GetValue(json);
            using var nat = new NatTable(name, new NatTableOptions { Namespace = context.Namespace });
            using var conntrack = new ConntrackClient(context.Namespace);
            var log = new NatAccessLog(nat, conntrack, new SysctlClient(context.Namespace));
            var options = new NatAccessLogOptions
            {
                IncludeOpen = context.GetValue(sinceStart),
                EnableAccounting = context.GetValue(accounting),
                EnableTimestamps = context.GetValue(timestamps),
            };
            try
            {
                await foreach (NatAccessLogItem item in log.ReadAsync(options, cancellationToken).ConfigureAwait(false))
                {
                    if (asJson)
                    {
                        JsonOutput.Write(context.Output, NatAccessJson.From(item, context.NamespaceName, name), JsonOutput.Lines.NatAccessJson);
                    }
                    else if (item.Type == NatAccessLogItemType.Started)
                    {
                        // The notice goes to stderr: stdout stays one line per connection.
                        context.Error.WriteLine($"logging the connections of table inet {name} in {context.Where} (Ctrl-C to stop); {Open(item, options.IncludeOpen)}; {Accounting(item.Accounting)}");
                    }
                    else
                    {
                        context.Output.WriteLine(item.Type == NatAccessLogItemType.Lost ? "[lost] " + item : item.ToString());
                    }
                    context.Output.Flush();
                }
            }
            catch (System.OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C is how a log ends.
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Open(NatAccessLogItem item, bool included) => included
        ? $"{item.OpenConnections} connection(s) already open are included"
        : $"{item.OpenConnections} connection(s) already open are left out (--since-start includes them)";

    private static string Accounting(bool? on) => on switch
    {
        true => "accounting on: byte counts for connections that start from now on",
        false => "accounting off: bytes unknown (--accounting turns it on)",
        null => "accounting unknown",
    };
}
