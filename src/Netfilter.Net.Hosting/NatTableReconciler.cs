using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Netfilter.Net.Nat;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Hosting;

/// <summary>
/// Keeps one hosted NAT table equal to its options: applies them when the host starts, again on
/// every configuration change (and every <see cref="HostedNatTableOptions.ReconcileInterval"/> when
/// set), retries a failed apply with exponential backoff and jitter, and removes the table when the
/// host stops if <see cref="HostedNatTableOptions.RemoveOnShutdown"/> says so.
/// </summary>
/// <remarks>
/// <para><b>Changes.</b> The reconciler listens to the configuration's reload token itself, drops
/// the cached options and reads them again through <see cref="IOptionsMonitor{TOptions}"/>. A
/// change whose options fail validation is logged, failure by failure, and nothing is sent: the
/// rules last applied stay. (Registered as an <see cref="IOptionsChangeTokenSource{TOptions}"/>,
/// the configuration would make the monitor itself read the options inside the reload callback,
/// throw the validation failure from there, into the file watcher or whoever reloaded, and never
/// tell its listeners.)</para>
/// <para><b>Apply.</b> <see cref="INatTable.ApplyAsync"/> is declarative and idempotent: one atomic
/// transaction with the difference, nothing sent when nothing differs. The table itself logs each
/// rule added or removed and each warning (category <c>Netfilter.Net.Nat</c>); the reconciler logs
/// the summary (<see cref="NatApplyResult"/>).</para>
/// <para><b>Shutdown.</b> Removal is <see cref="INatTable.DeleteAsync"/>, not an apply of nothing:
/// one transaction that leaves no empty table or chains behind, which is also what the kernel does
/// to a table owned by the process when it exits, so both lifetimes end the same way. Like that
/// case it leaves conntrack alone: connections already translated finish as they started.</para>
/// </remarks>
internal sealed partial class NatTableReconciler : BackgroundService
{
    private readonly string _name;
    private readonly IOptionsMonitor<HostedNatTableOptions> _options;
    private readonly IOptionsMonitorCache<HostedNatTableOptions> _cache;
    private readonly IEnumerable<HostedNatTableChangeSource> _sources;
    private readonly INatTableFactory _factory;
    private readonly NetfilterNamespaces _namespaces;
    private readonly HostedNatTables _tables;
    private readonly HostedNatTableState _state;
    private readonly NetfilterMeter _meter;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private TaskCompletionSource _changed = NewSignal();
    private INatTable? _table;
    private HostedNatTableOptions? _tableOptions;

