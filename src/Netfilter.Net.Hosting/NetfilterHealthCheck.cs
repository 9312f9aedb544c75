using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Netfilter.Net.Diagnostics;

namespace Netfilter.Net.Hosting;

/// <summary>
/// The health of the hosted NAT tables, judged by the doctor (<see cref="IDoctor"/>) and by the
/// reconcilers. Unhealthy: an error finding (e.g. IP forwarding off while a forward needs it, no
/// route to a target), a failed apply, or a rejected configuration. Degraded: a warning finding
/// (e.g. no return path), or a table not applied yet. Healthy otherwise.
/// </summary>
/// <remarks>
/// <see cref="HealthCheckResult.Data"/> holds one entry per finding, keyed
/// <c>TABLE:CODE</c> (<c>portfwd:ip-forward-off</c>; a second finding with the same code gets
/// <c>#2</c>), whose value is <c>SEVERITY: PROBLEM Fix: FIX</c>, and <c>TABLE:apply</c> when the
/// table's last apply failed or its configuration was rejected. Info findings are left out.
/// Only tables whose <see cref="HostedNatTableOptions.HealthCheck"/> is on are examined.
/// </remarks>
internal sealed class NetfilterHealthCheck : IHealthCheck
{
    private readonly HostedNatTables _tables;
    private readonly NetfilterNamespaces _namespaces;
    private readonly IDoctor _doctor;

    public NetfilterHealthCheck(HostedNatTables tables, NetfilterNamespaces namespaces, IDoctor doctor)
    {
        _tables = tables;
        _namespaces = namespaces;
        _doctor = doctor;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new List<(HealthStatus Status, string Text)>();
        int examined = 0;
        foreach (HostedNatTableState state in _tables.All)
        {
            HostedNatTableStatus status = state.Status;
            if (!status.HealthCheck)
            {
                continue;
            }
            examined++;
            switch (status.Phase)
            {
                case HostedNatTablePhase.Starting:
                    problems.Add((HealthStatus.Degraded, $"{status.Table}: not applied yet"));
                    break;
                case HostedNatTablePhase.Failed:
                case HostedNatTablePhase.Rejected:
                    data[$"{status.Table}:apply"] = status.Problem ?? status.Phase.ToString();
                    problems.Add((HealthStatus.Unhealthy, $"{status.Table}: {status.Problem}"));
                    break;
            }
            if (!status.Configured)
            {
                continue;
            }
            IReadOnlyList<DoctorFinding> findings;
            try
            {
                findings = await _doctor.DiagnoseAsync(new DoctorOptions { Namespace = _namespaces.Get(status.Namespace), Table = status.Table }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                data[$"{status.Table}:doctor"] = e.Message;
                problems.Add((HealthStatus.Unhealthy, $"{status.Table}: the doctor could not examine it: {e.Message}"));
                continue;
            }
            foreach (DoctorFinding finding in findings.Where(f => f.Severity >= DoctorSeverity.Warning))
            {
                string key = $"{status.Table}:{finding.Code}";
                for (int n = 2; data.ContainsKey(key); n++)
                {
                    key = $"{status.Table}:{finding.Code}#{n}";
                }
                string severity = finding.Severity == DoctorSeverity.Error ? "error" : "warning";
                data[key] = $"{severity}: {finding.Problem} Fix: {finding.Fix}";
                problems.Add((finding.Severity == DoctorSeverity.Error ? HealthStatus.Unhealthy : HealthStatus.Degraded,
                    $"{status.Table}: {severity} {finding.Code}: {finding.Problem}"));
            }
        }
        if (problems.Count == 0)
        {
            return HealthCheckResult.Healthy(examined == 0 ? "no hosted NAT table has its health check on" : $"{examined} NAT table(s): nothing wrong", data);
        }
        HealthStatus worst = problems.Min(p => p.Status);
        var description = new StringBuilder();
        foreach ((HealthStatus s, string text) in problems.OrderBy(p => p.Status))
        {
            description.Append(description.Length == 0 ? string.Empty : "; ").Append(text);
        }
        return new HealthCheckResult(worst == HealthStatus.Unhealthy ? context.Registration.FailureStatus : worst, description.ToString(), data: data);
    }
}
