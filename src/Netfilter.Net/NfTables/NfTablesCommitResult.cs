using System.Collections.Generic;

namespace Netfilter.Net.NfTables;

/// <summary>What a committed transaction produced.</summary>
public sealed class NfTablesCommitResult
{
    private readonly ulong[] _handles;

    internal NfTablesCommitResult(ulong[] handles, int messages)
    {
        _handles = handles;
        Messages = messages;
    }

    /// <summary>
    /// For each operation of the transaction, in order: the handle the kernel gave the rule it
    /// added, inserted or replaced (from the NLM_F_ECHO copy), or 0 for other operations and
    /// for every rule of a transaction created with <see cref="NfTablesTransaction.ReturnsHandles"/> false.
    /// </summary>
    public IReadOnlyList<ulong> Handles => _handles;

    /// <summary>How many netlink messages the batch held (begin and end excluded).</summary>
    public int Messages { get; }
}
