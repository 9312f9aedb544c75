using System.Text;
using System.Text.RegularExpressions;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>A disagreement between the library (or the kernel) and the model.</summary>
internal sealed class ModelMismatchException : Exception
{
    public ModelMismatchException(string message)
        : base(message)
    {
    }
}

/// <summary>A run that disagreed with the model: at which step, and why.</summary>
internal sealed class ModelRunFailure : Exception
{
    public ModelRunFailure(int step, IReadOnlyList<ModelOp> ops, string message, IReadOnlyList<NatRule>? before, Exception? inner = null)
        : base(message, inner)
    {
        Step = step;
        Ops = ops;
        Before = before;
    }

    /// <summary>The model's rules before the failing step; null when the table did not exist yet. What lets the shrinker try one apply and the failing step alone.</summary>
    public IReadOnlyList<NatRule>? Before { get; }

    /// <summary>The index in <see cref="Ops"/> of the step that disagreed.</summary>
    public int Step { get; }

    public IReadOnlyList<ModelOp> Ops { get; }
}

/// <summary>What a run did, for the report: calls by outcome, probes by outcome.</summary>
internal sealed class ModelRunStatistics
{
    public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    public int Mutations { get; set; }

    /// <summary>Where a run's time went, by phase (the call, the library's reads, nft's listing, probes): what tells a slow run where to look.</summary>
    public Dictionary<string, TimeSpan> Times { get; } = new(StringComparer.Ordinal);

    public void Count(string what) => Counts[what] = Counts.GetValueOrDefault(what) + 1;

    /// <summary>Adds the time since <paramref name="start"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) to <paramref name="phase"/> and returns a new timestamp.</summary>
    public long Time(string phase, long start)
    {
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        Times[phase] = Times.GetValueOrDefault(phase) + System.Diagnostics.Stopwatch.GetElapsedTime(start, now);
        return now;
    }

    /// <summary>The phases' times, largest first.</summary>
    public string TimesText => string.Join(", ", Times.OrderByDescending(t => t.Value).Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Key} {t.Value.TotalSeconds:F1} s")));

    public void Add(ModelRunStatistics other)
    {
        Mutations += other.Mutations;
        foreach ((string key, int n) in other.Counts)
        {
            Counts[key] = Counts.GetValueOrDefault(key) + n;
        }
        foreach ((string key, TimeSpan t) in other.Times)
        {
            Times[key] = Times.GetValueOrDefault(key) + t;
        }
    }

    public override string ToString() => string.Join(", ", Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
}

/// <summary>
/// Runs a sequence of <see cref="ModelOp"/>s against a fresh <see cref="NatTable"/> in the router of a
/// <see cref="ModelNetwork"/> and against a <see cref="ModelTable"/>, and after every step checks:
/// the call returned or threw what the model says; one transaction was committed when the model
/// changed (or the table was created) and none otherwise (the ruleset generation); ListAsync
/// equals the model as a set of canonical rules; InspectAsync reports the table intact with the
/// same rules; and <c>nft -j list table</c> holds exactly the pieces of the model's rules
/// (<see cref="NftTableOracle"/>). A probe step makes a real connection and compares it with
/// <see cref="ModelPackets.Predict"/>.
/// </summary>
internal sealed class ModelRunner
{
    private static int s_tables;
    private readonly ModelNetwork _network;

    public ModelRunner(ModelNetwork network) => _network = network;

    public ModelRunStatistics Statistics { get; } = new();

