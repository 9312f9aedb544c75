using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Hosting;
using Netfilter.Net.Nat;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Tests.Hosting;

/// <summary>How long a test waits for something the host does in the background before it fails (a safety net, never a measurement).</summary>
internal static class Patience
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public static async Task<T> Within<T>(this Task<T> task)
    {
        Task done = await Task.WhenAny(task, Task.Delay(Wait));
        if (done != task)
        {
            throw new TimeoutException($"nothing happened in {Wait.TotalSeconds} s");
        }
        return await task;
    }

    public static async Task Within(this Task task)
    {
        Task done = await Task.WhenAny(task, Task.Delay(Wait));
        if (done != task)
        {
            throw new TimeoutException($"nothing happened in {Wait.TotalSeconds} s");
        }
        await task;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked every few milliseconds), for at most <see cref="Wait"/>.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not so after {Wait.TotalSeconds} s");
            }
            await Task.Delay(5);
        }
    }
}

/// <summary>One call of <see cref="INatTable.ApplyAsync"/> on a <see cref="TableDouble"/>.</summary>
internal sealed record ApplyCall(string Table, IReadOnlyList<string> Rules, bool Failed);

/// <summary>
/// An <see cref="INatTableFactory"/> whose tables keep their rules in memory and record every
/// call. <see cref="FailNext"/> makes the next applies throw, as a kernel refusal would.
/// </summary>
internal sealed class TableFactoryDouble : INatTableFactory
{
    private readonly Channel<ApplyCall> _applies = Channel.CreateUnbounded<ApplyCall>();

    public ConcurrentQueue<(string Name, NatTableOptions Options)> Opened { get; } = new();

    public ConcurrentDictionary<string, List<string>> Kernel { get; } = new();

    public ConcurrentQueue<string> Deleted { get; } = new();

    public int Disposed;

    /// <summary>How many of the next applies fail.</summary>
    public int FailNext;

    public Exception Failure { get; set; } = new InvalidOperationException("the kernel said no (test)");

    /// <summary>The counters of each rule by its canonical text (a rule not in it has none); ListStatisticsAsync reads them.</summary>
    public ConcurrentDictionary<string, (ulong Packets, ulong Bytes)> Counters { get; } = new();

    public int StatisticsReads;

    /// <summary>A read of the counters answers once this completes (a test holds a read under way with it).</summary>
    public Task StatisticsHeld { get; set; } = Task.CompletedTask;

    public INatTable Open(string name, NatTableOptions? options = null)
    {
        Opened.Enqueue((name, options ?? new NatTableOptions()));
        return new TableDouble(this, name);
    }

    /// <summary>The next apply (successful or not), waiting for it.</summary>
    public Task<ApplyCall> NextApplyAsync() => _applies.Reader.ReadAsync().AsTask().Within();

    public bool HasPendingApply => _applies.Reader.Count > 0;

    internal void Record(ApplyCall call) => _applies.Writer.TryWrite(call);

    private sealed class TableDouble : INatTable
    {
        private readonly TableFactoryDouble _owner;

        public TableDouble(TableFactoryDouble owner, string name)
        {
            _owner = owner;
            Name = name;
        }

        public string Name { get; }

        public Task<NatApplyResult> ApplyAsync(IEnumerable<NatRule> desired, CancellationToken cancellationToken = default)
        {
            List<string> wanted = desired.Select(r => r.ToString()).Distinct().ToList();
            if (Interlocked.Decrement(ref _owner.FailNext) >= 0)
            {
                _owner.Record(new ApplyCall(Name, wanted, Failed: true));
                throw _owner.Failure;
            }
            Interlocked.Exchange(ref _owner.FailNext, 0);
            List<string> had = _owner.Kernel.GetOrAdd(Name, _ => new List<string>());
            List<NatRule> added = desired.Where(r => !had.Contains(r.ToString())).ToList();
            List<NatRule> removed = had.Where(t => !wanted.Contains(t)).Select(NatRuleParser.Parse).ToList();
            int unchanged = wanted.Count - added.Count;
            _owner.Kernel[Name] = wanted;
            var result = new NatApplyResult(added, removed, Array.Empty<NatRule>(), Array.Empty<string>(), Array.Empty<string>(), unchanged,
                Array.Empty<NatWarning>(), attempts: 1, changed: added.Count + removed.Count > 0);
            _owner.Record(new ApplyCall(Name, wanted, Failed: false));
            return Task.FromResult(result);
        }

        public Task<bool> AddAsync(NatRule rule, CancellationToken cancellationToken = default) => throw new NotSupportedException("the reconciler only applies");

