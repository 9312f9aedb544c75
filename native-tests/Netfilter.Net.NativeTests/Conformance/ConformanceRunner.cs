using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
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
/// <item>read the ruleset with the library, render it, commit its <see cref="NfTablesTransaction.Recreate"/>
/// into the target and list the target with nft;</item>
/// <item>read <c>nft --debug=netlink list ruleset</c> in the source: (a) each case's table part of the
/// debug text must equal the library's rendering, (b) each case's table in the listing must equal
/// the target's.</item>
/// </list>
/// nft costs nearly all the time, so the source's <c>--debug=netlink list ruleset</c> of one step
/// usually rides in the same <c>nft -f</c> script as the next step's flush and add: nft runs a
/// script's list command before the script's transaction and prints it first. But nft prints the
/// listing from its cache, and evaluating a later command of the same script can change that
/// cache (a set declaration adds a set; a dynset or meter statement marks a set dynamic). So the
/// listing rides along only when the next script is a plain rule step: no setup, no
/// <c>add/update/delete @set</c>, no meter; otherwise, and when set elements can expire between
/// two reads, the source is listed on its own. Two nft runs per step instead of three, mostly.
/// </summary>
internal sealed class ConformanceRunner
{
    private const string ListRuleset = "list ruleset\n";
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
        var run = new GroupRun(source, client, target, cases);
        var placed = new List<(CorpusStep Step, List<CorpusTarget> Accepted)>();
        foreach (object item in group.Items)
        {
            if (item is CorpusSetup setup)
            {
                Tool.Result r = await RunWithPendingListAsync(run, setup.Script, alongside: false);
                if (r.ExitCode != 0 && setup.MustSucceed)
                {
                    setupFailures.Add($"{setup.Source}: nft -f - refused:\n{Indent(setup.Script)}  {FirstLine(r)}");
                }
            }
            else if (item is CorpusStep step)
            {
                string flush = string.Concat(group.Tables.Select(t => $"flush table {t.Family} {t.Table}\n"));
                string AddRule(CorpusTarget t) => $"add rule {t.Family} {t.Table} {t.Chain} {step.Rule}\n";

                // 1. Add the rule everywhere at once; on refusal, find out where nft rejects it.
                var accepted = new List<CorpusTarget>();
                bool alongside = !s_changesSets.IsMatch(step.Rule);
                if ((await RunWithPendingListAsync(run, flush + string.Concat(step.Targets.Select(AddRule)), alongside)).ExitCode == 0)
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
                            cases.Add(Rejected(step, t, FirstLine(r)));
                        }
                    }
                }

                // 2. The library's view, and the round trip; nft's view comes with the next nft run.
                if (accepted.Count > 0)
                {
                    run.Pending = await CaptureAsync(step, accepted, client, target);
                    placed.Add((step, accepted));
                }
            }
        }
        if (run.Pending is not null)
        {
            await JudgeAsync(run, ListSource(source), mayRetry: true);
        }
        WholeFileResult whole = await WholeFileAsync(group, run, placed);
        return new GroupResult(group, cases, setupFailures, stopwatch.Elapsed) { WholeFile = whole };
    }

    /// <summary>
    /// The whole file at once, in the source: its tables keep what the setup lines declared (sets,
    /// elements, objects) and get every rule nft accepted, in file order, without the flushes
    /// between steps. Then (a) the library's rendering of the ruleset, set elements and all,
    /// must equal nft's, and (b) the ruleset saved as a document (<see cref="RulesetDocument.SaveAsync"/>)
    /// and restored from it (<see cref="RulesetDocument.RestoreAsync"/>) into a fresh namespace must
    /// list as the source does. Elements that can expire meanwhile get the same second look as in
    /// <see cref="JudgeAsync"/>.
    /// </summary>
    private async Task<WholeFileResult> WholeFileAsync(CorpusGroup group, GroupRun run, List<(CorpusStep Step, List<CorpusTarget> Accepted)> placed)
    {
        string flush = string.Concat(group.Tables.Select(t => $"flush table {t.Family} {t.Table}\n"));
        List<string> adds = placed.SelectMany(p => p.Accepted.Select(t => $"add rule {t.Family} {t.Table} {t.Chain} {p.Step.Rule}\n")).ToList();
        int refused = 0;
        if (Nft(run.Source, flush + string.Concat(adds), "-f", "-").ExitCode != 0)
        {
            // Some rules cannot stand beside others (a set declared again with another type
            // between them): add them one by one, and count those nft refuses.
            Nft(run.Source, flush, "-f", "-").EnsureSuccess($"[{run.Source.Name}] flush");
            foreach (string add in adds)
            {
                if (Nft(run.Source, add, "-f", "-").ExitCode != 0)
                {
                    refused++;
                }
            }
        }
        WholeFileResult result = await WholeFileCheckAsync(adds.Count, refused, run);
        if ((!result.Decodes || !result.RoundTrips) && await run.Client.GetRulesetAsync() is Ruleset now && HasExpiringElements(now))
        {
            ulong soonest = now.Elements.Values.SelectMany(e => e).Select(e => e.Expiration ?? ulong.MaxValue).Min();
            if (soonest < 60_000)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(soonest) + TimeSpan.FromSeconds(1.5));
            }
            result = await WholeFileCheckAsync(adds.Count, refused, run);
        }
        return result;
    }

    private async Task<WholeFileResult> WholeFileCheckAsync(int rules, int refused, GroupRun run)
    {
        long start = Stopwatch.GetTimestamp();
        string nftOutput = ListSource(run.Source);
        (string debug, string listing) = SplitListOutput(nftOutput) ?? (nftOutput, string.Empty);
        string? decode;
        try
        {
            decode = TextDiff.Describe("nft", debug, "library", NftDebugFormatter.Render(await run.Client.GetRulesetAsync()), int.MaxValue);
        }
        catch (Exception e)
        {
            decode = $"{e.GetType().Name}: {e.Message}";
        }
        string? roundTrip;
        long bytes = 0;
        try
        {
            using var document = new MemoryStream();
            await RulesetDocument.SaveAsync(run.Client, document);
            bytes = document.Length;
            document.Position = 0;
            await run.Target.ClearAsync();
            await RulesetDocument.RestoreAsync(run.Target.Client, document);
            string target = Nft(run.Target.Namespace, null, "list", "ruleset").EnsureSuccess($"[{run.Target.Namespace.Name}] nft list ruleset").StandardOutput;
            roundTrip = TextDiff.Describe("source", RulesetListing.Parse(listing).Text, "restored", RulesetListing.Parse(target).Text, int.MaxValue);
        }
        catch (Exception e)
        {
            roundTrip = $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            Interlocked.Add(ref _libraryTicks, Stopwatch.GetTimestamp() - start);
        }
        return new WholeFileResult(rules, refused, decode, roundTrip, bytes);
    }

    /// <summary>One group's namespaces, client, results, and the step waiting for nft's view.</summary>
    private sealed class GroupRun
    {
        public GroupRun(TestNamespace source, NfTablesClient client, Target target, List<CaseResult> cases)
        {
            Source = source;
            Client = client;
            Target = target;
            Cases = cases;
        }

        public TestNamespace Source { get; }
        public NfTablesClient Client { get; }
        public Target Target { get; }
        public List<CaseResult> Cases { get; }
        public Pending? Pending { get; set; }
    }

    /// <summary>
    /// Runs <paramref name="script"/> in the source, after judging the step that waits for nft's
    /// view: from a <c>list ruleset</c> that starts the same script when <paramref name="alongside"/>
    /// allows it and no element can expire meanwhile, else from a listing of its own. When nft
    /// refused the script before running anything (a syntax or type error), the state is unchanged
    /// and a separate listing serves.
    /// </summary>
    private async Task<Tool.Result> RunWithPendingListAsync(GroupRun run, string script, bool alongside)
    {
        if (run.Pending is null)
        {
            return Nft(run.Source, script, "-f", "-");
        }
        if (!alongside || run.Pending.Ruleset is null || HasExpiringElements(run.Pending.Ruleset))
        {
            await JudgeAsync(run, ListSource(run.Source), mayRetry: true);
            return Nft(run.Source, script, "-f", "-");
        }
        Tool.Result r = Nft(run.Source, ListRuleset + script, "--debug=netlink", "-f", "-");
        await JudgeAsync(run, SplitListOutput(r.StandardOutput) is null ? ListSource(run.Source) : r.StandardOutput, mayRetry: false);
        return r;
    }

    // Statements whose evaluation changes nft's cached sets: dynset (add/update/delete @set) and meter.
    private static readonly Regex s_changesSets = new(@"(^|[\s{;])(add|update|delete)\s+@|\bmeter\b", RegexOptions.CultureInvariant);

    private string ListSource(TestNamespace source) =>
        Nft(source, null, "--debug=netlink", "list", "ruleset").EnsureSuccess($"[{source.Name}] nft --debug=netlink list ruleset").StandardOutput;

    /// <summary>
    /// Judges the pending step. A set element with a timeout can expire between the library's
    /// read and nft's (upstream's <c>dead::beef timeout 5s</c>): when a case fails while such an
    /// element exists and the source has not changed since (<paramref name="mayRetry"/>), both
    /// views are taken again, back to back, after the soonest element has expired if that is
    /// within a minute, and that second judgement stands.
    /// </summary>
    private async Task JudgeAsync(GroupRun run, string nftOutput, bool mayRetry)
    {
        Pending p = run.Pending!;
        run.Pending = null;
        List<CaseResult> verdicts = Judge(p, nftOutput);
        if (mayRetry && verdicts.Any(v => v.Outcome != CaseOutcome.Passed) && p.Ruleset is not null && HasExpiringElements(p.Ruleset))
        {
            // An element that expires within the minute is let expire first: a retry taken just
            // before its end would race the same way.
            ulong soonest = p.Ruleset.Elements.Values.SelectMany(e => e).Select(e => e.Expiration ?? ulong.MaxValue).Min();
            if (soonest < 60_000)
            {
                TimeSpan left = TimeSpan.FromMilliseconds(soonest) - Stopwatch.GetElapsedTime(p.ReadAt);
                await Task.Delay((left > TimeSpan.Zero ? left : TimeSpan.Zero) + TimeSpan.FromSeconds(1.5));
            }
            Pending again = await CaptureAsync(p.Step, p.Accepted, run.Client, run.Target);
            verdicts = Judge(again, ListSource(run.Source));
        }
        run.Cases.AddRange(verdicts);
    }

    /// <summary>True when an element expires within ten minutes (NFTA_SET_ELEM_EXPIRATION, milliseconds left): long enough for any group.</summary>
    private static bool HasExpiringElements(Ruleset ruleset) =>
        ruleset.Elements.Values.Any(elements => elements.Any(e => e.Expiration is < 600_000));

    /// <summary>What the library read after a step, and what became of it in the target.</summary>
    private sealed record Pending(CorpusStep Step, List<CorpusTarget> Accepted, Ruleset? Ruleset, DebugDump? Ours, string? DecodeError, string? RecreateError, RulesetListing? TargetListing)
    {
        /// <summary>When the library read the ruleset (Stopwatch ticks): element expirations count from here.</summary>
        public long ReadAt { get; init; } = Stopwatch.GetTimestamp();
    }

    private async Task<Pending> CaptureAsync(CorpusStep step, List<CorpusTarget> accepted, NfTablesClient client, Target target)
    {
        long start = Stopwatch.GetTimestamp();
        Ruleset ruleset;
        DebugDump ours;
        try
        {
            ruleset = await client.GetRulesetAsync();
            ours = DebugDump.Parse(NftDebugFormatter.Render(ruleset));
        }
        catch (Exception e)
        {
            Interlocked.Add(ref _libraryTicks, Stopwatch.GetTimestamp() - start);
            return new Pending(step, accepted, null, null, $"{e.GetType().Name}: {e.Message}", null, null);
        }
        try
        {
            await target.ClearAsync();
            await target.Client.CommitAsync(NfTablesTransaction.Recreate(ruleset));
        }
        catch (Exception e)
        {
            return new Pending(step, accepted, ruleset, ours, null, $"{e.GetType().Name}: {e.Message}", null);
        }
        finally
        {
            Interlocked.Add(ref _libraryTicks, Stopwatch.GetTimestamp() - start);
        }
        string listing = Nft(target.Namespace, null, "list", "ruleset").EnsureSuccess($"[{target.Namespace.Name}] nft list ruleset").StandardOutput;
        return new Pending(step, accepted, ruleset, ours, null, null, RulesetListing.Parse(listing));
    }

    /// <summary>Judges each case of <paramref name="p"/> on its own table; a difference nobody's table explains goes to all.</summary>
    private List<CaseResult> Judge(Pending p, string nftOutput)
    {
        var results = new List<CaseResult>();
        if (p.DecodeError is not null)
        {
            foreach (CorpusTarget t in p.Accepted)
            {
                results.Add(Verdict(p.Step, t, "decode", p.DecodeError, null, null));
            }
            return results;
        }
        (string debugText, string listingText) = SplitListOutput(nftOutput) ?? (nftOutput, string.Empty);
        DebugDump nftDebug = DebugDump.Parse(debugText);
        RulesetListing sourceListing = RulesetListing.Parse(listingText);
        DebugDump ours = p.Ours!;
        RulesetListing? targetListing = p.TargetListing;
        var verdicts = new List<(CorpusTarget Target, string? Stage, string? Detail)>();
        foreach (CorpusTarget t in p.Accepted)
        {
            // A case whose rule nft does not show, or whose table nft does not list, would pass
            // by comparing nothing with nothing: that is a failure of the harness, said as such.
            string? a = !nftDebug.HasRuleIn(t.Family, t.Table, t.Chain)
                ? $"nft's debug dump shows no rule in {t}: nothing to compare"
                : TextDiff.Describe("nft", nftDebug.PartFor(t.Family, t.Table, t.Chain), "library", ours.PartFor(t.Family, t.Table, t.Chain), int.MaxValue);
            string? b = p.RecreateError
                ?? (sourceListing.TableText(t.Family, t.Table).Length == 0 ? $"nft's listing of the source shows no table {t.Family} {t.Table}: nothing to compare" : null)
                ?? TextDiff.Describe("source", sourceListing.TableText(t.Family, t.Table), "recreated", targetListing!.TableText(t.Family, t.Table), int.MaxValue);
            verdicts.Add(a is not null ? (t, "(a) rendering", a + (b is null ? "" : "\n  and (b) " + b))
                : b is not null ? (t, p.RecreateError is not null ? "(b) recreate" : "(b) listing", b)
                : (t, null, null));
        }
        if (verdicts.All(v => v.Stage is null))
        {
            string? a = TextDiff.Describe("nft", nftDebug.Text, "library", ours.Text, int.MaxValue);
            string? b = TextDiff.Describe("source", sourceListing.Text, "recreated", targetListing!.Text, int.MaxValue);
            if (a is not null || b is not null)
            {
                verdicts = verdicts.Select(v => (v.Target, (string?)(a is not null ? "(a) rendering, another table" : "(b) listing, another table"), a ?? b)).ToList();
            }
        }
        foreach ((CorpusTarget t, string? stage, string? detail) in verdicts)
        {
            (List<string> names, List<string> unmodelled) = ExpressionsOf(p.Ruleset!, t);
            results.Add(Verdict(p.Step, t, stage, detail, names, unmodelled));
        }
        return results;
    }

    /// <summary>
    /// Cuts what <c>nft --debug=netlink -f -</c> printed for a script starting with
    /// <c>list ruleset</c>: the list path's debug text, then the listing (whole "table ... {" to "}"
    /// blocks); anything after the last table is the script's own add-path debug text. Null when
    /// the output holds no listing (nft stopped before running the list command).
    /// </summary>
    internal static (string Debug, string Listing)? SplitListOutput(string output)
    {
        int start = output.StartsWith("table ", StringComparison.Ordinal) ? 0 : output.IndexOf("\ntable ", StringComparison.Ordinal) is int n and >= 0 ? n + 1 : -1;
        if (start < 0)
        {
            return null;
        }
        int end = start;
        while (end < output.Length && string.CompareOrdinal(output, end, "table ", 0, 6) == 0)
        {
            int close = output.IndexOf("\n}\n", end, StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }
            end = close + 3;
        }
        return (output[..start], output[start..end]);
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

    private CaseResult Verdict(CorpusStep step, CorpusTarget target, string? stage, string? detail, List<string>? names, List<string>? unmodelled)
    {
        if (stage is null)
        {
            return new CaseResult(step, target, CaseOutcome.Passed, Expressions: names, Unmodelled: unmodelled);
        }
        CaseOutcome outcome = _exclusion(step, target) is not null ? CaseOutcome.Excluded : CaseOutcome.Failed;
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

    private static string FamilyKeyword(NetfilterFamily family) => family switch
    {
        NetfilterFamily.IPv4 => "ip",
        NetfilterFamily.IPv6 => "ip6",
        NetfilterFamily.Inet => "inet",
        NetfilterFamily.Netdev => "netdev",
        NetfilterFamily.Bridge => "bridge",
        NetfilterFamily.Arp => "arp",
        _ => family.ToString(),
    };

    /// <summary>
    /// nft inside <paramref name="ns"/>, started from a thread that has entered the namespace
    /// (a child process inherits its thread's namespaces): the same as <c>ip netns exec NAME nft</c>
    /// without the extra process and mounts.
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
internal sealed record GroupResult(CorpusGroup Group, IReadOnlyList<CaseResult> Cases, IReadOnlyList<string> SetupFailures, TimeSpan Elapsed)
{
    /// <summary>The group's whole-file check.</summary>
    public WholeFileResult? WholeFile { get; init; }
}
