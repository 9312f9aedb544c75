using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Netfilter.Net;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.Sysctl;
using ProtocolFamily = Netfilter.Net.ProtocolFamily;

namespace PortForwarderService;

/// <summary>
/// Keeps the kernel's forwards equal to the configuration: applies it at start, again whenever
/// appsettings.json changes (IOptionsMonitor), and every <see cref="PortForwarderOptions.ReconcileInterval"/>
/// to repair drift. <see cref="NatTable.ApplyAsync"/> is declarative and idempotent, so a pass
/// with nothing to change sends nothing. After each change the doctor checks the result and
/// its warnings go to the log.
/// </summary>
internal sealed partial class ForwardReconciler : BackgroundService
{
    private readonly IOptionsMonitor<PortForwarderOptions> _options;
    private readonly ILogger<ForwardReconciler> _logger;
    private readonly ILoggerFactory _loggers;

    public ForwardReconciler(IOptionsMonitor<PortForwarderOptions> options, ILogger<ForwardReconciler> logger, ILoggerFactory loggers)
    {
        _options = options;
        _logger = logger;
        _loggers = loggers;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changed = new SemaphoreSlim(0);
        using IDisposable? subscription = _options.OnChange(_ => changed.Release());
        NetworkNamespace? ns = null;
        NatTable? table = null;
        (string? Namespace, string Table, bool Owned)? current = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                PortForwarderOptions options = _options.CurrentValue;
                try
                {
                    var wanted = (options.Namespace, options.Table, options.RemoveOnExit);
                    if (current != wanted)
                    {
                        table?.Dispose();
                        ns?.Dispose();
                        table = null;
                        ns = options.Namespace is null ? null : NetworkNamespace.FromName(options.Namespace);
                        table = new NatTable(options.Table, new NatTableOptions
                        {
                            Namespace = ns,
                            Logger = _loggers.CreateLogger("Netfilter.Net"),
                            Lifetime = options.RemoveOnExit ? NatTableLifetime.OwnedByProcess : NatTableLifetime.Persistent,
                        });
                        current = wanted;
                        LogTable(_logger, options.Table, ns?.Description ?? "the service's namespace");
                    }
                    await ReconcileAsync(table!, ns, options, stoppingToken);
                }
                catch (Exception e) when (e is NetlinkException or ArgumentException or InvalidOperationException)
                {
                    LogFailed(_logger, e.Message);
                }
                try
                {
                    // Whichever comes first: a configuration change or the next periodic pass.
                    await changed.WaitAsync(options.ReconcileInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            table?.Dispose();
            ns?.Dispose();
        }
    }

    private async Task ReconcileAsync(NatTable table, NetworkNamespace? ns, PortForwarderOptions options, CancellationToken cancellationToken)
    {
        List<NatRule> rules = RulesFromOptions.Build(options, _logger);
        if (options.EnableForwarding)
        {
            EnableForwarding(rules.OfType<DnatRule>(), ns);
        }
        NatApplyResult result = await table.ApplyAsync(rules, cancellationToken);
        if (!result.Changed)
        {
            LogUnchanged(_logger, result.Unchanged);
            return;
        }
        LogApplied(_logger, result.Added.Count, result.Removed.Count, result.Unchanged, string.Join("; ", rules));
        foreach (DoctorFinding finding in await Doctor.RunAsync(new DoctorOptions { Namespace = ns, Table = options.Table }, cancellationToken))
        {
            if (finding.Severity >= DoctorSeverity.Warning)
            {
                LogFinding(_logger, finding.Severity, finding.Code, finding.Problem, finding.Fix);
            }
        }
    }

    /// <summary>Forwarding on for each family a forward uses; never off (something else may need it).</summary>
    private void EnableForwarding(IEnumerable<DnatRule> forwards, NetworkNamespace? ns)
    {
        ForwardingStatus status = Forwarding.GetStatus(ns);
        foreach (bool v6 in forwards.Select(f => f.ToAddress.AddressFamily == AddressFamily.InterNetworkV6).Distinct())
        {
            if (!(v6 ? status.IPv6 : status.IPv4))
            {
                Forwarding.Enable(v6 ? ProtocolFamily.IPv6 : ProtocolFamily.IPv4, ns);
                LogForwarding(_logger, v6 ? "IPv6" : "IPv4");
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "managing table inet {Table} in {Namespace}")]
    private static partial void LogTable(ILogger logger, string table, string @namespace);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "applied: {Added} added, {Removed} removed, {Unchanged} unchanged; now: {Rules}")]
    private static partial void LogApplied(ILogger logger, int added, int removed, int unchanged, string rules);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "in sync: {Unchanged} rules, nothing sent")]
    private static partial void LogUnchanged(ILogger logger, int unchanged);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "turned {Family} forwarding on")]
    private static partial void LogForwarding(ILogger logger, string family);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "doctor {Severity} {Code}: {Problem} Fix: {Fix}")]
    private static partial void LogFinding(ILogger logger, DoctorSeverity severity, string code, string problem, string fix);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "could not apply the configuration: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