        public Task<NatRule?> RemoveAsync(NatRule rule, CancellationToken cancellationToken = default) => throw new NotSupportedException("the reconciler only applies");

        public Task<IReadOnlyList<NatRule>> ListAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<NatRule>>(_owner.Kernel.GetValueOrDefault(Name, new List<string>()).Select(NatRuleParser.Parse).ToList());

        public async Task<IReadOnlyList<NatRuleStatistics>> ListStatisticsAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _owner.StatisticsReads);
            List<string> rules = _owner.Kernel.GetValueOrDefault(Name, new List<string>()).ToList();
            await _owner.StatisticsHeld.WaitAsync(cancellationToken);
            return rules.Select(r => _owner.Counters.TryGetValue(r, out var c)
                ? new NatRuleStatistics(NatRuleParser.Parse(r), c.Packets, c.Bytes)
                : new NatRuleStatistics(NatRuleParser.Parse(r), null, null)).ToList();
        }

        public Task<NatTableReport> InspectAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException("the reconciler does not inspect");

        public Task<bool> DeleteAsync(CancellationToken cancellationToken = default)
        {
            _owner.Deleted.Enqueue(Name);
            return Task.FromResult(_owner.Kernel.TryRemove(Name, out _));
        }

        public void Dispose() => Interlocked.Increment(ref _owner.Disposed);
    }
}

/// <summary>An <see cref="IDoctor"/> that returns the findings a test sets, and records what it was asked.</summary>
internal sealed class DoctorDouble : IDoctor
{
    public IReadOnlyList<DoctorFinding> Findings { get; set; } = Array.Empty<DoctorFinding>();

    public ConcurrentQueue<DoctorOptions> Asked { get; } = new();

    public Task<IReadOnlyList<DoctorFinding>> DiagnoseAsync(DoctorOptions options, CancellationToken cancellationToken = default)
    {
        Asked.Enqueue(options);
        return Task.FromResult(Findings);
    }
}

/// <summary>Sysctls in a dictionary; a key that was never set does not exist.</summary>
internal sealed class SysctlDouble : ISysctlClient
{
    public ConcurrentDictionary<string, string> Values { get; } = new();

    public ConcurrentQueue<string> Writes { get; } = new();

    public string Read(SysctlKey key) => TryRead(key, out string value) ? value : throw new InvalidOperationException($"no key {key}");

    public bool TryRead(SysctlKey key, out string value) => Values.TryGetValue(key.ToString(), out value!);

    public bool Exists(SysctlKey key) => Values.ContainsKey(key.ToString());

    public void Write(SysctlKey key, string value)
    {
        Values[key.ToString()] = value;
        Writes.Enqueue($"{key}={value}");
    }

    public IReadOnlyList<string?> ReadMany(IReadOnlyList<SysctlKey> keys) => keys.Select(k => TryRead(k, out string v) ? v : null).ToList();

    public void WriteMany(IReadOnlyList<(SysctlKey Key, string Value)> settings)
    {
        foreach ((SysctlKey key, string value) in settings)
        {
            Write(key, value);
        }
    }
}

/// <summary>A conntrack client with statistics a test sets and an event stream a test writes to.</summary>
internal sealed class ConntrackDouble : IConntrackClient
{
    public ConntrackStatistics Statistics { get; set; } = new(Entries: 0, MaxEntries: 65536);

    public int StatisticsReads;

    public Channel<ConntrackEvent> Events { get; } = Channel.CreateUnbounded<ConntrackEvent>();

    public int Watches;

    /// <summary>A read of the statistics answers once this completes (a test holds a sample under way with it).</summary>
    public Task Held { get; set; } = Task.CompletedTask;

