using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>
/// What is wrong with a command line that did not parse, as nfnet's one-line errors: one line per
/// bad argument, each starting with the option, argument or word it is about, and saying what
/// would be right. Built from the parse itself rather than from System.CommandLine's sentences,
/// so that one mistake is one line: an option whose value is missing swallows the next option,
/// and everything after it shifts (System.CommandLine would report each shifted word); an unknown
/// command makes every later word unknown too.
/// </summary>
internal static class UsageErrors
{
    /// <summary>The lines (without the "nfnet: " prefix) for <paramref name="parse"/>, at least one.</summary>
    public static List<string> Describe(ParseResult parse)
    {
        CommandResult command = parse.CommandResult;
        string path = CommandPath(command);
        string help = $"see '{path} --help'";
        List<Option> options = OptionsOf(command);

        (List<string> lines, bool shifted) = MissingValues(parse, options, help);
        if (shifted)
        {
            // The option without a value took the next option as its value, and everything after
            // it was read out of place: the errors about those words are noise.
            return lines;
        }
        if (command.Command.Subcommands.Count > 0)
        {
            lines.Add(CommandProblem(parse, command.Command, path, help));
            return lines;
        }

        var covered = new HashSet<ParseError>();
        foreach (ParseError e in parse.Errors.Where(e => IsOwn(e.Message)))
        {
            // nfnet's own parsers and validators already say which option and what would be right.
            lines.Add(e.Message);
            covered.Add(e);
        }
        foreach (Option option in options)
        {
            OptionResult? given = parse.GetResult(option);
            if (option.Required && given is not { IdentifierTokenCount: > 0 })
            {
                lines.Add($"{option.Name} is required: give {option.Name} {ValueName(option)} ({help})");
            }
            else if (given is { IdentifierTokenCount: > 1 } && option.Arity.MaximumNumberOfValues == 1)
            {
                lines.Add($"{option.Name} is given {given.IdentifierTokenCount} times: give it once ({help})");
            }
        }
        foreach (Argument argument in command.Command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0))
        {
            if (parse.GetResult(argument) is not ArgumentResult given || given.Tokens.Count == 0)
            {
                lines.Add($"{argument.Name} is missing: {Usage(path, command.Command)} ({help})");
            }
        }
        bool afterUnknownOption = false;
        foreach (string token in parse.UnmatchedTokens)
        {
            if (token.StartsWith('-'))
            {
                lines.Add($"{InputText.Quote(token)} is not an option of '{path}'{Suggestion(token, options.SelectMany(NamesOf))} ({help})");
                afterUnknownOption = true;
                continue;
            }
            if (!afterUnknownOption)
            {
                // A word right after an unknown option is taken as its value: that option's line covers it.
                lines.Add($"{InputText.Quote(token)} is not an argument of '{path}': {Usage(path, command.Command)} ({help})");
            }
            afterUnknownOption = false;
        }
        foreach (ParseError e in parse.Errors.Where(e => !covered.Contains(e) && !IsStructural(e.Message)))
        {
            // Anything else System.CommandLine found (an option given twice, ...): its words, behind the name of what it is about.
            lines.Add($"{NameOf(e.SymbolResult)}{ErrorReporter.OneLine(e.Message).TrimEnd('.')} ({help})");
        }
        if (lines.Count == 0)
        {
            lines.Add($"the command line is not valid ({help})");
        }
        return lines.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Options given without their value: at the end of the line, or followed directly by another
    /// option (which System.CommandLine then takes as the value: "--proto --port 80").
    /// </summary>
    private static (List<string> Lines, bool Shifted) MissingValues(ParseResult parse, List<Option> options, string help)
    {
        var names = new HashSet<string>(options.SelectMany(NamesOf), StringComparer.Ordinal);
        // Every option of the commands on the path, by name: a token before a subcommand belongs to its parent.
        var byName = new Dictionary<string, Option>(StringComparer.Ordinal);
        for (SymbolResult? r = parse.CommandResult; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                foreach (Option o in c.Command.Options)
                {
                    foreach (string name in NamesOf(o))
                    {
                        byName.TryAdd(name, o);
                    }
                }
            }
        }
        var lines = new List<string>();
        bool shifted = false;
        IReadOnlyList<Token> tokens = parse.Tokens;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type != TokenType.Option || !byName.TryGetValue(tokens[i].Value, out Option? option) || option.Arity.MinimumNumberOfValues == 0)
            {
                continue;
            }
            if (i + 1 < tokens.Count && tokens[i + 1].Type != TokenType.Option && !names.Contains(ValueBeforeEquals(tokens[i + 1].Value)))
            {
                continue;
            }
            string next = i + 1 < tokens.Count ? $": {InputText.Quote(tokens[i + 1].Value)} that follows is an option, not a value" : string.Empty;
            lines.Add($"{option.Name} needs a value ({ValueName(option)}){next} ({help})");
            shifted |= i + 1 < tokens.Count;
        }
        return (lines, shifted);
    }

    private static string ValueBeforeEquals(string token)
    {
        int equals = token.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? token.Substring(0, equals) : token;
    }

    /// <summary>A command that has subcommands was given an unknown one, or none: one line, whatever follows.</summary>
    private static string CommandProblem(ParseResult parse, Command command, string path, string help)
    {
        List<string> names = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        string choices = Join(names);
        if (parse.UnmatchedTokens.Count == 0)
        {
            return $"'{path}' needs a command: {choices} ({help})";
        }
        string token = parse.UnmatchedTokens[0];
        return $"{InputText.Quote(token)} is not a command of '{path}'{Suggestion(token, names)}: use {choices} ({help})";
    }

    /// <summary>" (did you mean 'add'?)" when one known name is close to what was typed.</summary>
    private static string Suggestion(string typed, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string name in known.Distinct(StringComparer.Ordinal))
        {
            int distance = EditDistance(typed, name, limit: 2);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }
        return best is not null && bestDistance <= 2 && bestDistance < best.Length ? $" (did you mean '{best}'?)" : string.Empty;
    }

    /// <summary>Levenshtein distance, or <paramref name="limit"/> + 1 when it is larger (or the texts are long).</summary>
    internal static int EditDistance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit || a.Length > 64 || b.Length > 64)
        {
            return limit + 1;
        }
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return Math.Min(previous[b.Length], limit + 1);
    }

    /// <summary>The options a command accepts: its own and its ancestors' recursive ones (--netns, --verbose, --help).</summary>
    private static List<Option> OptionsOf(CommandResult command)
    {
        var options = new List<Option>(command.Command.Options);
        for (SymbolResult? r = command.Parent; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                options.AddRange(c.Command.Options.Where(o => o.Recursive));
            }
        }
        return options;
    }

    private static IEnumerable<string> NamesOf(Option option) => option.Aliases.Prepend(option.Name);

    private static string ValueName(Option option) => option.HelpName ?? option.Name.TrimStart('-').ToUpperInvariant();

    private static string Usage(string path, Command command) =>
        path + string.Concat(command.Arguments.Select(a => " " + a.Name)) + (command.Options.Any(o => !o.Hidden) ? " [options]" : string.Empty);

    private static string Join(List<string> names) => names.Count switch
    {
        0 => string.Empty,
        1 => names[0],
        _ => string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1],
    };

    /// <summary>"--proto: " or "KEY: " for what a System.CommandLine error is about; empty for the command itself.</summary>
    private static string NameOf(SymbolResult? result) => result switch
    {
        OptionResult o => o.Option.Name + ": ",
        ArgumentResult a when a.Parent is OptionResult o => o.Option.Name + ": ",
        ArgumentResult a => a.Argument.Name + ": ",
        _ => string.Empty,
    };

    /// <summary>Lines nfnet's parsers write start with what they are about: "--port: ...", "KEY: ...".</summary>
    internal static bool IsOwn(string message)
    {
        if (message.StartsWith("--", StringComparison.Ordinal))
        {
            return true;
        }
        int colon = message.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && message.AsSpan(0, colon).IndexOfAnyExceptInRange('A', 'Z') < 0;
    }

    /// <summary>System.CommandLine's errors that <see cref="Describe"/> reports from the parse itself.</summary>
    private static bool IsStructural(string message) =>
        message.StartsWith("Required argument missing", StringComparison.Ordinal)
        || message.StartsWith("Unrecognized command or argument", StringComparison.Ordinal)
        || message.StartsWith("Required command was not provided", StringComparison.Ordinal)
        || message.Contains("expects a single argument but", StringComparison.Ordinal)
        || (message.StartsWith("Option '", StringComparison.Ordinal) && message.EndsWith("' is required.", StringComparison.Ordinal));

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
