using System.IO;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// What a conformance run found: counts, the state of each expression (in how many cases it
/// appears, how many of those pass, how many fail while the library keeps it undecoded), every
/// failing case with its first differing line, and the setup scripts nft refused.
/// </summary>
internal sealed class ConformanceReport
{
    public ConformanceReport(string corpus, IReadOnlyList<GroupResult> groups, TimeSpan elapsed, int workers)
    {
        Corpus = corpus;
        Groups = groups;
        Elapsed = elapsed;
        Workers = workers;
        Cases = groups.SelectMany(g => g.Cases).ToList();
    }

    // NfTablesException: "nftables transaction NFT_MSG_NEWRULE failed: EOPNOTSUPP (...) ...; operation 25 of 26 (add rule ip6 t in), expression 2 (dynset); ..."
    private static readonly Regex s_refusal = new(@"transaction (\w+) failed: (\w+)", RegexOptions.CultureInvariant);
    private static readonly Regex s_refusedExpression = new(@", expression \d+ \(([\w-]+)\)", RegexOptions.CultureInvariant);

    public string Corpus { get; }

    public IReadOnlyList<GroupResult> Groups { get; }

    public IReadOnlyList<CaseResult> Cases { get; }

    public TimeSpan Elapsed { get; }

    public int Workers { get; }

    /// <summary>How many times nft ran, and the wall time spent waiting for it (all workers together).</summary>
    public long NftCalls { get; init; }

    public TimeSpan NftTime { get; init; }

    /// <summary>Wall time in the library: reading the ruleset, rendering, emptying the target and recreating.</summary>
    public TimeSpan LibraryTime { get; init; }

    public IEnumerable<CaseResult> Failed => Cases.Where(c => c.Outcome == CaseOutcome.Failed);

    public IEnumerable<string> SetupFailures => Groups.SelectMany(g => g.SetupFailures);

    /// <summary>The groups whose whole-file check ran.</summary>
    public IEnumerable<GroupResult> WholeFiles => Groups.Where(g => g.WholeFile is not null);

    /// <summary>True when no case failed, every setup script that must succeed did, and every whole file decodes and round-trips.</summary>
    public bool Succeeded => !Failed.Any() && !SetupFailures.Any() && WholeFiles.All(g => g.WholeFile!.Decodes && g.WholeFile.RoundTrips);

    public int Count(CaseOutcome outcome) => Cases.Count(c => c.Outcome == outcome);

