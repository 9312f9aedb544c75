using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Netfilter.Net.Hosting;

/// <summary>
/// Logs each change of the netfilter health check's status, for services that have no health
/// endpoint (a worker under systemd). Runs as a health-check publisher: the host runs every check
/// each <see cref="HealthCheckPublisherOptions.Period"/> (30 s by default) and hands the report here.
/// </summary>
internal sealed partial class NetfilterHealthLog : IHealthCheckPublisher
{
    private readonly string _checkName;
    private readonly ILogger _logger;
    private HealthStatus? _last;

    public NetfilterHealthLog(string checkName, ILogger<NetfilterHealthLog> logger)
    {
        _checkName = checkName;
        _logger = logger;
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        if (!report.Entries.TryGetValue(_checkName, out HealthReportEntry entry))
        {
            return Task.CompletedTask;
        }
        HealthStatus? last = _last;
        _last = entry.Status;
        if (last == entry.Status)
        {
            return Task.CompletedTask;
        }
        switch (entry.Status)
        {
            case HealthStatus.Healthy: LogHealthy(_logger, _checkName, entry.Status, entry.Description ?? string.Empty); break;
            case HealthStatus.Degraded: LogDegraded(_logger, _checkName, entry.Status, entry.Description ?? string.Empty); break;
            default: LogUnhealthy(_logger, _checkName, entry.Status, entry.Description ?? entry.Exception?.Message ?? string.Empty); break;
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "health {Check}: {Status}: {Description}")]
    private static partial void LogHealthy(ILogger logger, string check, HealthStatus status, string description);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "health {Check}: {Status}: {Description}")]
    private static partial void LogDegraded(ILogger logger, string check, HealthStatus status, string description);

    [LoggerMessage(EventId = 42, Level = LogLevel.Error, Message = "health {Check}: {Status}: {Description}")]
    private static partial void LogUnhealthy(ILogger logger, string check, HealthStatus status, string description);
}
