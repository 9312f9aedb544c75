using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// nfnet conntrack list|delete|watch|stats: the connection tracking table of the namespace
/// (<see cref="ConntrackClient"/>), with each entry's NAT translation in plain words.
/// </summary>
internal static class ConntrackCommand
{
    public static Command Create()
    {
        var command = new Command("conntrack", "List, delete or watch tracked connections (with their NAT translation), and show the table's statistics");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(Watch());
        command.Subcommands.Add(Stats());
        return command;
    }

    /// <summary>--proto, --src, --dst, --sport, --dport: conditions on the original direction (what the client sent).</summary>
    private sealed class FilterOptions
    {
        public Option<ProtocolType?> Protocol { get; } = new("--proto")
        {
            Description = "tcp, udp, icmp, icmpv6, sctp, dccp, udplite, gre, or a protocol number",
            HelpName = "P",
            CustomParser = ParseProtocol,
        };

        public Option<IPAddress?> Source { get; } = new("--src") { Description = "The client's address (original source)", HelpName = "A", CustomParser = ValueParsers.Address("--src") };

        public Option<IPAddress?> Destination { get; } = new("--dst") { Description = "The address the client connected to (original destination)", HelpName = "A", CustomParser = ValueParsers.Address("--dst") };

        public Option<ushort?> SourcePort { get; } = new("--sport") { Description = "The client's port", HelpName = "P", CustomParser = r => ValueParsers.Port("--sport")(r) };

        public Option<ushort?> DestinationPort { get; } = new("--dport") { Description = "The port the client connected to", HelpName = "P", CustomParser = r => ValueParsers.Port("--dport")(r) };

        public void AddTo(Command command)
        {
            command.Options.Add(Protocol);
            command.Options.Add(Source);
            command.Options.Add(Destination);
            command.Options.Add(SourcePort);
            command.Options.Add(DestinationPort);
        }

        public ConntrackFilter Build(CommandContext context)
        {
            IPAddress? source = context.Parse.GetValue(Source);
            IPAddress? destination = context.Parse.GetValue(Destination);
            if (source is not null && destination is not null && source.AddressFamily != destination.AddressFamily)
            {
                throw new UsageException($"--src {source} and --dst {destination} are of different families: no entry could match");
            }
            return new ConntrackFilter
            {
                Protocol = context.Parse.GetValue(Protocol),
                OriginalSource = source,
                OriginalDestination = destination,
                OriginalSourcePort = context.Parse.GetValue(SourcePort),
                OriginalDestinationPort = context.Parse.GetValue(DestinationPort),
            };
        }

