using System;
using System.Collections.Generic;

namespace Netfilter.Net.NfTables;

/// <summary>
/// The kernel refused an nftables transaction. Nothing of it was applied. The exception names
/// the operation that failed (its index in the transaction and its description, e.g.
/// "add rule inet nat pre") and, when the kernel pointed at an attribute inside a rule, the
/// expression (its index and name), with the kernel's extended-ack text.
/// </summary>
public class NfTablesException : NetlinkException
{
    internal NfTablesException(Errno errno, string operation, uint sequence, string? kernelMessage, uint? attributeOffset, string detail, int operationIndex, string? operationDescription, int? expressionIndex, string? expressionName, IReadOnlyList<NfTablesFailure> failures)
        : base(errno, operation, sequence, kernelMessage, attributeOffset, detail)
    {
        OperationIndex = operationIndex;
        OperationDescription = operationDescription;
        ExpressionIndex = expressionIndex;
        ExpressionName = expressionName;
        Failures = failures;
    }

    /// <summary>0-based index of the failing operation in the transaction; -1 when the batch as a whole was refused.</summary>
    public int OperationIndex { get; }

    /// <summary>The failing operation, e.g. "add rule inet nat pre".</summary>
    public string? OperationDescription { get; }

    /// <summary>For rules: the 0-based index of the expression the kernel pointed at, when it gave an offset.</summary>
    public int? ExpressionIndex { get; }

    /// <summary>For rules: that expression's name (e.g. "nat").</summary>
    public string? ExpressionName { get; }

    /// <summary>Every refusal the kernel reported for this transaction, in operation order.</summary>
    public IReadOnlyList<NfTablesFailure> Failures { get; }
}

/// <summary>One refused operation of a transaction.</summary>
/// <param name="OperationIndex">0-based index in the transaction (-1: the batch as a whole).</param>
/// <param name="Description">The operation's description.</param>
/// <param name="Errno">What the kernel said.</param>
/// <param name="KernelMessage">The kernel's extended-ack text, if any.</param>
/// <param name="ExpressionIndex">For rules, the expression the kernel pointed at.</param>
public sealed record NfTablesFailure(int OperationIndex, string Description, Errno Errno, string? KernelMessage, int? ExpressionIndex);

/// <summary>
/// A transaction with <see cref="NfTablesTransaction.ExpectedGeneration"/> was refused because the
/// ruleset changed since that generation was read (the kernel answered ERESTART). Nothing was
/// applied: re-read the ruleset and the generation, recompute, and commit again.
/// </summary>
public sealed class NfTablesGenerationException : NfTablesException
{
    internal NfTablesGenerationException(uint expected, uint sequence, string? kernelMessage, IReadOnlyList<NfTablesFailure> failures)
        : base(Errno.ERESTART, "nftables transaction", sequence, kernelMessage, null,
            $"the ruleset is no longer at generation {expected}: someone else changed it. Re-read and retry",
            -1, "batch", null, null, failures)
    {
        ExpectedGeneration = expected;
    }

    /// <summary>The generation the transaction expected.</summary>
    public uint ExpectedGeneration { get; }
}
