using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>
/// "--table --json": System.CommandLine takes the next word as an option's value even when that
/// word is one of the command's options, so a forgotten value silently becomes "--json" (a valid
/// table name) and the option after it is lost. Every command refuses a value that is the name of
/// an option it accepts; <see cref="UsageErrors"/> words the line ("--table needs a value").
/// </summary>
internal static class OptionsTakenAsValues
{
    /// <summary>Adds the check to <paramref name="command"/> and every command below it.</summary>
    public static void AddTo(Command command) => AddTo(command, Array.Empty<Option>());

    private static void AddTo(Command command, IReadOnlyList<Option> inherited)
    {
        // The names are gathered when the command is validated, which only the invoked command
        // and those above it are: start-up does not pay for every command of the tree.
        HashSet<string>? names = null;
        command.Validators.Add(result => Check(result, names ??= new HashSet<string>(
            inherited.Concat(command.Options).SelectMany(o => o.Aliases.Prepend(o.Name)), StringComparer.Ordinal)));
        List<Option> recursive = inherited.Concat(command.Options.Where(o => o.Recursive)).ToList();
        foreach (Command sub in command.Subcommands)
        {
            AddTo(sub, recursive);
        }
    }

    private static void Check(CommandResult result, HashSet<string> names)
    {
        foreach (OptionResult option in result.Children.OfType<OptionResult>())
        {
            if (option.Option.Arity.MinimumNumberOfValues == 0)
            {
                continue;
            }
            foreach (Token token in option.Tokens)
            {
                if (names.Contains(token.Value))
                {
                    result.AddError($"{option.Option.Name} needs a value: {InputText.Quote(token.Value)} that follows is an option, not a value");
                }
            }
        }
    }
}
