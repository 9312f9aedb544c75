using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// The library call a <see cref="ModelOp"/> stands for, made the same way by every runner: the
/// serial <see cref="ModelRunner"/>, the in-process writers of <see cref="NatConcurrencyModelTests"/>
/// and the writer processes (<c>child nat-model-writer</c>). The answer is what
/// <see cref="ModelLinearizer.Outcome"/> reads: ApplyAsync's <see cref="NatApplyResult"/>,
/// AddAsync's bool, RemoveAsync's removed <see cref="NatRule"/> (or null).
/// </summary>
internal static class ModelCall
{
    /// <summary>Calls <paramref name="nat"/> as <paramref name="op"/> says and returns its answer; a step that is no call (a probe, a read) is an <see cref="ArgumentException"/> naming <paramref name="op"/>.</summary>
    public static async Task<object?> InvokeAsync(NatTable nat, ModelOp op) => op switch
    {
        AddOp add => await nat.AddAsync(add.Rule),
        RemoveOp remove => await nat.RemoveAsync(remove.Rule),
        ApplyOp apply => await nat.ApplyAsync(apply.Rules),
        _ => throw new ArgumentException($"not a call: {op}", nameof(op)),
    };

    /// <summary>
    /// <see cref="InvokeAsync"/>, with what it throws as the answer when <paramref name="isAnswer"/>
    /// says so (a refusal is an answer the model predicts); anything else propagates.
    /// </summary>
    public static async Task<(object? Result, Exception? Error)> TryInvokeAsync(NatTable nat, ModelOp op, Func<Exception, bool> isAnswer)
    {
        try
        {
            return (await InvokeAsync(nat, op), null);
        }
        catch (Exception e) when (isAnswer(e))
        {
            return (null, e);
        }
    }
}
