using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Hosting;

/// <summary>
/// When <see cref="NetfilterHostingOptions.WatchConntrackEvents"/> is on: watches the conntrack
/// events of each hosted table's namespace (<see cref="IConntrackClient.WatchAsync"/>) and counts
/// them, and their losses, in <see cref="NetfilterMetrics"/>. A loss is logged too: it means the
/// service read events more slowly than the kernel produced them. A watch that fails is started
/// again after <see cref="RestartDelay"/>.
/// </summary>
internal sealed partial class ConntrackEventWatcher : BackgroundService
{
    /// <summary>How long to wait before watching a namespace again after its watch failed.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(30);

    private readonly IOptions<NetfilterHostingOptions> _options;
    private readonly IOptionsMonitor<HostedNatTableOptions> _tables;
    private readonly IEnumerable<HostedNatTableRegistration> _registrations;
    private readonly NetfilterNamespaces _namespaces;
    private readonly NetfilterMeter _meter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ConntrackEventWatcher(IOptions<NetfilterHostingOptions> options, IOptionsMonitor<HostedNatTableOptions> tables, IEnumerable<HostedNatTableRegistration> registrations,
        NetfilterNamespaces namespaces, NetfilterMeter meter, TimeProvider time, ILogger<ConntrackEventWatcher> logger)
    {
        _options = options;
        _tables = tables;
        _registrations = registrations;
        _namespaces = namespaces;
        _meter = meter;
        _time = time;
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Value.WatchConntrackEvents)
        {
            return Task.CompletedTask;
        }
        var namespaces = new List<string?>();
        foreach (HostedNatTableRegistration registration in _registrations)
        {
            try
            {
                namespaces.Add(_tables.Get(registration.Name).Namespace);
            }
            catch (OptionsValidationException)
            {
                // The table's reconciler reports it; its namespace is not known.
            }
        }
        return Task.WhenAll(namespaces.Distinct().Select(ns => WatchAsync(ns, stoppingToken)));
    }

    private async Task WatchAsync(string? ns, CancellationToken stoppingToken)
    {
        string where = NetfilterNamespaces.Describe(ns);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (ConntrackEvent e in _namespaces.Conntrack(ns).WatchAsync(null, stoppingToken).ConfigureAwait(false))
                {
                    if (e.Type == ConntrackEventType.Snapshot)
                    {
                        continue;
                    }
                    _meter.ConntrackEvent(ns, e.Type);
                    if (e.Type == ConntrackEventType.Lost)
                    {
                        LogLost(_logger, where);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(_logger, where, RestartDelay, e.Message);
            }
            try
            {
                await Task.Delay(RestartDelay, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "conntrack events of {Namespace} were lost (the kernel's queue overflowed); the watch read the table again")]
    private static partial void LogLost(ILogger logger, string @namespace);

    [LoggerMessage(EventId = 51, Level = LogLevel.Error, Message = "watching the conntrack events of {Namespace} failed; trying again in {Delay}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string @namespace, TimeSpan delay, string reason);
}
