using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Operations;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesClient
{
    /// <summary>
    /// Applies <paramref name="transaction"/> as one atomic batch: every operation or none.
    /// </summary>
    /// <returns>The handles of added, inserted and replaced rules (NLM_F_ECHO).</returns>
    /// <exception cref="NfTablesGenerationException">The generation check (<see cref="NfTablesTransaction.ExpectedGeneration"/>) failed: re-read and retry.</exception>
    /// <exception cref="NfTablesException">The kernel refused an operation; nothing was applied. The exception names it, and for rules the expression.</exception>
    /// <exception cref="NetlinkException">The socket failed (for example ENOBUFS when the kernel's answers did not fit).</exception>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled before the batch was sent: nothing was
    /// applied. Once the batch is sent, cancellation is no longer observed: the kernel has applied
    /// or refused it by then, and the call reports which.
    /// </exception>
    public async Task<NfTablesCommitResult> CommitAsync(NfTablesTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CommitCoreAsync(transaction, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    internal async Task<NfTablesCommitResult> CommitCoreAsync(NfTablesTransaction transaction, CancellationToken cancellationToken)
    {
        var handles = new ulong[transaction.Count];
        if (transaction.Count == 0)
        {
            return new NfTablesCommitResult(handles, 0);
        }
        IReadOnlyList<Operation> operations = transaction.Operations;
        // NLM_F_ACK on the last message only: refusals are always reported, and one ack instead
        // of 10,000 makes a 10,000-rule commit several times cheaper (NfTablesSuite benchmark).
        using var batch = new NfnetlinkBatch(_connection, NfnlSubsystem.NfTables, 64 * 1024, transaction.ExpectedGeneration, acknowledgeEach: false);
        // Which operation wrote each message (an element operation may write several).
        var operationOfMessage = new int[Math.Max(transaction.Count, 16)];
        for (int i = 0; i < operations.Count; i++)
        {
            int before = batch.Count;
            operations[i].Write(batch);
            if (batch.Count > operationOfMessage.Length)
            {
                Array.Resize(ref operationOfMessage, Math.Max(batch.Count, operationOfMessage.Length * 2));
            }
            for (int m = before; m < batch.Count; m++)
            {
                operationOfMessage[m] = i;
            }
        }
        // Cancellation counts until the batch is sent, and not after: nfnetlink runs a batch inside
        // the sendmsg that carries it (nfnetlink_rcv_batch commits or aborts before returning),
        // so once it is sent the kernel has decided, and its answers are already queued. Reading
        // them cannot wait long, and giving up on them would report "cancelled" for a change
        // that was applied.
        cancellationToken.ThrowIfCancellationRequested();
        List<BatchFailure> failures = await batch.CommitAsync("nftables transaction", (int index, in NetlinkMessage reply) =>
        {
            // NLM_F_ECHO copies of new rules carry the handle the kernel assigned.
            if ((uint)index < (uint)batch.Count && NfnlMessageType.MessageOf(reply.Type) == NfTablesMessageType.NewRule)
            {
                int op = operationOfMessage[index];
                if (operations[op].EchoesHandle)
                {
                    handles[op] = RuleCodec.ReadHandle(reply) ?? 0;
                }
            }
        }, CancellationToken.None).ConfigureAwait(false);
        if (failures.Count > 0)
        {
            throw CreateException(transaction, batch, operationOfMessage, failures, RunningKernel);
        }
        TrackOwnedTables(operations);
        if (_logger is not null)
        {
            NfTablesLog.Committed(_logger, transaction.Count, batch.Count, operations[0].Description);
        }
        return new NfTablesCommitResult(handles, batch.Count);
    }

    /// <summary>The running kernel's release, for telling a refusal that an older kernel explains (tests set another).</summary>
    internal Version RunningKernel { get; set; } = KernelVersion.Running;

    /// <summary>
    /// Maps the kernel's refusals back to the operations (and expressions) that caused them. A
    /// refusal that a feature missing from <paramref name="kernel"/> explains (the operation uses
    /// it, the kernel is older than it or was built without it, and the errno is the one such a
    /// kernel answers with) becomes an <see cref="NfTablesKernelFeatureException"/>.
    /// </summary>
    private static NfTablesException CreateException(NfTablesTransaction transaction, NfnetlinkBatch batch, int[] operationOfMessage, List<BatchFailure> failures, Version kernel)
    {
        IReadOnlyList<Operation> operations = transaction.Operations;
        var all = new List<NfTablesFailure>(failures.Count);
        foreach (BatchFailure f in failures)
        {
            if (f.Index < 0)
            {
                all.Add(new NfTablesFailure(-1, "batch", f.Error.Errno, f.Error.Message, null));
                continue;
            }
            Operation operation = operations[operationOfMessage[f.Index]];
            int? expression = f.Error.Offset is uint offset ? operation.ExpressionAt(offset) : null;
            all.Add(new NfTablesFailure(operationOfMessage[f.Index], operation.Description, f.Error.Errno, f.Error.Message, expression));
        }
        BatchFailure first = failures[0];
        NfTablesFailure head = all[0];
        if (first.Index < 0 && first.Error.Errno == Errno.ERESTART && transaction.ExpectedGeneration is uint expected)
        {
            // nfnetlink_rcv_batch: !ss->valid_genid(net, genid) → netlink_ack(..., -ERESTART) on the batch begin.
            return new NfTablesGenerationException(expected, first.Error.Request.Sequence, first.Error.Message, all);
        }
        string? expressionName = head.ExpressionIndex is int e ? operations[head.OperationIndex].ExpressionName(e) : null;
        string messageType = first.Index < 0 ? "batch" : NfTablesMessageType.Name(batch.TypeOf(first.Index));
        string detail = head.OperationIndex < 0
            ? "the kernel refused the whole transaction; nothing was applied"
            : $"operation {head.OperationIndex + 1} of {transaction.Count} ({head.Description})"
              + (head.ExpressionIndex is int ei ? $", expression {ei + 1} ({expressionName})" : string.Empty)
              + "; nothing was applied"
              + (all.Count > 1 ? $" ({all.Count} operations were refused; see Failures)" : string.Empty);
        if (head.OperationIndex >= 0 && operations[head.OperationIndex].MissingFeature(first.Error.Errno, first.Error.Offset, head.ExpressionIndex, kernel) is KernelFeature missing)
        {
            return new NfTablesKernelFeatureException(first.Error.Errno, $"nftables transaction {messageType}", first.Error.Request.Sequence, first.Error.Message, first.Error.Offset, detail, head.OperationIndex, head.Description, head.ExpressionIndex, expressionName, all, missing, kernel);
        }
        return new NfTablesException(first.Error.Errno, $"nftables transaction {messageType}", first.Error.Request.Sequence, first.Error.Message, first.Error.Offset, detail, head.OperationIndex, head.Description, head.ExpressionIndex, expressionName, all);
    }
}
