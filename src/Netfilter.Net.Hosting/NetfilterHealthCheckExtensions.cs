using System;
using System.Collections.Generic;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The netfilter health check: the hosted NAT tables, judged by the doctor and by their reconcilers.</summary>
public static class NetfilterHealthCheckExtensions
{
    /// <summary>The name the check is registered under unless another is given: <c>netfilter</c>.</summary>
    public const string DefaultName = "netfilter";

    /// <summary>
    /// Adds the netfilter health check to the host's health checks (<c>services.AddHealthChecks()</c>)
    /// and calls <see cref="NetfilterServiceCollectionExtensions.AddNetfilter"/>. Unhealthy on an error
    /// finding of the doctor (<see cref="IDoctor"/>), for instance IP forwarding off while a forward to
    /// another host needs it, and when a table's last apply failed or its configuration was refused;
    /// degraded on a warning finding or before the first apply; the findings are in the result's data,
    /// keyed <c>TABLE:CODE</c>. Each table takes part unless its <see cref="HostedNatTableOptions.HealthCheck"/> is off.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter checks by (e.g. "ready").</param>
    /// <returns>The health-checks builder, to add more checks or <see cref="AddNetfilterHealthLog"/>.</returns>
    public static IHealthChecksBuilder AddNetfilterHealthChecks(this IServiceCollection services, string name = DefaultName, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddNetfilter();
        return services.AddHealthChecks().AddNetfilter(name, tags);
    }

    /// <summary>Adds the netfilter health check (see <see cref="AddNetfilterHealthChecks"/>) to a health-checks builder.</summary>
    /// <param name="builder">The host's health checks.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    public static IHealthChecksBuilder AddNetfilter(this IHealthChecksBuilder builder, string name = DefaultName, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddNetfilter();
        return builder.Add(new HealthCheckRegistration(name,
            sp => new NetfilterHealthCheck(sp.GetRequiredService<HostedNatTables>(), sp.GetRequiredService<NetfilterNamespaces>(), sp.GetRequiredService<IDoctor>()),
            failureStatus: null, tags));
    }

    /// <summary>
    /// Logs every change of the netfilter check's status (category <c>Netfilter.Net.Hosting.NetfilterHealthLog</c>:
    /// healthy at Information, degraded at Warning, unhealthy at Error, with what is wrong), for a
    /// service with no health endpoint. It rides on the host's health-check publishing, which runs
    /// all checks every <see cref="HealthCheckPublisherOptions.Period"/> (30 s unless configured).
    /// </summary>
    /// <param name="builder">The host's health checks.</param>
    /// <param name="name">The name the netfilter check was added under.</param>
    public static IHealthChecksBuilder AddNetfilterHealthLog(this IHealthChecksBuilder builder, string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IHealthCheckPublisher>(sp => new NetfilterHealthLog(name, NetfilterServiceCollectionExtensions.LoggerOf<NetfilterHealthLog>(sp)));
        return builder;
    }
}
