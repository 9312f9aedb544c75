using System.Globalization;
using System.Text;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// One library call made by one of several concurrent writers: what it was, when it ran (in
/// <see cref="System.Diagnostics.Stopwatch"/> ticks), what it answered (<see cref="ModelLinearizer.Outcome"/>
/// form) and how many commits it tried (the generation check refused all but the last).
/// </summary>
internal sealed record ConcurrentCall(int Writer, int Index, ModelOp Op, long Start, long End, string Observed, int Tries)
{
    public override string ToString()
    {
        var sb = new StringBuilder();
        Op.Print(sb);
        return string.Create(CultureInfo.InvariantCulture, $"writer {Writer} call {Index} [{Start}..{End}] {sb.ToString().TrimEnd().Replace("\n", " / ", StringComparison.Ordinal)} -> {Observed} ({Tries} commits tried)");
    }
}

/// <summary>
/// Looks for a serial order of concurrent calls that explains them (linearizability, after Wing
/// and Gong): an order that keeps each writer's own order and the real-time order (a call that
/// ended before another started comes first), in which the <see cref="ModelTable"/> answers every
/// call as the library did and ends in the state the kernel holds. A depth-first search over
/// (next call of each writer, model state), each pair visited once. A call that gave up (the
/// generation check refused every attempt, or every read of the table was interrupted) must have
/// changed nothing, so it is no step at all; a read that gave up saw nothing.
/// </summary>
internal static class ModelLinearizer
{
    public const string GaveUp = "gave up";

    /// <summary>What the model answers to <paramref name="op"/> (and the change it makes to <paramref name="model"/>), in the form <see cref="Outcome(ModelOp, object?, Exception?)"/> gives the library's answers.</summary>
    public static string Expected(ModelTable model, ModelOp op) => op switch
    {
        AddOp add => model.Add(add.Rule) switch
        {
            { Refused: true } => "refused",
            { Added: true } => "added",
            _ => "already there",
        },
        RemoveOp remove => model.Remove(remove.Rule) switch
        {
            { Refused: true } => "refused",
            { Removed: string text } => "removed " + text,
            _ => "none",
        },
        ApplyOp apply => model.Apply(apply.Rules) switch
        {
            { Refused: true } => "refused",
            var outcome => Applied(outcome.Added, outcome.Removed),
        },
        ReadOp => Listed(model.Texts),
        _ => throw new ArgumentException($"not a call: {op}", nameof(op)),
    };

    /// <summary>What a read that lists <paramref name="rules"/> saw, in the words <see cref="Expected"/> gives the model's state.</summary>
    public static string Listed(IEnumerable<string> rules) => $"lists [{string.Join("; ", rules.Order(StringComparer.Ordinal))}]";

    /// <summary>The library's answer in the model's words: its return value, a refusal, giving up, or (never in the model) any other exception.</summary>
    public static string Outcome(ModelOp op, object? result, Exception? error) => error switch
    {
        // Both are the library's typed give-up under contention, and both change nothing: every
        // commit was refused by the generation check, or every consistent read of the table was
        // interrupted by another writer's commit (a change reads before it commits; a read has
        // no other way to fail). So no step, and for a read no observation.
        NfTablesGenerationException or NetlinkDumpInterruptedException => GaveUp,
        NatRuleConflictException => "refused",
        ArgumentException { ParamName: "desired" } when op is ApplyOp => "refused",
        // Anything else is no answer the model gives, so no serial order explains it: the failure shows it with the other calls.
        not null => $"threw {error.GetType().Name}: {error.Message}",
        _ => (op, result) switch
        {
            (AddOp, bool added) => added ? "added" : "already there",
            (RemoveOp, NatRule removed) => "removed " + removed,
            (RemoveOp, null) => "none",
            (ApplyOp, NatApplyResult r) => Applied(r.Added.Select(x => x.ToString()), r.Removed.Select(x => x.ToString())),
            _ => throw new InvalidOperationException($"unexpected answer {result} to {op}"),
        },
    };

    private static string Applied(IEnumerable<string> added, IEnumerable<string> removed) =>
        $"applied +[{string.Join("; ", added.Order(StringComparer.Ordinal))}] -[{string.Join("; ", removed.Order(StringComparer.Ordinal))}]";