    /// <summary>Runs <paramref name="ops"/> on a new table, deleted afterwards; throws <see cref="ModelRunFailure"/> at the first disagreement.</summary>
    public async Task RunAsync(IReadOnlyList<ModelOp> ops)
    {
        string name = "model" + Interlocked.Increment(ref s_tables).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var model = new ModelTable(name);
        using var nat = new NatTable(name, new NatTableOptions { Namespace = _network.Router.Namespace });
        using var client = new NfTablesClient(_network.Router.Namespace);
        NatRule? lastRemoved = null;
        try
        {
            for (int i = 0; i < ops.Count; i++)
            {
                List<NatRule>? before = model.Exists ? model.Rules.Select(r => r.Rule).ToList() : null;
                try
                {
                    switch (ops[i])
                    {
                        case ProbeOp probe:
                            ProbeRule(model, probe, lastRemoved);
                            continue;
                        default:
                            lastRemoved = await MutateAsync(nat, client, model, ops[i]) ?? lastRemoved;
                            Statistics.Mutations++;
                            break;
                    }
                    await CheckAsync(nat, model);
                }
                catch (Exception e) when (e is not ModelRunFailure)
                {
                    var sb = new StringBuilder();
                    ops[i].Print(sb);
                    throw new ModelRunFailure(i, ops, $"step {i + 1} '{sb.ToString().TrimEnd().Replace("\n", " / ", StringComparison.Ordinal)}': {e.Message}\nthe model held:\n{model}", before, e);
                }
            }
        }
        finally
        {
            _network.Router.Exec("nft", "delete", "table", "inet", name);
        }
    }

