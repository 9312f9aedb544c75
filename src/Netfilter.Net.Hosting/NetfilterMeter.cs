using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Hosting;

/// <summary>
/// The instruments of <see cref="NetfilterMetrics"/>: counters the reconcilers and the event watcher
/// add to, and observable gauges read from the hosted tables' state and from conntrack samples.
/// </summary>
/// <remarks>
/// An observable callback runs synchronously inside a collection, so it never waits for the kernel:
/// the conntrack gauges report the last sample and, when it is older than
/// <see cref="NetfilterHostingOptions.ConntrackSampleInterval"/>, start one refresh in the
/// background (the first collection after start reports nothing yet). No listener, no kernel reads.
/// The per-rule counters work the same way over each table's <see cref="HostedNatRuleStatistics"/>,
/// which its reconciler also reads after each apply.
/// </remarks>
internal sealed partial class NetfilterMeter : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly HostedNatTables _tables;
    private readonly NetfilterNamespaces _namespaces;
    private readonly TimeProvider _time;
    private readonly TimeSpan _sampleInterval;
    private readonly TimeSpan? _ruleInterval;
    private readonly ILogger _logger;
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification = "Cancelled, never disposed: a refresh still under way reads its token (see Dispose).")]
    private readonly CancellationTokenSource _disposed = new();
    private readonly Dictionary<string, Sample> _samples = new(StringComparer.Ordinal);
    private readonly Counter<long> _applies;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _added;
    private readonly Counter<long> _removed;
    private readonly Counter<long> _events;
    private readonly Counter<long> _lost;

    public NetfilterMeter(HostedNatTables tables, NetfilterNamespaces namespaces, IOptions<NetfilterHostingOptions> options, TimeProvider time,
        ILogger<NetfilterMeter> logger, IMeterFactory? meterFactory = null)
    {
        _tables = tables;
        _namespaces = namespaces;
        _time = time;
        _sampleInterval = options.Value.ConntrackSampleInterval;
        _ruleInterval = options.Value.RuleStatisticsInterval;
        if (_ruleInterval is TimeSpan interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), interval,
                $"{nameof(NetfilterHostingOptions)}.{nameof(NetfilterHostingOptions.RuleStatisticsInterval)} must be positive (or null to turn the per-rule counters off)");
        }
        _logger = logger;
        // Through the host's IMeterFactory when it has one (Microsoft.Extensions.Hosting registers
        // it), so the meter is scoped to this container and disposed with it.
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(NetfilterMetrics.MeterName)) ?? new Meter(NetfilterMetrics.MeterName);

        _meter.CreateObservableGauge(NetfilterMetrics.NatRules, ObserveRules, "{rule}", "Rules a hosted NAT table holds after its last successful apply");
        _applies = _meter.CreateCounter<long>(NetfilterMetrics.NatApplies, "{apply}", "Successful applies of a hosted NAT table");
        _failures = _meter.CreateCounter<long>(NetfilterMetrics.NatApplyFailures, "{apply}", "Failed applies of a hosted NAT table (each try)");
        _added = _meter.CreateCounter<long>(NetfilterMetrics.NatRulesAdded, "{rule}", "Rules added to a hosted NAT table");
        _removed = _meter.CreateCounter<long>(NetfilterMetrics.NatRulesRemoved, "{rule}", "Rules removed from a hosted NAT table");
        _meter.CreateObservableGauge(NetfilterMetrics.ConntrackEntries, () => ObserveConntrack(s => s.Entries), "{entry}", "Conntrack entries in the namespace");
        _meter.CreateObservableGauge(NetfilterMetrics.ConntrackMaxEntries, () => ObserveConntrack(s => s.MaxEntries), "{entry}", "The namespace's conntrack table limit");
        _events = _meter.CreateCounter<long>(NetfilterMetrics.ConntrackEvents, "{event}", "Conntrack events seen");
        _lost = _meter.CreateCounter<long>(NetfilterMetrics.ConntrackEventsLost, "{loss}", "Times conntrack events were lost (ENOBUFS)");

        // Per-rule counters: only when asked (NetfilterHostingOptions.RuleStatisticsInterval says why).
        if (_ruleInterval is not null)
        {
            _meter.CreateObservableCounter(NetfilterMetrics.NatRulePackets, () => ObserveRuleCounters(s => s.Packets), "{packet}",
                "Packets a hosted rule's counters counted: for nat rules the first packet of each connection translated, for tproxy every packet");
            _meter.CreateObservableCounter(NetfilterMetrics.NatRuleBytes, () => ObserveRuleCounters(s => s.Bytes), "By",
                "Bytes of the packets a hosted rule's counters counted (IP header included)");
        }
    }

    public Meter Meter => _meter;

    /// <summary>Whether the per-rule counters are reported (<see cref="NetfilterHostingOptions.RuleStatisticsInterval"/> is set): the reconcilers then read them after each apply.</summary>
    public bool CountsRules => _ruleInterval is not null;

    /// <summary>The reconciler's read after an apply failed: the last snapshot stays until the next read.</summary>
    public void RuleStatisticsFailed(string? ns, string table, Exception error) => LogRuleStatisticsFailed(_logger, table, NetfilterNamespaces.Describe(ns), error.Message);

    public void Applied(HostedNatTableStatus table, NatApplyResult result)
    {
        TagList tags = Tags(table);
        var withChanged = tags;
        withChanged.Add(NetfilterMetrics.ChangedTag, result.Changed);
        _applies.Add(1, withChanged);
        if (result.Added.Count > 0)
        {
            _added.Add(result.Added.Count, tags);
        }
        if (result.Removed.Count > 0)
        {
            _removed.Add(result.Removed.Count, tags);
        }
    }

    public void ApplyFailed(HostedNatTableStatus table, Exception error)
    {
        TagList tags = Tags(table);
        tags.Add(NetfilterMetrics.ErrorTypeTag, error.GetType().FullName);
        _failures.Add(1, tags);
    }

    public void ConntrackEvent(string? ns, ConntrackEventType type)
    {
        TagList tags = NamespaceTags(ns);
        if (type == ConntrackEventType.Lost)
        {
            _lost.Add(1, tags);
            return;
        }
        tags.Add(NetfilterMetrics.EventTag, type switch
        {
            ConntrackEventType.New => "new",
            ConntrackEventType.Update => "update",
            ConntrackEventType.Destroy => "destroy",
            _ => type.ToString().ToLowerInvariant(),
        });
        _events.Add(1, tags);
    }

    private IEnumerable<Measurement<int>> ObserveRules()
    {
        foreach (HostedNatTableState state in _tables.All)
        {
            HostedNatTableStatus status = state.Status;
            if (status.Rules is int rules)
            {
                yield return new Measurement<int>(rules, Tags(status));
            }
        }
    }

    private List<Measurement<long>> ObserveConntrack(Func<ConntrackStatistics, uint> read)
    {
        var measurements = new List<Measurement<long>>();
        foreach (string? ns in _tables.Namespaces())
        {
            Sample sample;
            lock (_samples)
            {
                string key = ns ?? string.Empty;
                if (!_samples.TryGetValue(key, out sample!))
                {
                    _samples[key] = sample = new Sample();
                }
                if (sample.Refresh is null && (sample.Value is null || _time.GetElapsedTime(sample.TakenAt) >= _sampleInterval) && !_disposed.IsCancellationRequested)
                {
                    sample.Refresh = RefreshAsync(ns, sample);
                }
            }
            if (sample.Value is ConntrackStatistics value)
            {
                measurements.Add(new Measurement<long>(read(value), NamespaceTags(ns)));
            }
        }
        return measurements;
    }

    private List<Measurement<long>> ObserveRuleCounters(Func<NatRuleStatistics, ulong?> read)
    {
        var measurements = new List<Measurement<long>>();
        foreach (HostedNatTableState state in _tables.All)
        {
            HostedNatRuleStatistics statistics = state.RuleStatistics;
            HostedNatTableStatus status = state.Status;
            statistics.RefreshInBackground(_ruleInterval!.Value, _time,
                e => LogRuleStatisticsFailed(_logger, status.Table, NetfilterNamespaces.Describe(status.Namespace), e.Message), _disposed.Token);
            if (statistics.Current is not { } snapshot)
            {
                continue;
            }
            foreach (NatRuleStatistics rule in snapshot.Rules)
            {
                if (read(rule) is ulong value)
                {
                    TagList tags = Tags(status);
                    tags.Add(NetfilterMetrics.RuleTag, rule.Rule.ToString());
                    tags.Add(NetfilterMetrics.RuleKindTag, KindTag(rule.Rule.Kind));
                    // A kernel counter is a u64; a long holds 9.2e18 packets or bytes, decades at line rate.
                    measurements.Add(new Measurement<long>((long)Math.Min(value, long.MaxValue), tags));
                }
            }
        }
        return measurements;
    }

    /// <summary>The first word of the rule's canonical text.</summary>
    private static string KindTag(NatRuleKind kind) => kind switch
    {
        NatRuleKind.Redirect => "redirect",
        NatRuleKind.Dnat => "dnat",
        NatRuleKind.Snat => "snat",
        NatRuleKind.Masquerade => "masquerade",
        NatRuleKind.Tproxy => "tproxy",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private async Task RefreshAsync(string? ns, Sample sample)
    {
        // Off the collecting thread: the callback that started this returns at once.
        await Task.Yield();
        try
        {
            ConntrackStatistics statistics = await _namespaces.Conntrack(ns).GetStatisticsAsync(_disposed.Token).ConfigureAwait(false);
            lock (_samples)
            {
                sample.Value = statistics;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !_disposed.IsCancellationRequested)
        {
            LogSampleFailed(_logger, NetfilterNamespaces.Describe(ns), e.Message);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_samples)
            {
                sample.TakenAt = _time.GetTimestamp();
                sample.Refresh = null;
            }
        }
    }

    /// <summary>Completes when the conntrack and rule-counter refreshes under way have ended (tests wait on it between two collections).</summary>
    internal Task SamplingAsync()
    {
        var pending = new List<Task>();
        lock (_samples)
        {
            foreach (Sample sample in _samples.Values)
            {
                if (sample.Refresh is Task refresh)
                {
                    pending.Add(refresh);
                }
            }
        }
        foreach (HostedNatTableState state in _tables.All)
        {
            if (state.RuleStatistics.Refreshing is Task refresh)
            {
                pending.Add(refresh);
            }
        }
        return Task.WhenAll(pending);
    }

    private static TagList Tags(HostedNatTableStatus table)
    {
        TagList tags = NamespaceTags(table.Namespace);
        tags.Add(NetfilterMetrics.TableTag, table.Table);
        return tags;
    }

    private static TagList NamespaceTags(string? ns)
    {
        var tags = new TagList();
        if (ns is not null)
        {
            tags.Add(NetfilterMetrics.NamespaceTag, ns);
        }
        return tags;
    }

    public void Dispose()
    {
        // Cancelled, never disposed: a refresh still under way reads its token.
        _disposed.Cancel();
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Debug, Message = "conntrack statistics of {Namespace} could not be read: {Reason}")]
    private static partial void LogSampleFailed(ILogger logger, string @namespace, string reason);

    [LoggerMessage(EventId = 61, Level = LogLevel.Debug, Message = "rule counters of NAT table {Table} in {Namespace} could not be read: {Reason}")]
    private static partial void LogRuleStatisticsFailed(ILogger logger, string table, string @namespace, string reason);

    private sealed class Sample
    {
        public ConntrackStatistics? Value { get; set; }

        public long TakenAt { get; set; }

        public Task? Refresh { get; set; }
    }
}
