using System.Collections.Concurrent;
using System.Diagnostics;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// Runs corpus groups against the live nft and the kernel. Each group gets one source
/// namespace, prepared with <c>nft -f -</c> scripts; each worker owns one target namespace,
/// emptied (every table deleted) before each use. For every rule line ("step"):
/// <list type="number">
/// <item>flush the group's tables and add the rule to every target chain in one nft transaction
/// (when nft refuses it, each target is tried alone, to tell which ones nft rejects);</item>
/// <item>read <c>nft --debug=netlink list ruleset</c> in the source: its debug part and its listing;</item>
/// <item>(a) read the ruleset with the library and render it: each case's table part must equal nft's;</item>
/// <item>(b) commit the library's <see cref="NfTablesTransaction.Recreate"/> of what it read into the
/// target: <c>nft list ruleset</c> there must equal the source's listing, table by table.</item>
/// </list>
/// </summary>
internal sealed class ConformanceRunner
{
    private readonly Func<CorpusStep, CorpusTarget, string?> _exclusion;
    private readonly ConcurrentBag<Target> _targets = new();
    private long _nftTicks, _nftCalls, _libraryTicks;

    /// <param name="exclusion">For a case, the reason it is excluded (upstream), or null.</param>
    public ConformanceRunner(Func<CorpusStep, CorpusTarget, string?>? exclusion = null)
    {
        _exclusion = exclusion ?? ((_, _) => null);
    }

