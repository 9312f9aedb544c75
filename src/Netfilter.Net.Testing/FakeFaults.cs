using System;
using Netfilter.Net.Testing.Internal;

namespace Netfilter.Net.Testing;

/// <summary>
/// Failures a test arms in a fake namespace, each raising exactly what the real clients raise
/// (the same exception types, errnos, operations and messages) and none leaving anything
/// half-applied: a refused commit changes nothing.
/// </summary>
/// <example>
/// <code>
/// kernel.Faults.LoseNextCommitRaces(2);          // another writer wins the next two commits
/// NatApplyResult result = await table.ApplyAsync(rules);
/// Assert.Equal(3, result.Attempts);
///
/// kernel.Faults.NetAdminDenied = true;           // as a process without CAP_NET_ADMIN
/// await Assert.ThrowsAsync&lt;NetlinkException&gt;(() => table.ListAsync());
/// </code>
/// </example>
public sealed class FakeFaults
{
    private readonly FakeFaultState _state;
    private readonly FakeConntrack _conntrack;

    internal FakeFaults(FakeFaultState state, FakeConntrack conntrack)
    {
        _state = state;
        _conntrack = conntrack;
    }

    /// <summary>
    /// Every netfilter request fails with EPERM, as for a process without CAP_NET_ADMIN: nftables
    /// reads (<see cref="NetlinkException"/> on <c>get NFT_MSG_GETGEN</c>) and commits
    /// (<see cref="NfTables.NfTablesException"/> on the batch), every conntrack call, and joining
    /// conntrack events; the doctor reports <c>cap-net-admin-missing</c>. Sysctls are files, not
    /// netlink: see <see cref="ProcSysReadOnly"/>.
    /// </summary>
    public bool NetAdminDenied
    {
        get => _state.NetAdminDenied;
        set => _state.NetAdminDenied = value;
    }

    /// <summary>
    /// /proc/sys is mounted read-only, as in every container that is not privileged: sysctl writes
    /// fail with <see cref="Sysctl.SysctlException"/> of kind <see cref="Sysctl.SysctlErrorKind.ReadOnlyFileSystem"/>
    /// (reads work), and the doctor's fixes name the container-level way.
    /// </summary>
    public bool ProcSysReadOnly
    {
        get => _state.ProcSysReadOnly;
        set => _state.ProcSysReadOnly = value;
    }

    /// <summary>Commits that will still lose their generation race (see <see cref="LoseNextCommitRaces"/>).</summary>
    public int PendingCommitRaces => _state.PendingLostRaces;

    /// <summary>
    /// The next <paramref name="times"/> commits made with a generation check lose the race: just
    /// before each, another writer changes the ruleset (the generation moves on), so the kernel's
    /// check refuses it with <see cref="NfTables.NfTablesGenerationException"/>. A NAT table re-reads
    /// and retries, up to <see cref="Nat.NatTableOptions.ApplyAttempts"/>, and
    /// <see cref="Nat.NatApplyResult.Attempts"/> counts the rounds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="times"/> is negative.</exception>
    public void LoseNextCommitRaces(int times = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        _state.LoseRaces(times);
    }

    /// <summary>
    /// The next commit is refused by the kernel with <paramref name="errno"/> and, when given, the
    /// extended-ack text <paramref name="kernelMessage"/>: an <see cref="NfTables.NfTablesException"/>
    /// that names operation <paramref name="operationIndex"/> of the transaction (the last one when the
    /// transaction is shorter), and nothing of the transaction is applied.
    /// </summary>
    public void RefuseNextCommit(Errno errno = Errno.EINVAL, string? kernelMessage = null, int operationIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(operationIndex);
        _state.Refuse(new FakeRefusal(errno, kernelMessage, operationIndex));
    }

    /// <summary>Every conntrack watch of the namespace reports <see cref="Conntrack.ConntrackEventType.Lost"/> (as after ENOBUFS) and then a fresh snapshot.</summary>
    public void LoseConntrackEvents() => _conntrack.LoseEvents();

    /// <summary>Disarms every fault.</summary>
    public void Clear() => _state.Clear();
}
