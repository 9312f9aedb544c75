using System;
using System.Collections.Generic;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Operations;

namespace Netfilter.Net.Testing.Internal;

/// <summary>
/// The exceptions the real clients throw, built with the library's own constructors and the
/// same operation names and details (NfTablesClient.CreateException, NetlinkConnection), so code
/// that catches them, or prints them, behaves the same against the fake.
/// </summary>
internal static class FakeErrors
{
    /// <summary>A request refused with EPERM: what every netfilter request gets without CAP_NET_ADMIN.</summary>
    public static NetlinkException Denied(string operation, uint sequence) => new(Errno.EPERM, operation, sequence);

    /// <summary>nfnetlink_rcv refuses the batch itself (its begin message) without CAP_NET_ADMIN.</summary>
    public static NfTablesException BatchDenied(uint sequence) =>
        new(Errno.EPERM, "nftables transaction batch", sequence, null, null, "the kernel refused the whole transaction; nothing was applied",
            -1, "batch", null, null, new[] { new NfTablesFailure(-1, "batch", Errno.EPERM, null, null) });

    /// <summary>The generation check failed (ERESTART on the batch begin).</summary>
    public static NfTablesGenerationException GenerationChanged(uint expected, uint sequence) =>
        new(expected, sequence, null, new[] { new NfTablesFailure(-1, "batch", Errno.ERESTART, null, null) });

    /// <summary>The kernel refused operation <paramref name="index"/> of <paramref name="transaction"/>; nothing was applied.</summary>
    public static NfTablesException Refused(NfTablesTransaction transaction, int index, Errno errno, string? kernelMessage, uint sequence)
    {
        Operation operation = transaction.Operations[index];
        var failures = new List<NfTablesFailure> { new(index, operation.Description, errno, kernelMessage, null) };
        string detail = $"operation {index + 1} of {transaction.Count} ({operation.Description}); nothing was applied";
        return new NfTablesException(errno, $"nftables transaction {NfTablesMessageType.Name(MessageType(operation))}", sequence, kernelMessage, null, detail,
            index, operation.Description, null, null, failures);
    }

    public static NfTablesCommitResult CommitResult(ulong[] handles, int messages) => new(handles, messages);

    /// <summary>The message type an operation is sent as (its first message).</summary>
    private static byte MessageType(Operation operation) => operation switch
    {
        TableOperation t => t.Kind.Type,
        ChainOperation c => c.Kind.Type,
        RuleOperation r => r.Kind.Type,
        RuleDeleteOperation d => d.IsDestroy ? NfTablesMessageType.DestroyRule : NfTablesMessageType.DelRule,
        SetOperation s => s.Kind.Type,
        ElementsOperation e => e.Kind.Type,
        _ => throw new NotSupportedException($"the in-memory kernel does not model '{operation.Description}'"),
    };
}
