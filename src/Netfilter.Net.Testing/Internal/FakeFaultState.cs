using System.Threading;

namespace Netfilter.Net.Testing.Internal;

/// <summary>A refusal armed for the next commit: the errno, the kernel's extended-ack text and which operation it names.</summary>
internal sealed record FakeRefusal(Errno Errno, string? KernelMessage, int OperationIndex);

/// <summary>The faults armed in one fake namespace (see <see cref="FakeFaults"/>), read by the parts that honour them.</summary>
internal sealed class FakeFaultState
{
    private readonly object _lock = new();
    private int _lostRaces;
    private FakeRefusal? _refusal;

    /// <summary>Every netfilter request (nftables, conntrack) fails with EPERM, as without CAP_NET_ADMIN.</summary>
    public volatile bool NetAdminDenied;

    /// <summary>/proc/sys is mounted read-only: sysctl writes fail with EROFS.</summary>
    public volatile bool ProcSysReadOnly;

    public int PendingLostRaces
    {
        get
        {
            lock (_lock)
            {
                return _lostRaces;
            }
        }
    }

    public bool RefusalArmed
    {
        get
        {
            lock (_lock)
            {
                return _refusal is not null;
            }
        }
    }

    public void LoseRaces(int times)
    {
        lock (_lock)
        {
            _lostRaces += times;
        }
    }

    public void Refuse(FakeRefusal refusal)
    {
        lock (_lock)
        {
            _refusal = refusal;
        }
    }

    /// <summary>True when this commit is to lose the race (and one fewer is left).</summary>
    public bool TakeLostRace()
    {
        lock (_lock)
        {
            if (_lostRaces == 0)
            {
                return false;
            }
            _lostRaces--;
            return true;
        }
    }

    public FakeRefusal? TakeRefusal()
    {
        lock (_lock)
        {
            FakeRefusal? refusal = _refusal;
            _refusal = null;
            return refusal;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _lostRaces = 0;
            _refusal = null;
        }
        NetAdminDenied = false;
        ProcSysReadOnly = false;
    }
}