    public async Task<ConntrackStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref StatisticsReads);
        await Held.WaitAsync(cancellationToken);
        return Statistics;
    }

    public async IAsyncEnumerable<ConntrackEvent> WatchAsync(ConntrackEventOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Watches);
        yield return ConntrackEvent.ForSnapshot(Array.Empty<ConntrackEntry>());
        while (true)
        {
            ConntrackEvent e;
            try
            {
                e = await Events.Reader.ReadAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            yield return e;
        }
    }

    public IAsyncEnumerable<ConntrackEntry> DumpAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ConntrackEntry>> ListAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ConntrackEntry?> GetAsync(ConntrackTuple original, ushort zone = 0, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CreateAsync(ConntrackEntry entry, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> UpdateAsync(ConntrackTuple original, ConntrackUpdate update, ushort zone = 0, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> DeleteAsync(ConntrackEntry entry, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<int> DeleteAsync(ConntrackFilter filter, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task FlushAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}

/// <summary>
/// An <see cref="INetfilterClientFactory"/> over the doubles. A named namespace is a real handle on
/// the test's own namespace (/proc/self/ns/net: no /run/netns, no privileges needed), one handle per
/// name, so the doubles behind it can be told apart: each name has its own conntrack and sysctl
/// doubles. The names in <see cref="MissingNamespaces"/> fail as a namespace not created yet.
/// </summary>
internal sealed class ClientFactoryDouble : INetfilterClientFactory
{
    private readonly ConcurrentDictionary<NetworkNamespace, string> _names = new(ReferenceEqualityComparer.Instance);

    public ConcurrentDictionary<string, ConntrackDouble> Conntrack { get; } = new();

    public ConcurrentDictionary<string, SysctlDouble> Sysctl { get; } = new();

    public ConcurrentQueue<string> OpenedNamespaces { get; } = new();

    public HashSet<string> MissingNamespaces { get; } = new();

    public NetworkNamespace OpenNamespace(string name)
    {
        lock (MissingNamespaces)
        {
            if (MissingNamespaces.Contains(name))
            {
                throw new ArgumentException($"no network namespace named '{name}' (test)", nameof(name));
            }
        }
        OpenedNamespaces.Enqueue(name);
        NetworkNamespace ns = NetworkNamespace.FromPath("/proc/self/ns/net");
        _names[ns] = name;
        return ns;
    }

    /// <summary>The name a namespace was opened under; "" for the service's own.</summary>
    public string NameOf(NetworkNamespace? ns) => ns is not null && _names.TryGetValue(ns, out string? name) ? name : string.Empty;

    public IConntrackClient OpenConntrack(NetworkNamespace networkNamespace) => Conntrack.GetOrAdd(NameOf(networkNamespace), _ => new ConntrackDouble());

    public ISysctlClient OpenSysctl(NetworkNamespace networkNamespace) => Sysctl.GetOrAdd(NameOf(networkNamespace), _ => new SysctlDouble());
}

/// <summary>
/// A clock that moves only when a test says so. Timers (those of <c>Task.Delay(d, time)</c>) fire
/// when <see cref="Advance"/> passes their due time; <see cref="PendingDelays"/> shows the ones
/// waiting, as they were asked for.
/// </summary>
internal sealed class ManualTime : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<ManualTimer> _timers = new();
    private long _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_lock) return _now;
    }

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>The finite delays of the timers still waiting, as requested.</summary>
    public IReadOnlyList<TimeSpan> PendingDelays
    {
        get
        {
            lock (_lock) return _timers.Where(t => t.Due != long.MaxValue).Select(t => t.Requested).ToList();
        }
    }

    /// <summary>Waits until a finite timer is pending; returns its requested delay.</summary>
    public async Task<TimeSpan> NextDelayAsync()
    {
        await Patience.Until(() => PendingDelays.Count > 0, "a delay was requested");
        return PendingDelays[0];
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_lock)
        {
            _now += by.Ticks;
            due = _timers.Where(t => t.Due <= _now).ToList();
            foreach (ManualTimer t in due)
            {
                _timers.Remove(t);
            }
        }
        foreach (ManualTimer t in due)
        {
            t.Fire();
        }
    }

    private sealed class ManualTimer : ITimer
    {
        private readonly ManualTime _time;
        private readonly TimerCallback _callback;
        private readonly object? _state;

        public ManualTimer(ManualTime time, TimerCallback callback, object? state)
        {
            _time = time;
            _callback = callback;
            _state = state;
        }

        public long Due { get; private set; } = long.MaxValue;

        public TimeSpan Requested { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_time._lock)
            {
                _time._timers.Remove(this);
                Requested = dueTime;
                Due = dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : _time._now + dueTime.Ticks;
                _time._timers.Add(this);
            }
            return true;
        }

        public void Fire() => _callback(_state);

        public void Dispose()
        {
            lock (_time._lock) _time._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Keeps every log line with its category, level and event id.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public IEnumerable<string> Messages(LogLevel atLeast = LogLevel.Trace) => Lines.Where(l => l.Level >= atLeast).Select(l => l.Message);

    public void Dispose()
    {
    }

    private sealed class Logger : ILogger
    {
        private readonly LogRecorder _owner;
        private readonly string _category;

        public Logger(LogRecorder owner, string category)
        {
            _owner = owner;
            _category = category;
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _owner.Lines.Enqueue((_category, logLevel, formatter(state, exception)));
    }
}