    /// <summary>Counts, timing and the per-expression table.</summary>
    public string Summary()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"conformance, {Corpus}: {Cases.Count} cases in {Groups.Count} groups ({Groups.Sum(g => g.Group.Steps.Count())} rule lines): ");
        sb.Append(c, $"{Count(CaseOutcome.Passed)} passed, {Count(CaseOutcome.Failed)} failed, {Count(CaseOutcome.Skipped)} skipped, {Count(CaseOutcome.Excluded)} excluded");
        sb.Append(c, $"; {SetupFailures.Count()} setup scripts refused\n");
        List<WholeFileResult> whole = WholeFiles.Select(g => g.WholeFile!).ToList();
        sb.Append(c, $"whole files (sets, elements and objects as nft-test.py adds them, and every accepted rule at once: {whole.Sum(w => w.Rules)} rules, {whole.Sum(w => w.Refused)} refused together): ");
        sb.Append(c, $"{whole.Count} files or groups, {whole.Count(w => w.Decodes)} decode identically, {whole.Count(w => w.RoundTrips)} round-trip through a saved document into a fresh namespace ({whole.Sum(w => w.DocumentBytes)} bytes of documents)\n");
        sb.Append(c, $"time: {Elapsed.TotalSeconds:F1} s with {Workers} workers; nft ran {NftCalls} times ({NftTime.TotalSeconds:F1} s, {(NftCalls == 0 ? 0 : NftTime.TotalMilliseconds / NftCalls):F1} ms each); the library took {LibraryTime.TotalSeconds:F1} s\n");
        List<CaseResult> failed = Failed.ToList();
        int blocked = failed.Count(f => f.Unmodelled is { Count: > 0 });
        sb.Append(c, $"failed cases whose rule holds an expression the library does not model yet: {blocked}; failed with every expression modelled: {failed.Count - blocked}\n");
        sb.Append("failures by stage: ").Append(failed.Count == 0 ? "none" : string.Join(", ", failed.GroupBy(f => f.Stage).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))).Append('\n');
        // The round trip also runs when the rendering fails: kernel refusals of a recreated rule
        // point at the expression whose dump cannot be sent back as it is.
        var refusals = failed.Where(f => f.Detail is not null && (f.Stage == "(b) recreate" || f.Detail.Contains("and (b) ", StringComparison.Ordinal)))
            .Select(f => (Refusal: s_refusal.Match(f.Detail!), Expression: s_refusedExpression.Match(f.Detail!)))
            .GroupBy(m => !m.Refusal.Success ? "other"
                : m.Expression.Success ? $"{m.Expression.Groups[1].Value} ({m.Refusal.Groups[2].Value})"
                : $"{m.Refusal.Groups[1].Value} ({m.Refusal.Groups[2].Value})")
            .OrderByDescending(g => g.Count());
        sb.Append("round trips the kernel refused, by expression: ").Append(refusals.Any() ? string.Join(", ", refusals.Select(g => $"{g.Key} {g.Count()}")) : "none").Append('\n');
        foreach (var skipped in Cases.Where(k => k.Outcome == CaseOutcome.Skipped).GroupBy(k => k.Step.Needs).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.Append(c, $"skipped, nft rejected them here: {skipped.Count()} cases that need {skipped.Key} ({string.Join("; ", skipped.Select(k => k.Step.Rule).Distinct())})\n");
        }
        sb.Append("expression state (cases whose rule holds it: passed / failed / of those failed, with an undecoded expression in the rule / excluded or skipped):\n");
        var rows = Cases.Where(k => k.Expressions is not null)
            .SelectMany(k => k.Expressions!.Distinct().Select(e => (Expression: e, Case: k)))
            .GroupBy(x => x.Expression)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var g in rows)
        {
            int passed = g.Count(x => x.Case.Outcome == CaseOutcome.Passed);
            int fail = g.Count(x => x.Case.Outcome == CaseOutcome.Failed);
            int blockedCases = g.Count(x => x.Case.Outcome == CaseOutcome.Failed && x.Case.Unmodelled is { Count: > 0 });
            int other = g.Count(x => x.Case.Outcome is CaseOutcome.Excluded or CaseOutcome.Skipped);
            string state = g.Any(x => x.Case.Unmodelled!.Contains(g.Key)) ? "not modelled (kept raw)"
                : fail > blockedCases ? "modelled, failures of its own"
                : "modelled, no failure of its own";
            sb.Append(c, $"  {g.Key,-13} {g.Count(),5} cases: {passed,5} / {fail,5} / {blockedCases,5} / {other,4}  {state}\n");
        }
        return sb.ToString();
    }

    /// <summary>Every setup refusal and failing case with its detail (texts cut at <paramref name="maxDetailLines"/> lines each).</summary>
    public string Failures(int maxDetailLines = 12)
    {
        var sb = new StringBuilder();
        foreach (string setup in SetupFailures)
        {
            sb.Append("SETUP ").Append(setup).Append('\n');
        }
        foreach (GroupResult g in WholeFiles.Where(g => !g.WholeFile!.Decodes || !g.WholeFile.RoundTrips))
        {
            WholeFileResult w = g.WholeFile!;
            sb.Append("FAIL whole file ").Append(g.Group.Name).Append('\n');
            foreach ((string stage, string? detail) in new[] { ("(a) rendering", w.DecodeFailure), ("(b) save and restore", w.RoundTripFailure) })
            {
                if (detail is not null)
                {
                    sb.Append("  ").Append(stage).Append(": ").Append(string.Join("\n  ", detail.TrimEnd('\n').Split('\n').Take(maxDetailLines))).Append('\n');
                }
            }
        }
        foreach (CaseResult f in Failed)
        {
            sb.Append("FAIL ").Append(f.Title).Append('\n');
            sb.Append("  ").Append(f.Stage);
            if (f.Unmodelled is { Count: > 0 })
            {
                sb.Append(" (not modelled yet: ").Append(string.Join(", ", f.Unmodelled.Distinct())).Append(')');
            }
            sb.Append(": ");
            string[] lines = (f.Detail ?? string.Empty).TrimEnd('\n').Split('\n');
            foreach (string line in lines.Take(maxDetailLines))
            {
                sb.Append(line).Append("\n  ");
            }
            if (lines.Length > maxDetailLines)
            {
                sb.Append("... (").Append(lines.Length - maxDetailLines).Append(" more lines in the report file)\n  ");
            }
            sb.Length -= 2;
        }
        return sb.ToString();
    }

    /// <summary>Skipped and excluded cases with their reasons.</summary>
    public string NotRun()
    {
        var sb = new StringBuilder();
        foreach (CaseResult k in Cases.Where(k => k.Outcome is CaseOutcome.Skipped or CaseOutcome.Excluded))
        {
            sb.Append(k.Outcome == CaseOutcome.Skipped ? "SKIP " : "EXCLUDED ").Append(k.Title).Append("\n  ").Append(k.Detail?.Split('\n')[0]).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes the whole report (full texts) to <paramref name="path"/>.</summary>
    public void WriteTo(string path, string extra = "")
    {
        File.WriteAllText(path, Summary() + extra + "\n" + Failures(int.MaxValue) + "\n" + NotRun());
    }
}