    /// <summary>Calls the library, holds its answer against the model's, and returns a rule that is no longer there (for a later probe).</summary>
    private async Task<NatRule?> MutateAsync(NatTable nat, NfTablesClient client, ModelTable model, ModelOp op)
    {
        long clock = System.Diagnostics.Stopwatch.GetTimestamp();
        uint before = (await client.GetGenerationAsync()).Id;
        clock = Statistics.Time("generation reads", clock);
        (object? answer, Exception? error) = await ModelCall.TryInvokeAsync(nat, op, isAnswer: e => e is ArgumentException or NatRuleConflictException or InvalidOperationException);
        if (error is null)
        {
            Statistics.Time("library calls", clock);
        }
        bool changed;
        NatRule? gone = null;
        switch (op)
        {
            case ApplyOp apply:
                {
                    ApplyOutcome want = model.Apply(apply.Rules);
                    NatApplyResult? result = (NatApplyResult?)answer;
                    if (want.Refused)
                    {
                        Statistics.Count("apply refused");
                        if (error is not ArgumentException { ParamName: "desired" } refused)
                        {
                            throw new ModelMismatchException($"ApplyAsync must refuse: '{want.Conflicts[0].A}' and '{want.Conflicts[0].B}' conflict; it {Describe(result, error)}");
                        }
                        Match names = Regex.Match(refused.Message, "^'(?<a>[^']*)' and '(?<b>[^']*)' cannot share a table");
                        if (!names.Success || !want.Conflicts.Any(p => (p.A.Text == names.Groups["a"].Value && p.B.Text == names.Groups["b"].Value) || (p.B.Text == names.Groups["a"].Value && p.A.Text == names.Groups["b"].Value)))
                        {
                            throw new ModelMismatchException($"ApplyAsync refused, but its message does not name two rules that conflict in the model ({string.Join("; ", want.Conflicts.Select(p => $"'{p.A}' x '{p.B}'"))}): {refused.Message}");
                        }
                        changed = false;
                        break;
                    }
                    if (result is null)
                    {
                        throw new ModelMismatchException($"ApplyAsync must apply (the model finds no conflict); it {Describe(result, error)}");
                    }
                    Statistics.Count(want.Changed ? "apply changed" : "apply unchanged");
                    var problems = new List<string>();
                    Compare("Added", result.Added.Select(r => r.ToString()), want.Added, problems);
                    Compare("Removed", result.Removed.Select(r => r.ToString()), want.Removed, problems);
                    if (result.Unchanged != want.Unchanged) problems.Add($"Unchanged {result.Unchanged}, the model says {want.Unchanged}");
                    if (result.Changed != want.Changed) problems.Add($"Changed {result.Changed}, the model says {want.Changed}");
                    if (result.Repaired.Count > 0) problems.Add($"Repaired [{string.Join("; ", result.Repaired)}] in an intact table");
                    if (result.ForeignRemoved.Count > 0) problems.Add($"ForeignRemoved [{string.Join("; ", result.ForeignRemoved)}] in an intact table");
                    if (result.LayoutRepaired.Count != (want.Created ? 1 : 0) || (want.Created && !result.LayoutRepaired[0].StartsWith("created table inet " + model.Name, StringComparison.Ordinal)))
                    {
                        problems.Add($"LayoutRepaired [{string.Join("; ", result.LayoutRepaired)}], the model {(want.Created ? "creates the table" : "has the table already")}");
                    }
                    if (result.Attempts != 1) problems.Add($"Attempts {result.Attempts} with no other writer");
                    if (result.Warnings.Count > 0) problems.Add($"Warnings [{string.Join("; ", result.Warnings)}]: forwarding is on and every target is on a connected network");
                    if (problems.Count > 0)
                    {
                        throw new ModelMismatchException($"ApplyAsync returned '{result}': {string.Join("; ", problems)}");
                    }
                    changed = want.Changed;
                    gone = want.Removed.Count > 0 ? NatRuleParser.Parse(want.Removed[^1]) : null;
                    break;
                }
            case AddOp add:
                {
                    AddOutcome want = model.Add(add.Rule);
                    bool? result = (bool?)answer;
                    if (want.Refused)
                    {
                        Statistics.Count(want.Holders.Any(h => h.Identity == ModelRule.Of(add.Rule).Identity) ? "add refused (same identity)" : "add refused");
                        CheckRefusal("AddAsync", add.Rule, want.Holders, error, result);
                        changed = false;
                        break;
                    }
                    if (result != want.Added)
                    {
                        throw new ModelMismatchException($"AddAsync must return {want.Added}; it {Describe(result, error)}");
                    }
                    Statistics.Count(want.Added ? "add added" : "add already there");
                    changed = want.Added;
                    break;
                }
            case RemoveOp remove:
                {
                    RemoveOutcome want = model.Remove(remove.Rule);
                    NatRule? result = (NatRule?)answer;
                    if (want.Refused)
                    {
                        Statistics.Count("remove refused");
                        CheckRefusal("RemoveAsync", remove.Rule, want.Holders, error, result);
                        changed = false;
                        break;
                    }
                    if (error is not null || result?.ToString() != want.Removed)
                    {
                        throw new ModelMismatchException($"RemoveAsync must return {(want.Removed is null ? "null" : $"'{want.Removed}'")}; it {Describe(result, error)}");
                    }
                    Statistics.Count(want.Removed is null ? "remove none" : want.Removed == remove.Rule.ToString() ? "remove removed" : "remove removed (other options)");
                    changed = want.Removed is not null;
                    gone = result;
                    break;
                }
            default:
                throw new ArgumentException($"not a mutation: {op}", nameof(op));
        }
        clock = System.Diagnostics.Stopwatch.GetTimestamp();
        uint after = (await client.GetGenerationAsync()).Id;
        Statistics.Time("generation reads", clock);
        uint expected = changed ? before + 1 : before;
        if (after != expected)
        {
            throw new ModelMismatchException($"the ruleset generation went from {before} to {after}: {(changed ? "a change is one transaction" : "a call that changes nothing sends nothing")}");
        }
        return gone;
    }