    public NatTableReconciler(string name, IOptionsMonitor<HostedNatTableOptions> options, IOptionsMonitorCache<HostedNatTableOptions> cache,
        IEnumerable<HostedNatTableChangeSource> sources, INatTableFactory factory, NetfilterNamespaces namespaces,
        HostedNatTables tables, NetfilterMeter meter, ILoggerFactory? loggerFactory, TimeProvider time, Func<double>? random = null)
    {
        _name = name;
        _options = options;
        _cache = cache;
        _sources = sources;
        _factory = factory;
        _namespaces = namespaces;
        _tables = tables;
        _state = tables[name];
        _meter = meter;
        _loggerFactory = loggerFactory;
        _logger = (ILogger?)loggerFactory?.CreateLogger<NatTableReconciler>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _time = time;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>The registration name.</summary>
    public string Name => _name;

    /// <summary>The table the reconciler owns now; null before the first successful open.</summary>
    public INatTable? Table => Volatile.Read(ref _table);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using IDisposable subscription = Subscribe();
        int attempt = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (TakeChange())
            {
                attempt = 0;
            }
            TimeSpan? wait = null;
            HostedNatTableOptions? options = Read();
            if (options is not null)
            {
                attempt++;
                try
                {
                    await ReconcileAsync(options, stoppingToken).ConfigureAwait(false);
                    attempt = 0;
                    wait = options.ReconcileInterval;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    wait = Failed(options, e, attempt);
                    if (attempt >= options.Retry.MaxAttempts)
                    {
                        attempt = 0;
                    }
                }
            }
            if (!await WaitAsync(wait, stoppingToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>The options as they are now; null, with every failure logged, when they are not valid.</summary>
    private HostedNatTableOptions? Read()
    {
        // Bound afresh on every pass: a read under way when the configuration changed may have put
        // options bound from the old data into the cache after the reload callback dropped them, and
        // the pass that change wakes would read them again.
        _cache.TryRemove(_name);
        try
        {
            return _options.Get(_name);
        }
        catch (OptionsValidationException e)
        {
            // Published before it is logged, as an apply's outcome is: whoever reacts to the log sees the status that goes with it.
            HostedNatTableStatus last = _state.Status;
            _state.Set(last with { Phase = HostedNatTablePhase.Rejected, Problem = "configuration rejected: " + string.Join("; ", e.Failures) });
            foreach (string failure in e.Failures)
            {
                LogRejected(_logger, _name, failure);
            }
            return null;
        }
    }

    private async Task ReconcileAsync(HostedNatTableOptions options, CancellationToken cancellationToken)
    {
        HostedNatTableStatus before = _state.Status;
        bool sameTable = before.Configured && before.Table == options.Table && before.Namespace == options.Namespace;
        _state.Set(before with
        {
            Table = options.Table,
            Namespace = options.Namespace,
            HealthCheck = options.HealthCheck,
            Configured = true,
            Rules = sameTable ? before.Rules : null,
            LastResult = sameTable ? before.LastResult : null,
        });
        List<NatRule> rules = HostedNatTableOptionsValidator.Rules(options);
        INatTable table = await OpenAsync(options, cancellationToken).ConfigureAwait(false);
        _state.RuleStatistics.Attach(table);
        if (options.EnableForwarding)
        {
            EnableForwarding(options.Namespace, rules);
        }
        NatApplyResult result = await table.ApplyAsync(rules, cancellationToken).ConfigureAwait(false);
        int count = rules.Select(r => r.ToString()).Distinct(StringComparer.Ordinal).Count();
        if (_meter.CountsRules)
        {
            await ReadRuleStatisticsAsync(options, cancellationToken).ConfigureAwait(false);
        }
        HostedNatTableStatus applied = new(HostedNatTablePhase.Applied, options.Table, options.Namespace, options.HealthCheck, count, result, null, Configured: true);
        _state.Set(applied);
        _meter.Applied(applied, result);
        if (result.Changed)
        {
            LogApplied(_logger, options.Table, NetfilterNamespaces.Describe(options.Namespace), result.ToString());
        }
        else
        {
            LogInSync(_logger, options.Table, NetfilterNamespaces.Describe(options.Namespace), count);
        }
    }

    /// <summary>
    /// The counters of the rules just applied, read before the apply is published so that the metrics
    /// never report the rules of before it for an interval after. A failed read fails nothing: the
    /// rules are in place, and the next collection tries again an interval later.
    /// </summary>
    private async Task ReadRuleStatisticsAsync(HostedNatTableOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await _state.RuleStatistics.RefreshAsync(_time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _meter.RuleStatisticsFailed(options.Namespace, options.Table, e);
        }
    }

    /// <summary>The table of <paramref name="options"/>: the one already open, or a new one (the previous one retired).</summary>
    private async Task<INatTable> OpenAsync(HostedNatTableOptions options, CancellationToken cancellationToken)
    {
        if (_table is INatTable open && _tableOptions is { } current
            && current.Table == options.Table && current.Namespace == options.Namespace && current.Lifetime == options.Lifetime)
        {
            _tableOptions = options;
            return open;
        }
        _tables.Claim(_name, options.Table, options.Namespace);
        INatTable table;
        try
        {
            NetworkNamespace ns = _namespaces.Get(options.Namespace);
            table = _factory.Open(options.Table, new NatTableOptions
            {
                Namespace = options.Namespace is null ? null : ns,
                Lifetime = options.Lifetime,
                LoggerFactory = _loggerFactory,
            });
        }
        catch
        {
            if (_tableOptions is not { } held || held.Table != options.Table || held.Namespace != options.Namespace)
            {
                _tables.Release(_name, options.Table, options.Namespace);
            }
            throw;
        }
        if (_table is INatTable previous && _tableOptions is { } previousOptions)
        {
            await RetireAsync(previous, previousOptions, options, cancellationToken).ConfigureAwait(false);
        }
        _tableOptions = options;
        Volatile.Write(ref _table, table);
        return table;
    }

    /// <summary>The table the configuration moved away from: deleted when it would have been at shutdown, else left as it is.</summary>
    private async Task RetireAsync(INatTable previous, HostedNatTableOptions was, HostedNatTableOptions now, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _table, null);
        _state.RuleStatistics.Attach(null);
        if (was.Table != now.Table || was.Namespace != now.Namespace)
        {
            _tables.Release(_name, was.Table, was.Namespace);
        }
        string fate = was.RemoveOnShutdown ? "deleted" : was.Lifetime == NatTableLifetime.OwnedByProcess ? "deleted by the kernel (owned by the process)" : "left as it is";
        try
        {
            if (was.RemoveOnShutdown)
            {
                await previous.DeleteAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The new table goes ahead: the old one is no longer this service's business.
            fate = $"could not be deleted, left as it is: {e.Message}";
        }
        finally
        {
            previous.Dispose();
        }
        LogRetired(_logger, was.Table, NetfilterNamespaces.Describe(was.Namespace), now.Table, NetfilterNamespaces.Describe(now.Namespace), fate);
    }

    /// <summary>Forwarding on for each family that a forward to another host uses; never off (something else may need it).</summary>
    private void EnableForwarding(string? ns, List<NatRule> rules)
    {
        var families = rules.OfType<DnatRule>()
            .Where(r => !IPAddress.IsLoopback(r.ToAddress))
            .Select(r => r.ToAddress.AddressFamily)
            .Distinct()
            .ToList();
        if (families.Count == 0)
        {
            return;
        }
        ISysctlClient sysctl = _namespaces.Sysctl(ns);
        ForwardingStatus status = sysctl.GetForwardingStatus();
        foreach (AddressFamily family in families)
        {
            bool v6 = family == AddressFamily.InterNetworkV6;
            if (!(v6 ? status.IPv6 : status.IPv4))
            {
                sysctl.EnableForwarding(v6 ? NetfilterFamily.IPv6 : NetfilterFamily.IPv4);
                LogForwarding(_logger, v6 ? "IPv6" : "IPv4", NetfilterNamespaces.Describe(ns));
            }
        }
    }

    /// <summary>Records and logs a failed try; returns how long to wait before the next (null: until the next change).</summary>
    private TimeSpan? Failed(HostedNatTableOptions options, Exception error, int attempt)
    {
        HostedNatTableStatus last = _state.Status;
        HostedNatTableStatus failed = last with { Phase = HostedNatTablePhase.Failed, Problem = error.Message };
        _state.Set(failed);
        _meter.ApplyFailed(failed, error);
        string where = NetfilterNamespaces.Describe(options.Namespace);
        int attempts = options.Retry.MaxAttempts;
        if (attempt < attempts)
        {
            TimeSpan delay = Backoff(options.Retry, attempt, _random());
            LogRetrying(_logger, options.Table, where, attempt, attempts, delay, error.GetType().Name, error.Message);
            return delay;
        }
        string then = options.ReconcileInterval is TimeSpan interval ? $" or the next periodic pass in {interval}" : string.Empty;
        LogGaveUp(_logger, options.Table, where, attempts, then, error.GetType().Name, error.Message);
        return options.ReconcileInterval;
    }

    /// <summary>The delay after the <paramref name="failures"/>-th failed try: InitialDelay doubled each time up to MaxDelay, times 0.8 to 1.2.</summary>
    internal static TimeSpan Backoff(NatTableRetryOptions retry, int failures, double random)
    {
        double ticks = Math.Min(retry.InitialDelay.Ticks * Math.Pow(2, Math.Min(failures - 1, 62)), retry.MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (0.8 + (0.4 * random))));
    }

    private IDisposable Subscribe()
    {
        var registrations = new List<IDisposable>();
        foreach (HostedNatTableChangeSource source in _sources)
        {
            if (source.Name == _name)
            {
                registrations.Add(ChangeToken.OnChange(source.Configuration.GetReloadToken, () =>
                {
                    // Dropped before the signal: the read that follows binds the changed configuration.
                    _cache.TryRemove(_name);
                    Volatile.Read(ref _changed).TrySetResult();
                }));
            }
        }
        return new Registrations(registrations);
    }

    /// <summary>True when a change came since the last call (and forgets it).</summary>
    private bool TakeChange()
    {
        TaskCompletionSource current = Volatile.Read(ref _changed);
        if (!current.Task.IsCompleted)
        {
            return false;
        }
        Interlocked.CompareExchange(ref _changed, NewSignal(), current);
        return true;
    }

    /// <summary>Waits for a change, <paramref name="wait"/> (forever when null) or the host stopping; false when stopping.</summary>
    private async Task<bool> WaitAsync(TimeSpan? wait, CancellationToken stoppingToken)
    {
        Task changed = Volatile.Read(ref _changed).Task;
        if (!changed.IsCompleted)
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            Task delay = Task.Delay(wait ?? Timeout.InfiniteTimeSpan, _time, cancel.Token);
            await Task.WhenAny(changed, delay).ConfigureAwait(false);
            cancel.Cancel();
        }
        return !stoppingToken.IsCancellationRequested;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        INatTable? table = Interlocked.Exchange(ref _table, null);
        _state.RuleStatistics.Attach(null);
        HostedNatTableOptions? options = _tableOptions;
        if (table is null || options is null)
        {
            return;
        }
        string where = NetfilterNamespaces.Describe(options.Namespace);
        try
        {
            if (options.RemoveOnShutdown)
            {
                bool deleted = await table.DeleteAsync(cancellationToken).ConfigureAwait(false);
                LogRemoved(_logger, options.Table, where, deleted ? "deleted" : "already gone");
            }
        }
        catch (Exception e)
        {
            LogRemoveFailed(_logger, options.Table, where, e.Message);
        }
        finally
        {
            table.Dispose();
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _state.RuleStatistics.Attach(null);
        Interlocked.Exchange(ref _table, null)?.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "NAT table {Table} in {Namespace}: {Result}")]
    private static partial void LogApplied(ILogger logger, string table, string @namespace, string result);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "NAT table {Table} in {Namespace}: in sync, {Rules} rules, nothing sent")]
    private static partial void LogInSync(ILogger logger, string table, string @namespace, int rules);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "NAT table {Table} in {Namespace}: apply failed (try {Attempt} of {Attempts}), trying again in {Delay}: {ErrorType}: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string table, string @namespace, int attempt, int attempts, TimeSpan delay, string errorType, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "NAT table {Table} in {Namespace}: apply failed {Attempts} times; waiting for the next configuration change{Then}: {ErrorType}: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string table, string @namespace, int attempts, string then, string errorType, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "NAT table '{Name}': configuration rejected, nothing sent and the rules last applied stay: {Failure}")]
    private static partial void LogRejected(ILogger logger, string name, string failure);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "turned {Family} forwarding on in {Namespace} (EnableForwarding)")]
    private static partial void LogForwarding(ILogger logger, string family, string @namespace);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "NAT table {Table} in {Namespace}: {What} on shutdown (RemoveOnShutdown)")]
    private static partial void LogRemoved(ILogger logger, string table, string @namespace, string what);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "NAT table {Table} in {Namespace}: could not be removed on shutdown: {Reason}")]
    private static partial void LogRemoveFailed(ILogger logger, string table, string @namespace, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "NAT table {Table} in {Namespace} is no longer managed (now {NewTable} in {NewNamespace}): {Fate}")]
    private static partial void LogRetired(ILogger logger, string table, string @namespace, string newTable, string newNamespace, string fate);

    private sealed class Registrations : IDisposable
    {
        private readonly List<IDisposable> _items;

        public Registrations(List<IDisposable> items) => _items = items;

        public void Dispose()
        {
            foreach (IDisposable item in _items)
            {
                item.Dispose();
            }
        }
    }
}