        private static ProtocolType? ParseProtocol(ArgumentResult result)
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (ConntrackText.TryParseProtocol(text, out ProtocolType protocol))
            {
                return protocol;
            }
            result.AddError($"--proto: {InputText.Quote(text)} is not a protocol: use tcp, udp, icmp, icmpv6, sctp, dccp, udplite, gre or a number 0-255");
            return null;
        }
    }

    private static Command List()
    {
        var command = new Command("list", "List tracked connections, each with its translation (where the client was going, where it was sent)");
        var filter = new FilterOptions();
        filter.AddTo(command);
        Option<bool> json = CommonOptions.Json();
        command.Options.Add(json);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            ConntrackFilter f = filter.Build(context);
            using var conntrack = new ConntrackClient(context.Namespace);
            // Each entry is written as the dump decodes it: memory does not grow with the table.
            using ConntrackOutput output = ConntrackOutput.Open(context.Output, context.GetValue(json), indented: true);
            output.BeginList(context.NamespaceName);
            try
            {
                await foreach (ConntrackEntry entry in conntrack.DumpAsync(f, cancellationToken).ConfigureAwait(false))
                {
                    output.Entry(entry);
                }
            }
            catch (NetlinkDumpInterruptedException e)
            {
                output.Flush();
                throw new CommandFailedException("the conntrack table changed while it was listed, so the list may miss entries or show one twice: run the command again", e);
            }
            output.EndList();
            if (!context.GetValue(json))
            {
                context.Error.WriteLine($"{output.Count} {(output.Count == 1 ? "entry" : "entries")} in {context.Where}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete()
    {
        var command = new Command("delete", "Delete the tracked connections that match the filters (at least one), e.g. so a changed forward takes effect for existing UDP flows");
        var filter = new FilterOptions();
        filter.AddTo(command);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            ConntrackFilter f = filter.Build(context);
            if (f.IsEmpty)
            {
                throw new UsageException("conntrack delete needs at least one of --proto, --src, --dst, --sport, --dport (without them it would delete every entry)");
            }
            using var conntrack = new ConntrackClient(context.Namespace);
            int deleted = await conntrack.DeleteAsync(f, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"deleted {deleted} {(deleted == 1 ? "entry" : "entries")} in {context.Where}");
            return ExitCodes.Success;
        }, interrupted: "the entries deleted before the interruption stay deleted, the others are still there");
        return command;
    }

    private static Command Watch()
    {
        var command = new Command("watch", "Print connections as they come, change and go, until Ctrl-C; says so when the kernel dropped events");
        var filter = new FilterOptions();
        filter.AddTo(command);
        Option<bool> json = CommonOptions.Json();
        json.Description = "Print one JSON object per line (see the README)";
        command.Options.Add(json);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            ConntrackFilter f = filter.Build(context);
            using var conntrack = new ConntrackClient(context.Namespace);
            using ConntrackOutput output = ConntrackOutput.Open(context.Output, context.GetValue(json), indented: false);
            // The snapshot streams too (StreamSnapshot): its entries are written as they are decoded.
            var options = new ConntrackEventOptions { Filter = f.IsEmpty ? null : f, StreamSnapshot = true };
            bool first = true;
            try
            {
                await foreach (ConntrackEvent e in conntrack.WatchAsync(options, cancellationToken).ConfigureAwait(false))
                {
                    switch (e.Type)
                    {
                        case ConntrackEventType.Snapshot:
                            output.BeginSnapshot(first ? $"watching {context.Where} (Ctrl-C to stop); the table now:" : "re-reading the table:");
                            first = false;
                            break;
                        case ConntrackEventType.Existing:
                            output.Entry(e.Entry!, "[existing] ");
                            break;
                        case ConntrackEventType.SnapshotEnd:
                            output.EndSnapshot($"{output.Count} {(output.Count == 1 ? "entry" : "entries")} now; changes follow");
                            break;
                        case ConntrackEventType.Lost:
                            output.Event("lost", null, "[lost] the kernel dropped events (its buffer overflowed): some changes were not seen; re-reading the table");
                            break;
                        default:
                            output.Event(EventName(e.Type), e.Entry, $"[{EventName(e.Type)}] ");
                            break;
                    }
                }
            }
            catch (System.OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C is how a watch ends.
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string EventName(ConntrackEventType type) => type switch
    {
        ConntrackEventType.New => "new",
        ConntrackEventType.Update => "update",
        ConntrackEventType.Destroy => "destroy",
        _ => "lost",
    };

    private static Command Stats()
    {
        var command = new Command("stats", "Show how full the table is, and the kernel's counters (summed over CPUs)");
        Option<bool> json = CommonOptions.Json();
        command.Options.Add(json);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            using var conntrack = new ConntrackClient(context.Namespace);
            ConntrackStatistics table = await conntrack.GetStatisticsAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<ConntrackCpuStatistics> cpus = await conntrack.GetCpuStatisticsAsync(cancellationToken).ConfigureAwait(false);
            var stats = new ConntrackStatsJson
            {
                Namespace = context.NamespaceName,
                Entries = table.Entries,
                Max = table.MaxEntries,
                Found = Sum(cpus, c => c.Found),
                Invalid = Sum(cpus, c => c.Invalid),
                Insert = Sum(cpus, c => c.Insert),
                InsertFailed = Sum(cpus, c => c.InsertFailed),
                Drop = Sum(cpus, c => c.Drop),
                EarlyDrop = Sum(cpus, c => c.EarlyDrop),
                Error = Sum(cpus, c => c.Error),
                SearchRestart = Sum(cpus, c => c.SearchRestart),
                ClashResolve = Sum(cpus, c => c.ClashResolve),
                ChainTooLong = Sum(cpus, c => c.ChainTooLong),
                Cpus = cpus.Count,
            };
            if (context.GetValue(json))
            {
                JsonOutput.Write(context.Output, stats, JsonOutput.Indented.ConntrackStatsJson);
                return ExitCodes.Success;
            }
            context.Output.WriteLine($"entries {stats.Entries} of max {stats.Max} in {context.Where}");
            context.Output.WriteLine($"found {stats.Found} invalid {stats.Invalid} insert {stats.Insert} insert_failed {stats.InsertFailed} drop {stats.Drop} early_drop {stats.EarlyDrop} error {stats.Error} search_restart {stats.SearchRestart} clash_resolve {stats.ClashResolve} chaintoolong {stats.ChainTooLong} ({stats.Cpus} cpus)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static ulong Sum(IReadOnlyList<ConntrackCpuStatistics> cpus, System.Func<ConntrackCpuStatistics, uint> counter)
    {
        ulong total = 0;
        foreach (ConntrackCpuStatistics cpu in cpus)
        {
            total += counter(cpu);
        }
        return total;
    }
}