    private static void CheckRefusal(string call, NatRule rule, IReadOnlyList<ModelRule> holders, Exception? error, object? result)
    {
        if (error is not NatRuleConflictException conflict)
        {
            throw new ModelMismatchException($"{call} must refuse with NatRuleConflictException naming one of [{string.Join("; ", holders.Select(h => $"'{h}'"))}]; it {Describe(result, error)}");
        }
        if (conflict.Holder is null || !holders.Any(h => h.Text == conflict.Holder.ToString()))
        {
            throw new ModelMismatchException($"{call} refused naming '{conflict.Holder}', which the model does not find in conflict (it finds [{string.Join("; ", holders.Select(h => $"'{h}'"))}]): {conflict.Message}");
        }
        if (conflict.Rule.ToString() != rule.ToString() || !conflict.Message.Contains($"'{conflict.Holder}'", StringComparison.Ordinal))
        {
            throw new ModelMismatchException($"{call}'s refusal does not show the rule given and the holder: {conflict.Message}");
        }
    }

    private static string Describe(object? result, Exception? error) => error is not null
        ? $"threw {error.GetType().Name}: {error.Message}"
        : $"returned {(result is null ? "null" : $"'{result}'")}";

    private static void Compare(string what, IEnumerable<string> actual, IReadOnlyList<string> expected, List<string> problems)
    {
        var a = actual.ToHashSet(StringComparer.Ordinal);
        if (!a.SetEquals(expected))
        {
            problems.Add($"{what} [{string.Join("; ", a)}], the model says [{string.Join("; ", expected)}]");
        }
    }

    /// <summary>ListAsync, InspectAsync and nft against the model.</summary>
    private async Task CheckAsync(NatTable nat, ModelTable model)
    {
        IReadOnlySet<string> want = model.Texts;
        long clock = System.Diagnostics.Stopwatch.GetTimestamp();
        IReadOnlyList<NatRule> listed = await nat.ListAsync();
        clock = Statistics.Time("ListAsync", clock);
        var have = listed.Select(r => r.ToString()).ToList();
        if (have.Count != have.Distinct(StringComparer.Ordinal).Count() || !have.ToHashSet(StringComparer.Ordinal).SetEquals(want))
        {
            throw new ModelMismatchException($"ListAsync returned [{string.Join("; ", have)}], the model holds [{string.Join("; ", want)}]");
        }
        NatTableReport report = await nat.InspectAsync();
        clock = Statistics.Time("InspectAsync", clock);
        if (!report.IsIntact || !report.Rules.Select(r => r.ToString()).ToHashSet(StringComparer.Ordinal).SetEquals(want))
        {
            throw new ModelMismatchException($"InspectAsync is not intact or not the model:\n{report}");
        }
        List<string> differences = NftTableOracle.Read(_network.RouterNft, model.Name).Differences(model);
        Statistics.Time("nft listing", clock);
        if (differences.Count > 0)
        {
            throw new ModelMismatchException("nft -j list table disagrees with the model:\n  " + string.Join("\n  ", differences));
        }
    }

    private void ProbeRule(ModelTable model, ProbeOp op, NatRule? lastRemoved)
    {
        // A quarter of the probes go to the rule removed last, which must no longer translate anything.
        bool removed = lastRemoved is not null && !model.Rules.Any(r => r.Text == lastRemoved.ToString()) && (op.Pick % 4 == 0 || model.Rules.Count == 0);
        if (!removed && model.Rules.Count == 0)
        {
            Statistics.Count("probe skipped (empty)");
            return;
        }
        NatRule rule = removed ? lastRemoved! : model.Rules[op.Pick / 4 % model.Rules.Count].Rule;
        Probe probe = ModelProbes.For(ModelRule.Of(rule), op.Variant);
        Prediction prediction = ModelPackets.Predict(model, probe);
        long clock = System.Diagnostics.Stopwatch.GetTimestamp();
        string? answer = _network.Connect(probe, prediction.NeedsRouteBack);
        Statistics.Time(answer is null ? "probes answered by nobody" : "probes answered", clock);
        if (ModelNetwork.Judge(prediction, answer) is string wrong)
        {
            throw new ModelMismatchException($"probe of '{rule}' ({probe}): {wrong}");
        }
        Statistics.Count((removed ? "probe of a removed rule: " : "probe: ") + (prediction.Answerer ?? "nobody"));
    }
}
