using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// Shrinks a failing sequence to a short one that still fails, against the kernel: the sequence is
/// cut after the failing step, replaced by one apply of the model's state and the failing step
/// when that still fails (else stripped of its earlier probes when that still fails), then delta debugging (Zeller's ddmin) drops chunks of steps, halving
/// the chunk size when none can go, and finally drops rules from the desired sets of the
/// remaining apply steps one by one. Every candidate runs on a fresh table.
/// </summary>
/// <remarks>
/// CsCheck shrinks by sampling again at smaller sizes (its random shrinking), which needs many
/// runs of cheap properties. A run here costs a kernel round trip per step and a failure often
/// needs a few particular steps among a thousand, so the shrink works on the failing sequence
/// itself; CsCheck's seed still reproduces the whole sequence (NFNET_MODEL_SEEDS).
/// </remarks>
internal static class ModelShrinker
{
    public static async Task<(List<ModelOp> Ops, ModelRunFailure Failure, int Runs)> ShrinkAsync(ModelRunFailure failure, Func<List<ModelOp>, Task<ModelRunFailure?>> run, TimeSpan budget)
    {
        DateTime deadline = DateTime.UtcNow + budget;
        List<ModelOp> ops = failure.Ops.Take(failure.Step + 1).ToList();
        ModelRunFailure last = failure;
        int runs = 0;

        async Task<bool> FailsAsync(List<ModelOp> candidate)
        {
            runs++;
            if (await run(candidate) is ModelRunFailure f)
            {
                ops = candidate.Take(f.Step + 1).ToList();
                last = f;
                return true;
            }
            return false;
        }

        // Two cheap candidates first, because a run costs a kernel round trip per step: the state
        // before the failing step reached by one apply, then the failing step; then the sequence
        // without the probes (real connections, the slowest steps) before the failing step.
        var jump = new List<ModelOp>();
        if (failure.Before is { } held)
        {
            jump.Add(new ApplyOp(held));
        }
        jump.Add(ops[^1]);
        if (jump.Count < ops.Count)
        {
            await FailsAsync(jump);
        }
        var withoutProbes = ops.Take(ops.Count - 1).Where(o => o.IsMutation).Append(ops[^1]).ToList();
        if (withoutProbes.Count < ops.Count)
        {
            await FailsAsync(withoutProbes);
        }

        int n = 2;
        while (ops.Count >= 2 && DateTime.UtcNow < deadline)
        {
            int chunk = (ops.Count + n - 1) / n;
            bool reduced = false;
            for (int start = 0; start < ops.Count && DateTime.UtcNow < deadline; start += chunk)
            {
                var complement = ops.Take(start).Concat(ops.Skip(start + chunk)).ToList();
                if (complement.Count > 0 && await FailsAsync(complement))
                {
                    n = Math.Max(n - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced)
            {
                if (chunk == 1)
                {
                    break;
                }
                n = Math.Min(ops.Count, n * 2);
            }
        }
        for (int i = 0; i < ops.Count && DateTime.UtcNow < deadline; i++)
        {
            for (int j = 0; i < ops.Count && ops[i] is ApplyOp apply && j < apply.Rules.Count && DateTime.UtcNow < deadline; j++)
            {
                var fewer = new List<NatRule>(apply.Rules);
                fewer.RemoveAt(j);
                var candidate = new List<ModelOp>(ops) { [i] = new ApplyOp(fewer) };
                if (await FailsAsync(candidate))
                {
                    j--;
                }
            }
        }
        return (ops, last, runs);
    }
}