    /// <summary>Runs <paramref name="groups"/>, <paramref name="workers"/> at a time; results come back in corpus order.</summary>
    public async Task<ConformanceReport> RunAsync(string corpusName, IReadOnlyList<CorpusGroup> groups, int workers)
    {
        var stopwatch = Stopwatch.StartNew();
        var results = new GroupResult[groups.Count];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, groups.Count), new ParallelOptions { MaxDegreeOfParallelism = workers }, async (index, _) =>
            {
                Target target = _targets.TryTake(out Target? t) ? t : new Target();
                try
                {
                    results[index] = await RunGroupAsync(groups[index], target);
                }
                finally
                {
                    _targets.Add(target);
                }
            });
        }
        finally
        {
            while (_targets.TryTake(out Target? t))
            {
                t.Dispose();
            }
        }
        return new ConformanceReport(corpusName, results, stopwatch.Elapsed, workers)
        {
            NftCalls = _nftCalls,
            NftTime = Stopwatch.GetElapsedTime(0, _nftTicks),
            LibraryTime = Stopwatch.GetElapsedTime(0, _libraryTicks),
        };
    }

    private async Task<GroupResult> RunGroupAsync(CorpusGroup group, Target target)
    {
        var stopwatch = Stopwatch.StartNew();
        var cases = new List<CaseResult>();
        var setupFailures = new List<string>();
        using var source = new TestNamespace("conf");
        using var client = new NfTablesClient(source.Namespace);
        foreach (object item in group.Items)
        {
            if (item is CorpusSetup setup)
            {
                Tool.Result r = Nft(source, setup.Script, "-f", "-");
                if (r.ExitCode != 0 && setup.MustSucceed)
                {
                    setupFailures.Add($"{setup.Source}: nft -f - refused:\n{Indent(setup.Script)}  {FirstLine(r)}");
                }
            }
            else if (item is CorpusStep step)
            {
                await RunStepAsync(group, step, source, client, target, cases);
            }
        }
        return new GroupResult(group, cases, setupFailures, stopwatch.Elapsed);
    }

    private async Task RunStepAsync(CorpusGroup group, CorpusStep step, TestNamespace source, NfTablesClient client, Target target, List<CaseResult> results)
    {
        string AddRule(CorpusTarget t) => $"add rule {t.Family} {t.Table} {t.Chain} {step.Rule}\n";

        // 1. Add the rule everywhere at once; on refusal, find out where nft rejects it.
        string flush = string.Concat(group.Tables.Select(t => $"flush table {t.Family} {t.Table}\n"));
        var accepted = new List<CorpusTarget>();
        if (Nft(source, flush + string.Concat(step.Targets.Select(AddRule)), "-f", "-").ExitCode == 0)
        {
            accepted.AddRange(step.Targets);
        }
        else
        {
            Nft(source, flush, "-f", "-").EnsureSuccess($"[{source.Name}] flush");
            foreach (CorpusTarget t in step.Targets)
            {
                Tool.Result r = Nft(source, AddRule(t), "-f", "-");
                if (r.ExitCode == 0)
                {
                    accepted.Add(t);
                }
                else
                {
                    results.Add(Rejected(step, t, FirstLine(r)));
                }
            }
        }
        if (accepted.Count == 0)
        {
            return;
        }

        // 2. nft's view of the source: the debug part, then the listing.
        string output = Nft(source, null, "--debug=netlink", "list", "ruleset").EnsureSuccess($"[{source.Name}] nft --debug=netlink list ruleset").StandardOutput;
        int listingAt = output.StartsWith("table ", StringComparison.Ordinal) ? 0
            : output.IndexOf("\ntable ", StringComparison.Ordinal) is int newline and >= 0 ? newline + 1
            : output.Length;
        DebugDump nftDebug = DebugDump.Parse(output[..listingAt]);
        RulesetListing sourceListing = RulesetListing.Parse(output[listingAt..]);

        // 3. The library's view: decode and render.
        Ruleset ruleset;
        DebugDump ours;
        long libraryStart = Stopwatch.GetTimestamp();
        try
        {
            ruleset = await client.GetRulesetAsync();
            ours = DebugDump.Parse(NftDebugFormatter.Render(ruleset));
        }
        catch (Exception e)
        {
            Interlocked.Add(ref _libraryTicks, Stopwatch.GetTimestamp() - libraryStart);
            foreach (CorpusTarget t in accepted)
            {
                results.Add(Judge(step, t, "decode", $"{e.GetType().Name}: {e.Message}", null, null));
            }
            return;
        }

        // 4. Round trip into the target.
        string? recreateError = null;
        RulesetListing? targetListing = null;
        try
        {
            await target.ClearAsync();
            await target.Client.CommitAsync(NfTablesTransaction.Recreate(ruleset));
            Interlocked.Add(ref _libraryTicks, Stopwatch.GetTimestamp() - libraryStart);
            targetListing = RulesetListing.Parse(Nft(target.Namespace, null, "list", "ruleset").EnsureSuccess($"[{target.Namespace.Name}] nft list ruleset").StandardOutput);
        }
        catch (Exception e)
        {
            recreateError = $"{e.GetType().Name}: {e.Message}";
        }

        // 5. Judge each case on its own table; a difference nobody's table explains goes to all.
        var verdicts = new List<(CorpusTarget Target, string? Stage, string? Detail)>();
        foreach (CorpusTarget t in accepted)
        {
            string? a = TextDiff.Describe("nft", nftDebug.PartFor(t.Family, t.Table, t.Chain), "library", ours.PartFor(t.Family, t.Table, t.Chain), int.MaxValue);
            string? b = recreateError ?? TextDiff.Describe("source", sourceListing.TableText(t.Family, t.Table), "recreated", targetListing!.TableText(t.Family, t.Table), int.MaxValue);
            verdicts.Add(a is not null ? (t, "(a) rendering", a + (b is null ? "" : "\n  and (b) " + b))
                : b is not null ? (t, recreateError is not null ? "(b) recreate" : "(b) listing", b)
                : (t, null, null));
        }
        if (verdicts.All(v => v.Stage is null))
        {
            string? a = TextDiff.Describe("nft", nftDebug.Text, "library", ours.Text);
            string? b = TextDiff.Describe("source", sourceListing.Text, "recreated", targetListing!.Text);
            if (a is not null || b is not null)
            {
                verdicts = verdicts.Select(v => (v.Target, (string?)(a is not null ? "(a) rendering, another table" : "(b) listing, another table"), a ?? b)).ToList();
            }
        }
        foreach ((CorpusTarget t, string? stage, string? detail) in verdicts)
        {
            (List<string> names, List<string> unmodelled) = ExpressionsOf(ruleset, t);
            results.Add(Judge(step, t, stage, detail, names, unmodelled));
        }
    }

    private CaseResult Rejected(CorpusStep step, CorpusTarget target, string error)
    {
        if (_exclusion(step, target) is string reason)
        {
            return new CaseResult(step, target, CaseOutcome.Excluded, "nft add", $"{reason} (nft: {error})");
        }
        if (step.Needs is not null)
        {
            return new CaseResult(step, target, CaseOutcome.Skipped, "nft add", $"needs {step.Needs} (nft: {error})");
        }
        return new CaseResult(step, target, CaseOutcome.Failed, "nft add", $"nft rejected the rule: {error}");
    }

    private CaseResult Judge(CorpusStep step, CorpusTarget target, string? stage, string? detail, List<string>? names, List<string>? unmodelled)
    {
        if (stage is null)
        {
            return new CaseResult(step, target, CaseOutcome.Passed, Expressions: names, Unmodelled: unmodelled);
        }
        CaseOutcome outcome = _exclusion(step, target) is string reason ? CaseOutcome.Excluded : CaseOutcome.Failed;
        return new CaseResult(step, target, outcome, stage, detail, names, unmodelled);
    }

    private static (List<string> Names, List<string> Unmodelled) ExpressionsOf(Ruleset ruleset, CorpusTarget target)
    {
        var names = new List<string>();
        var unmodelled = new List<string>();
        foreach (Rule rule in ruleset.Rules)
        {
            if (FamilyKeyword(rule.Family) == target.Family && rule.Table == target.Table && rule.Chain == target.Chain)
            {
                foreach (NftExpression e in rule.Expressions)
                {
                    names.Add(e.Name);
                    if (e is UnknownExpression)
                    {
                        unmodelled.Add(e.Name);
                    }
                }
            }
        }
        return (names, unmodelled);
    }

    private static string FamilyKeyword(ProtocolFamily family) => family switch
    {
        ProtocolFamily.IPv4 => "ip",
        ProtocolFamily.IPv6 => "ip6",
        ProtocolFamily.Inet => "inet",
        ProtocolFamily.Netdev => "netdev",
        ProtocolFamily.Bridge => "bridge",
        ProtocolFamily.Arp => "arp",
        _ => family.ToString(),
    };

    /// <summary>
    /// nft inside <paramref name="ns"/>, started from a thread that has entered the namespace
    /// (a child process inherits its thread's namespaces): the same as <c>ip netns exec NAME nft</c>
    /// without the extra process and mounts, which cost about a quarter of each call.
    /// </summary>
    private Tool.Result Nft(TestNamespace ns, string? standardInput, params string[] arguments)
    {
        long start = Stopwatch.GetTimestamp();
        Tool.Result result = ns.Namespace.Run(() => Tool.Run("nft", arguments, standardInput));
        Interlocked.Add(ref _nftTicks, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref _nftCalls);
        return result;
    }

    private static string FirstLine(Tool.Result r)
    {
        string text = (r.StandardError + r.StandardOutput).Trim();
        int newline = text.IndexOf('\n');
        return newline < 0 ? text : text[..newline];
    }

    private static string Indent(string text) => string.Concat(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "    " + l + "\n"));

    /// <summary>A worker's target namespace and library client, emptied before each use.</summary>
    private sealed class Target : IDisposable
    {
        public Target()
        {
            Namespace = new TestNamespace("conf-target");
            Client = new NfTablesClient(Namespace.Namespace);
        }

        public TestNamespace Namespace { get; }

        public NfTablesClient Client { get; }

        /// <summary>flush ruleset, through the library: one transaction deleting every table.</summary>
        public async Task ClearAsync()
        {
            var tx = new NfTablesTransaction();
            await foreach (Table table in Client.ListTablesAsync())
            {
                tx.DeleteTable(table.Family, table.Name);
            }
            if (tx.Count > 0)
            {
                await Client.CommitAsync(tx);
            }
        }

        public void Dispose()
        {
            Client.Dispose();
            Namespace.Dispose();
        }
    }
}

/// <summary>The results of one group.</summary>
internal sealed record GroupResult(CorpusGroup Group, IReadOnlyList<CaseResult> Cases, IReadOnlyList<string> SetupFailures, TimeSpan Elapsed);
