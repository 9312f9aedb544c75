using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Cli.Infrastructure;
using Netfilter.Net.Cli.Rulesets;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Cli.Commands;

/// <summary>
/// nfnet ruleset show [--format text|netlink|json] | save FILE [--annotate] | restore FILE: the
/// whole ruleset of the namespace, not only nfnet's table. All three stream: show and save write
/// each part as the kernel dumps it (<see cref="NfTablesClient.ReadRulesetAsync"/>), restore parses
/// the file straight into one transaction (<see cref="RulesetDocument.RestoreAsync"/>).
/// </summary>
internal static class RulesetCommand
{
    /// <summary>How many times save reads the ruleset again when it changed while it was written.</summary>
    private const int SaveAttempts = 5;

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
        var command = new Command("show", "Print the ruleset: text (readable), netlink (libnftnl's notation, as 'nft --debug=netlink list ruleset' prints it) or json (the saved format, annotated for people)");
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
            string chosen = context.GetValue(json) ? "json" : context.GetValue(format);
            using var client = new NfTablesClient(context.Namespace);
            try
            {
                if (chosen == "json")
                {
                    await context.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    using Stream output = Console.OpenStandardOutput();
                    await RulesetDocument.SaveAsync(client, output, new RulesetDocumentWriteOptions { Annotate = true }, cancellationToken: cancellationToken).ConfigureAwait(false);
                    return ExitCodes.Success;
                }
                RulesetVisitor writer = chosen == "netlink" ? NftDebugFormatter.CreateWriter(context.Output) : new RulesetTextWriter(context.Output);
                await client.ReadRulesetAsync(writer, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (NetlinkDumpInterruptedException e)
            {
                throw new CommandFailedException("the ruleset changed while it was printed, so what was printed may mix the two: run the command again", e);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>FILE of save and restore: an empty path is a usage error naming FILE, not the runtime's "The value cannot be an empty string".</summary>
    private static Argument<string> FileArgument(string description, string dash)
    {
        var file = new Argument<string>("FILE") { Description = description };
        file.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.Tokens[0].Value.Length == 0)
            {
                result.AddError($"FILE: is empty: name a file, or - for {dash}");
            }
        });
        return file;
    }

