using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Hosting;

/// <summary>
/// The per-rule counters of one hosted table as last read (<see cref="INatTable.ListStatisticsAsync"/>),
/// kept by the table's reconciler for the observable counters of <see cref="NetfilterMeter"/>
/// (<see cref="NetfilterMetrics.NatRulePackets"/>, <see cref="NetfilterMetrics.NatRuleBytes"/>).
/// </summary>
/// <remarks>
/// An observable callback runs synchronously inside a collection and never waits for the kernel:
/// it reports <see cref="Current"/> and, when that is older than the refresh interval, starts one
/// read in the background (<see cref="RefreshInBackground"/>). The reconciler reads again after each
/// successful apply, so a rule added or removed shows up (or goes) with the apply, not an interval
/// later. Reads are ordered: a read that started before another one finished last never replaces
/// the newer snapshot, and a read of a table the reconciler has let go of is dropped.
/// </remarks>
internal sealed class HostedNatRuleStatistics
{
    private readonly object _lock = new();
    private INatTable? _table;
    private long _started;
    private long _stored;
    private Snapshot? _snapshot;
    private Task? _refresh;
    private long? _triedAt;

    /// <summary>The counters of every whole rule and when they were read (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    internal sealed record Snapshot(IReadOnlyList<NatRuleStatistics> Rules, long TakenAt);

    /// <summary>The last snapshot of the table attached now; null before the first read or when no table is attached.</summary>
    public Snapshot? Current
    {
        get
        {
            lock (_lock)
            {
                return _snapshot;
            }
        }
    }

    /// <summary>The read under way in the background, if any (tests wait on it between two collections).</summary>
    public Task? Refreshing
    {
        get
        {
            lock (_lock)
            {
                return _refresh;
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="table"/> the one whose counters are kept (null: none, when the reconciler
    /// retires or closes it). A different table drops the snapshot and any read still under way.
    /// </summary>
    public void Attach(INatTable? table)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_table, table))
            {
                return;
            }
            _table = table;
            _snapshot = null;
            _triedAt = null;
            _stored = _started;
        }
    }

    /// <summary>Reads the attached table's counters now and keeps them; nothing when no table is attached. Errors reach the caller.</summary>
    public async Task RefreshAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        INatTable? table;
        long sequence;
        lock (_lock)
        {
            table = _table;
            sequence = ++_started;
            _triedAt = time.GetTimestamp();
        }
        if (table is null)
        {
            return;
        }
        IReadOnlyList<NatRuleStatistics> rules = await table.ListStatisticsAsync(cancellationToken).ConfigureAwait(false);
        long takenAt = time.GetTimestamp();
        lock (_lock)
        {
            if (sequence > _stored && ReferenceEquals(_table, table))
            {
                _stored = sequence;
                _snapshot = new Snapshot(rules, takenAt);
            }
        }
    }

    /// <summary>
    /// Starts one <see cref="RefreshAsync"/> off the calling thread when a table is attached, no read
    /// is under way and the last read started at least <paramref name="interval"/> ago (or none did);
    /// returns at once. A read that failed is so tried again an interval later, not at every collection.
    /// </summary>
    /// <param name="interval">The longest a snapshot is reused.</param>
    /// <param name="time">The clock the snapshot's age is read with.</param>
    /// <param name="failed">Told why a read failed (the snapshot stays as it was).</param>
    /// <param name="cancellationToken">Cancels the read (the host stopping).</param>
    public void RefreshInBackground(TimeSpan interval, TimeProvider time, Action<Exception> failed, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_table is null || _refresh is not null || cancellationToken.IsCancellationRequested
                || (_triedAt is long triedAt && time.GetElapsedTime(triedAt) < interval))
            {
                return;
            }
            _refresh = RunAsync();
        }

        async Task RunAsync()
        {
            // Off the collecting thread: the callback that started this returns at once.
            await Task.Yield();
            try
            {
                await RefreshAsync(time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                failed(e);
            }
            finally
            {
                lock (_lock)
                {
                    _refresh = null;
                }
            }
        }
    }
}
