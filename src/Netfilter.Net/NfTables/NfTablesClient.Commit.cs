using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesClient
{
    /// <summary>
    /// Applies <paramref name="transaction"/> as one atomic batch: every operation or none.
    /// </summary>
    /// <returns>The handles of added rules (NLM_F_ECHO).</returns>
    /// <exception cref="NfTablesGenerationException">The generation check failed: re-read and retry.</exception>
    /// <exception cref="NfTablesException">The kernel refused an operation; nothing was applied. The exception names it.</exception>
    public async Task<NfTablesCommitResult> CommitAsync(NfTablesTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return CommitCore(transaction, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    internal NfTablesCommitResult CommitCore(NfTablesTransaction transaction, CancellationToken cancellationToken)
    {
        var handles = new ulong[transaction.Count];
        if (transaction.Count == 0)
        {
            return new NfTablesCommitResult(handles, 0);
        }
        using var batch = new NfnetlinkBatch(_connection, NfnlSubsystem.NfTables, 64 * 1024, transaction.ExpectedGeneration);
        // Which operation wrote each message (set-element operations may write several).
        var operationOfMessage = new List<int>(transaction.Count);
        for (int i = 0; i < transaction.Count; i++)
        {
            NfTablesTransaction.Operation operation = transaction.Operations[i];
            int before = batch.Count;
            operation.Write(batch, operation);
            for (int m = before; m < batch.Count; m++)
            {
                operationOfMessage.Add(i);
            }
        }
        List<BatchFailure> failures = batch.Commit("nftables transaction", (int index, in NetlinkMessage reply) =>
        {
            int op = operationOfMessage[index];
            if (transaction.Operations[op].IsRuleAdd && NfnlMessageType.MessageOf(reply.Type) == NfTablesMessageType.NewRule)
            {
                handles[op] = RuleCodec.ReadHandle(reply) ?? 0;
            }
        }, cancellationToken);
        if (failures.Count > 0)
        {
            throw CreateException(transaction, batch, operationOfMessage, failures);
        }
        if (_logger is not null)
        {
            NfTablesLog.Committed(_logger, transaction.Count, batch.Count, transaction.Count > 0 ? transaction.Operations[0].Description : string.Empty);
        }
        return new NfTablesCommitResult(handles, batch.Count);
    }

    private static NfTablesException CreateException(NfTablesTransaction transaction, NfnetlinkBatch batch, List<int> operationOfMessage, List<BatchFailure> failures)
    {
        var all = new List<NfTablesFailure>(failures.Count);
        foreach (BatchFailure f in failures)
        {
            int op = f.Index < 0 ? -1 : operationOfMessage[f.Index];
            int? expression = op < 0 ? null : ExpressionAt(transaction.Operations[op], f.Error.Offset);
            all.Add(new NfTablesFailure(op, op < 0 ? "batch" : transaction.Operations[op].Description, f.Error.Errno, f.Error.Message, expression));
        }
        BatchFailure first = failures[0];
        if (first.Index < 0 && first.Error.Errno == Errno.ERESTART && transaction.ExpectedGeneration is uint expected)
        {
            return new NfTablesGenerationException(expected, first.Error.Request.Sequence, first.Error.Message, all);
        }
        NfTablesFailure head = all[0];
        string? expressionName = null;
        if (head.ExpressionIndex is int e && head.OperationIndex >= 0)
        {
            expressionName = transaction.Operations[head.OperationIndex].ExpressionNames?[e];
        }
        string messageType = first.Index < 0 ? "batch" : NfTablesMessageType.Name(batch.TypeOf(first.Index));
        string detail = head.OperationIndex < 0
            ? "the kernel refused the whole transaction"
            : $"operation {head.OperationIndex + 1} of {transaction.Count} ({head.Description})"
              + (head.ExpressionIndex is int ei ? $", expression {ei + 1} ({expressionName})" : string.Empty)
              + "; nothing was applied";
        return new NfTablesException(first.Error.Errno, $"nftables transaction {messageType}", first.Error.Request.Sequence, first.Error.Message, first.Error.Offset, detail, head.OperationIndex, head.Description, head.ExpressionIndex, expressionName, all);
    }

    /// <summary>The expression whose NFTA_LIST_ELEM contains <paramref name="offset"/> (from the message start), if any.</summary>
    private static int? ExpressionAt(NfTablesTransaction.Operation operation, uint? offset)
    {
        if (offset is not uint off || operation.ExpressionOffsets is not { Count: > 0 } offsets || off < offsets[0])
        {
            return null;
        }
        int found = 0;
        for (int i = 0; i < offsets.Count; i++)
        {
            if (offsets[i] <= off)
            {
                found = i;
            }
        }
        return found;
    }
}
