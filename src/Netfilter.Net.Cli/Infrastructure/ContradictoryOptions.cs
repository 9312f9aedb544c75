using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>
/// Options that say the same thing two ways must not say different things: "--json" is
/// "--format json", so "--format text --json" is refused (exit 2) instead of one of them
/// silently winning. Added once to the whole command tree, so every command that has both
/// options gets the check, now and later.
/// </summary>
internal static class ContradictoryOptions
{
    /// <summary>Adds the checks to <paramref name="command"/> and every command below it.</summary>
    public static void AddTo(Command command)
    {
        Option? json = command.Options.FirstOrDefault(o => o.Name == "--json");
        Option? format = command.Options.FirstOrDefault(o => o.Name == "--format");
        if (json is Option<bool> jsonFlag && format is Option<string> formatOption)
        {
            command.Validators.Add(result => CheckJsonAgreesWithFormat(result, jsonFlag, formatOption));
        }
        foreach (Command sub in command.Subcommands)
        {
            AddTo(sub);
        }
    }

    private static void CheckJsonAgreesWithFormat(CommandResult result, Option<bool> json, Option<string> format)
    {
        if (result.GetResult(json) is not { Implicit: false } || !result.GetValue(json))
        {
            return;
        }
        if (result.GetResult(format) is { Implicit: false, Tokens.Count: > 0 } given
            && !string.Equals(given.Tokens[0].Value, "json", StringComparison.Ordinal))
        {
            result.AddError($"--json contradicts --format {InputText.Quote(given.Tokens[0].Value)} (--json means --format json): give one of them");
        }
    }
}
