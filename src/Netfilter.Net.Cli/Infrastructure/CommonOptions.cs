using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>The options several commands share: --netns and --verbose everywhere, --table and --json where they apply.</summary>
internal static class CommonOptions
{
    /// <summary>The table nfnet's typed rules live in when --table is not given.</summary>
    public const string DefaultTable = "nfnet";

    /// <summary>--netns NAME: every command works in that namespace (/run/netns/NAME) instead of nfnet's own.</summary>
    public static Option<string?> Netns { get; } = new("--netns")
    {
        Description = "Work in the network namespace NAME (/run/netns/NAME, as 'ip netns' names it) instead of the current one",
        HelpName = "NAME",
        Recursive = true,
        CustomParser = ParseNamespaceName,
    };

    /// <summary>--verbose: stack traces on errors.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "On errors, print the stack trace after the one-line message",
        Recursive = true,
    };

    /// <summary>A fresh --table option (default "nfnet").</summary>
    public static Option<string> Table() => new("--table")
    {
        Description = $"The inet table that holds nfnet's rules (default {DefaultTable})",
        HelpName = "NAME",
        DefaultValueFactory = _ => DefaultTable,
        CustomParser = ParseTableName,
    };

    /// <summary>A fresh --json option.</summary>
    public static Option<bool> Json() => new("--json")
    {
        Description = "Print machine-readable JSON (shapes documented in the README)",
    };

    private static string? ParseNamespaceName(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (!NetworkNamespace.IsValidName(text))
        {
            result.AddError($"--netns: {InputText.Quote(text)} is not a namespace name: give a name from 'ip netns list' (no '/')");
            return null;
        }
        return text;
    }

    private static string ParseTableName(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (NatTableName.Problem(text) is string problem)
        {
            result.AddError("--table: " + problem);
            return DefaultTable;
        }
        return text;
    }
}