    /// <summary>
    /// A serial order of all <paramref name="writers"/>' calls that explains them and whose final
    /// model state <paramref name="final"/> accepts, or null when there is none (or the search
    /// visited <paramref name="maxStates"/> states: <paramref name="visited"/> says how many).
    /// </summary>
    public static List<ConcurrentCall>? Find(IReadOnlyList<IReadOnlyList<ConcurrentCall>> writers, ModelTable initial, Func<ModelTable, bool> final, int maxStates, out int visited) =>
        Find(writers, initial, final, maxStates, out visited, out _);

    /// <summary>
    /// As <see cref="Find(IReadOnlyList{IReadOnlyList{ConcurrentCall}}, ModelTable, Func{ModelTable, bool}, int, out int)"/>;
    /// when there is no order, <paramref name="why"/> describes the longest order the search could
    /// build (so the first call that nothing explains is named, with what the model would have
    /// answered in its place), and whether the search ran out of states.
    /// </summary>
    public static List<ConcurrentCall>? Find(IReadOnlyList<IReadOnlyList<ConcurrentCall>> writers, ModelTable initial, Func<ModelTable, bool> final, int maxStates, out int visited, out string? why)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<ConcurrentCall>();
        int[] next = new int[writers.Count];
        int count = 0;
        // The longest order built: how far the calls are explained before the search is stuck.
        var deepest = new List<ConcurrentCall>();
        ModelTable? deepestModel = null;
        int[] deepestNext = new int[writers.Count];

        bool Search(ModelTable model)
        {
            if (order.Count > deepest.Count || deepestModel is null)
            {
                deepest = new List<ConcurrentCall>(order);
                deepestModel = model.Clone();
                next.CopyTo(deepestNext, 0);
            }
            if (next.Select((n, w) => n == writers[w].Count).All(done => done))
            {
                return final(model);
            }
            if (++count > maxStates || !seen.Add(string.Join(',', next) + "|" + model.Key))
            {
                return false;
            }
            for (int w = 0; w < writers.Count; w++)
            {
                if (next[w] == writers[w].Count)
                {
                    continue;
                }
                ConcurrentCall call = writers[w][next[w]];
                // Real time: a call still to be placed that ended before this one started must come first.
                bool blocked = false;
                for (int v = 0; v < writers.Count && !blocked; v++)
                {
                    blocked = v != w && next[v] < writers[v].Count && writers[v][next[v]].End < call.Start;
                }
                if (blocked)
                {
                    continue;
                }
                ModelTable after = model.Clone();
                if (call.Observed != GaveUp && Expected(after, call.Op) != call.Observed)
                {
                    continue;
                }
                next[w]++;
                order.Add(call);
                if (Search(call.Observed == GaveUp ? model : after))
                {
                    return true;
                }
                order.RemoveAt(order.Count - 1);
                next[w]--;
            }
            return false;
        }

        bool found = Search(initial.Clone());
        visited = count;
        why = found ? null : Describe(writers, deepest, deepestModel!, deepestNext, count > maxStates);
        return found ? order : null;
    }

    /// <summary>Where the longest order stopped: the model's state there, and each writer's next call with the model's answer to it.</summary>
    private static string Describe(IReadOnlyList<IReadOnlyList<ConcurrentCall>> writers, List<ConcurrentCall> deepest, ModelTable model, int[] next, bool outOfStates)
    {
        int total = writers.Sum(w => w.Count);
        var sb = new StringBuilder();
        if (outOfStates)
        {
            sb.Append("the search ran out of states before it found an order; ");
        }
        sb.Append(CultureInfo.InvariantCulture, $"the longest order found places {deepest.Count} of {total} calls");
        if (deepest.Count == total)
        {
            sb.Append(" (all of them), but the state it ends in is not the kernel's: ").Append(Listed(model.Texts));
            return sb.ToString();
        }
        sb.Append(", the last of them: ");
        foreach (ConcurrentCall placed in deepest.TakeLast(4))
        {
            sb.Append("\n    ").Append(placed);
        }
        sb.Append("\n  after them the model ").Append(Listed(model.Texts)).Append(", and no writer's next call fits:");
        for (int w = 0; w < writers.Count; w++)
        {
            if (next[w] == writers[w].Count)
            {
                continue;
            }
            ConcurrentCall call = writers[w][next[w]];
            sb.Append("\n    ").Append(call).Append("\n      the model would answer: ").Append(Expected(model.Clone(), call.Op));
            for (int v = 0; v < writers.Count; v++)
            {
                if (v != w && next[v] < writers[v].Count && writers[v][next[v]].End < call.Start)
                {
                    sb.Append(CultureInfo.InvariantCulture, $" (and writer {v}'s next call ended before it started)");
                    break;
                }
            }
        }
        return sb.ToString();
    }
}
