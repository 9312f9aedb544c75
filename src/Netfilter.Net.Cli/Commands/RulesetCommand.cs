using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Cli.Output;
using Netfilter.Net.Cli.Rulesets;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// nfnet ruleset show [--format text|netlink|json] | save FILE | restore FILE: the whole ruleset
/// of the namespace, not only nfnet's table, read as one consistent snapshot
/// (<see cref="NfTablesClient.GetRulesetAsync"/>).
/// </summary>
internal static class RulesetCommand
{
    public static Command Create()
    {
        var command = new Command("ruleset", "Show, save or restore the whole ruleset of the namespace (every table, not only nfnet's)");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Save());
        command.Subcommands.Add(Restore());
        return command;
    }

    private static Command Show()
    {
        var command = new Command("show", "Print the ruleset: text (readable), netlink (libnftnl's notation, as 'nft --debug=netlink list ruleset' prints it) or json");
        var format = new Option<string>("--format")
        {
            Description = "text (default), netlink or json",
            HelpName = "text|netlink|json",
            DefaultValueFactory = _ => "text",
            CustomParser = ParseFormat,
        };
        Option<bool> json = CommonOptions.Json();
        json.Description = "The same as --format json";
        command.Options.Add(format);
        command.Options.Add(json);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            Ruleset ruleset = await ReadAsync(context, cancellationToken).ConfigureAwait(false);
            string chosen = context.GetValue(json) ? "json" : context.GetValue(format);
            switch (chosen)
            {
                case "netlink":
                    context.Output.Write(NftDebugFormatter.Render(ruleset));
                    break;
                case "json":
                    JsonOutput.Write(context.Output, RulesetDocumentWriter.Write(ruleset), JsonOutput.Indented.RulesetDocument);
                    break;
                default:
                    context.Output.Write(RulesetTextFormatter.Render(ruleset));
                    break;
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Save()
    {
        var command = new Command("save", "Write the whole ruleset to FILE ('-': standard output) in nfnet's JSON format, which 'ruleset restore' reads back");
        var file = new Argument<string>("FILE") { Description = "Where to write ('-' for standard output)" };
        command.Arguments.Add(file);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            Ruleset ruleset = await ReadAsync(context, cancellationToken).ConfigureAwait(false);
            string path = context.GetValue(file);
            string text = JsonSerializer.Serialize(RulesetDocumentWriter.Write(ruleset), JsonOutput.Indented.RulesetDocument) + "\n";
            if (path == "-")
            {
                context.Output.Write(text);
                return ExitCodes.Success;
            }
            await WriteAtomicallyAsync(path, text, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"saved {Summary(ruleset)} from {context.Where} to {path}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Restore()
    {
        var command = new Command("restore", "Recreate the ruleset saved in FILE ('-': standard input) in one atomic transaction; the tables it names are replaced, other tables are left alone");
        var file = new Argument<string>("FILE") { Description = "A file written by 'nfnet ruleset save' ('-' for standard input)" };
        command.Arguments.Add(file);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            string path = context.GetValue(file);
            string source = path == "-" ? "standard input" : path;
            string text = await ReadTextAsync(path, cancellationToken).ConfigureAwait(false);
            RulesetDocument document;
            try
            {
                document = JsonSerializer.Deserialize(text, JsonOutput.Indented.RulesetDocument)
                    ?? throw new CommandFailedException($"{source} holds 'null', not a saved ruleset; nothing was restored");
            }
            catch (JsonException e)
            {
                string where = e.LineNumber is long line ? $" at line {line + 1}" : string.Empty;
                throw new CommandFailedException($"{source} is not a ruleset saved by nfnet (invalid JSON{where}: {ErrorReporter.OneLine(e.Message)}); nothing was restored", e);
            }
            Ruleset ruleset = RulesetDocumentReader.Read(document, source);
            using var client = new NfTablesClient(context.Namespace);
            // Replace, atomically: delete the saved tables that exist now, then recreate them, in
            // one transaction that the kernel refuses if anyone changed the ruleset meanwhile.
            RulesetGeneration generation = await client.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
            var existing = new HashSet<(ProtocolFamily, string)>();
            await foreach (Table table in client.ListTablesAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                existing.Add((table.Family, table.Name));
            }
            var transaction = new NfTablesTransaction { ExpectedGeneration = generation.Id };
            int replaced = 0;
            foreach (Table table in ruleset.Tables.Where(t => existing.Contains((t.Family, t.Name))))
            {
                transaction.DeleteTable(table.Family, table.Name);
                replaced++;
            }
            NfTablesTransaction.Recreate(ruleset, transaction);
            if (transaction.Count == 0)
            {
                context.Output.WriteLine($"{source} holds an empty ruleset: nothing to restore");
                return ExitCodes.Success;
            }
            await client.CommitAsync(transaction, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"restored {Summary(ruleset)} into {context.Where}" + (replaced > 0 ? $" ({replaced} existing table(s) replaced)" : string.Empty));
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<Ruleset> ReadAsync(CommandContext context, CancellationToken cancellationToken)
    {
        using var client = new NfTablesClient(context.Namespace);
        return await client.GetRulesetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static string Summary(Ruleset ruleset) =>
        $"{Count(ruleset.Tables.Count, "table")}, {Count(ruleset.Chains.Count, "chain")}, {Count(ruleset.Sets.Count, "set")}, {Count(ruleset.Elements.Values.Sum(e => e.Count), "element")}, {Count(ruleset.Rules.Count, "rule")}";

    private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";

    private static string ParseFormat(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "text";
        if (text is "text" or "netlink" or "json")
        {
            return text;
        }
        result.AddError($"--format: {InputText.Quote(text)} is not a format: use text, netlink or json");
        return "text";
    }

    private static async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        if (path == "-")
        {
            return await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            return await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot read {path}: {ErrorReporter.OneLine(e.Message)}", e);
        }
    }

    /// <summary>Writes a temporary file beside <paramref name="path"/> and renames it, so a failure never leaves half a ruleset behind.</summary>
    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken cancellationToken)
    {
        string full = Path.GetFullPath(path);
        string temporary = full + $".nfnet-{Environment.ProcessId}.tmp";
        try
        {
            await File.WriteAllTextAsync(temporary, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The write failed already; the message below says why.
            }
            throw new CommandFailedException($"cannot write {path}: {ErrorReporter.OneLine(e.Message)}", e);
        }
    }
}
