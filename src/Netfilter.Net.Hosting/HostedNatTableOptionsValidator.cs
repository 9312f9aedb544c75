using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Options;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Hosting;

/// <summary>
/// Checks a hosted table's options before anything is sent: at start (ValidateOnStart: the host
/// does not start) and on every change (the reconciler keeps the rules last applied and logs why).
/// Every problem is reported, not only the first: each rule line that does not parse, with its
/// index and the parser's reason, and each pair of rules that <see cref="INatTable.ApplyAsync"/>
/// would refuse to put in one table (<see cref="NatRuleConflicts"/>).
/// </summary>
internal sealed class HostedNatTableOptionsValidator : IValidateOptions<HostedNatTableOptions>
{
    public ValidateOptionsResult Validate(string? name, HostedNatTableOptions options)
    {
        List<string> failures = Check(options);
        if (failures.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }
        string prefix = $"NAT table '{name}': ";
        return ValidateOptionsResult.Fail(failures.Select(f => prefix + f));
    }

    /// <summary>Every problem of <paramref name="options"/>; empty when the reconciler may apply them.</summary>
    public static List<string> Check(HostedNatTableOptions options)
    {
        var failures = new List<string>(options.BindingErrors);
        if (!NatTableName.IsValid(options.Table))
        {
            failures.Add($"Table must be 1 to 64 letters, digits, '_' or '-', not '{options.Table}'");
        }
        if (options.Namespace is { Length: > 0 } ns && !NetworkNamespace.IsValidName(ns))
        {
            failures.Add($"Namespace must be a name as 'ip netns list' shows it (no '/'), not '{ns}'");
        }
        if (!Enum.IsDefined(options.Lifetime))
        {
            failures.Add($"Lifetime must be Persistent or OwnedByProcess, not {(int)options.Lifetime}");
        }
        if (options.ReconcileInterval is TimeSpan interval && interval <= TimeSpan.Zero)
        {
            failures.Add($"ReconcileInterval must be positive (or null for none), not {interval}");
        }
        NatTableRetryOptions? retry = options.Retry;
        if (retry is null)
        {
            failures.Add("Retry must not be null");
        }
        else
        {
            if (retry.InitialDelay <= TimeSpan.Zero)
            {
                failures.Add($"Retry.InitialDelay must be positive, not {retry.InitialDelay}");
            }
            if (retry.MaxDelay < retry.InitialDelay)
            {
                failures.Add($"Retry.MaxDelay ({retry.MaxDelay}) must be at least Retry.InitialDelay ({retry.InitialDelay})");
            }
            if (retry.MaxAttempts < 1)
            {
                failures.Add($"Retry.MaxAttempts must be at least 1, not {retry.MaxAttempts}");
            }
        }
        if (options.Rules is null)
        {
            failures.Add("Rules must not be null (an empty list empties the table)");
            return failures;
        }
        var parsed = new List<NatRule>();
        var lineOf = new List<int>();
        for (int i = 0; i < options.Rules.Count; i++)
        {
            string? line = options.Rules[i];
            if (line is null)
            {
                failures.Add($"Rules[{i}] is null");
            }
            else if (NatRuleParser.TryParse(line, out NatRule? rule, out string? error))
            {
                parsed.Add(rule!);
                lineOf.Add(i);
            }
            else
            {
                failures.Add($"Rules[{i}] '{line}' is not a NAT rule: {error}");
            }
        }
        foreach ((int first, int second, string reason) in NatRuleConflicts.Within(parsed))
        {
            failures.Add($"Rules[{lineOf[first]}] '{parsed[first]}' and Rules[{lineOf[second]}] '{parsed[second]}' cannot share a table: {reason}. Keep one");
        }
        return failures;
    }

    /// <summary>The rules of options that <see cref="Check"/> accepted, in order.</summary>
    public static List<NatRule> Rules(HostedNatTableOptions options) => options.Rules.Select(NatRuleParser.Parse).ToList();
}