    private static Command Save()
    {
        var command = new Command("save", "Write the whole ruleset to FILE ('-': standard output) in nfnet's JSON format, which 'ruleset restore' reads back");
        Argument<string> file = FileArgument("Where to write ('-' for standard output)", "standard output");
        var annotate = new Option<bool>("--annotate")
        {
            Description = "Also write, for people, what restore ignores: each expression in libnftnl's notation, comments, hook names, rule handles",
        };
        command.Arguments.Add(file);
        command.Options.Add(annotate);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            string path = context.GetValue(file);
            var options = new RulesetDocumentWriteOptions { Annotate = context.GetValue(annotate) };
            using var client = new NfTablesClient(context.Namespace);
            if (path == "-")
            {
                await context.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                using Stream output = Console.OpenStandardOutput();
                try
                {
                    await RulesetDocument.SaveAsync(client, output, options, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (NetlinkDumpInterruptedException e)
                {
                    throw new CommandFailedException("the ruleset changed while it was written, so what was written may mix the two: save again", e);
                }
                return ExitCodes.Success;
            }
            RulesetSummary saved = await SaveToFileAsync(client, path, options, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"saved {saved} from {context.Where} to {path}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Restore()
    {
        var command = new Command("restore", "Recreate the ruleset saved in FILE ('-': standard input) in one atomic transaction; the tables it names are replaced, other tables are left alone");
        Argument<string> file = FileArgument("A file written by 'nfnet ruleset save' ('-' for standard input)", "standard input");
        var maxSize = new Option<long>("--max-size")
        {
            Description = $"Refuse input larger than this many bytes (default {RulesetDocument.DefaultMaxBytes}; K, M and G suffixes count 1024s)",
            HelpName = "BYTES",
            DefaultValueFactory = _ => RulesetDocument.DefaultMaxBytes,
            CustomParser = ParseSize,
        };
        command.Arguments.Add(file);
        command.Options.Add(maxSize);
        CommandAction.Set(command, async (context, cancellationToken) =>
        {
            string path = context.GetValue(file);
            string source = path == "-" ? "standard input" : path;
            using Stream input = Open(path);
            using var client = new NfTablesClient(context.Namespace);
            RulesetRestoreResult result;
            try
            {
                // Cancellation stops the restore until the transaction is sent, and not after:
                // interrupted means nothing was applied, returned means all of it was.
                result = await RulesetDocument.RestoreAsync(client, input, new RulesetDocumentReadOptions { MaxBytes = context.GetValue(maxSize) }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new CommandFailedException(RestoreFailure(source, e), e);
            }
            if (result.Operations == 0)
            {
                context.Output.WriteLine($"{source} holds an empty ruleset: nothing to restore");
                return ExitCodes.Success;
            }
            context.Output.WriteLine($"restored {result.Restored} into {context.Where}" + (result.ReplacedTables > 0 ? $" ({result.ReplacedTables} existing table(s) replaced)" : string.Empty));
            return ExitCodes.Success;
        }, interrupted: "nothing was restored");
        return command;
    }

    /// <summary>
    /// One line for any restore that failed, each naming the file and saying that nothing was
    /// restored: the document's problems with where they are, the kernel's refusals as for every
    /// command, and never an internal type name.
    /// </summary>
    internal static string RestoreFailure(string source, Exception e) => e switch
    {
        RulesetDocumentException d => $"{source}: {d.Message}; nothing was restored",
        NfTablesGenerationException => $"the ruleset changed while {source} was being restored; nothing was restored: run the command again",
        NetfilterException n => $"{source}: {Nothing(ErrorReporter.DescribeKernelError(n))}",
        ArgumentException a => $"{source}: {ErrorReporter.WithoutParameterSuffix(a.Message)}; nothing was restored",
        IOException or UnauthorizedAccessException => $"cannot read {source}: {ErrorReporter.OneLine(e.Message)}; nothing was restored",
        _ => $"{source}: {ErrorReporter.OneLine(e.Message)}; nothing was restored",
    };

    private static string Nothing(string message) =>
        message.Contains("nothing was applied", StringComparison.Ordinal) || message.Contains("nothing was restored", StringComparison.Ordinal)
            ? message
            : message + "; nothing was restored";

    private static Stream Open(string path)
    {
        if (path == "-")
        {
            return Console.OpenStandardInput();
        }
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot read {path}: {ErrorReporter.OneLine(e.Message)}; nothing was restored", e);
        }
    }

    /// <summary>
    /// Writes a temporary file beside <paramref name="path"/> and renames it, so a failure never
    /// leaves half a ruleset behind; when the ruleset changed while it was written, writes it again.
    /// </summary>
    private static async Task<RulesetSummary> SaveToFileAsync(NfTablesClient client, string path, RulesetDocumentWriteOptions options, CancellationToken cancellationToken)
    {
        string full = Path.GetFullPath(path);
        string temporary = full + $".nfnet-{Environment.ProcessId}.tmp";
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    RulesetSummary saved;
                    var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
                    await using (output.ConfigureAwait(false))
                    {
                        saved = await RulesetDocument.SaveAsync(client, output, options, cancellationToken: cancellationToken).ConfigureAwait(false);
                    }
                    File.Move(temporary, full, overwrite: true);
                    return saved;
                }
                catch (NetlinkDumpInterruptedException) when (attempt < SaveAttempts)
                {
                    // The ruleset changed meanwhile: the file may mix two generations. Write it again.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NetlinkDumpInterruptedException or OperationCanceledException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The write failed already; the message says why.
            }
            if (e is NetlinkDumpInterruptedException)
            {
                throw new CommandFailedException($"the ruleset kept changing while it was saved ({SaveAttempts} attempts): {path} was left as it was", e);
            }
            if (e is OperationCanceledException)
            {
                throw;
            }
            throw new CommandFailedException($"cannot write {path}: {ErrorReporter.OneLine(e.Message)}", e);
        }
    }

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

    private static long ParseSize(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        long unit = 1;
        string digits = text;
        if (text.Length > 0 && char.ToUpperInvariant(text[^1]) is 'K' or 'M' or 'G')
        {
            unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, _ => 1L << 30 };
            digits = text[..^1];
        }
        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0 && value <= long.MaxValue / unit)
        {
            return value * unit;
        }
        result.AddError($"--max-size: '{ErrorReporter.OneLine(text)}' is not a size: give a positive number of bytes, optionally with K, M or G");
        return RulesetDocument.DefaultMaxBytes;
    }
}
