using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Netfilter.Net;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Hosting;
using Netfilter.Net.Nat;
using Netfilter.Net.Sysctl;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Netfilter.Net in a host: the library's services, and NAT tables kept equal to their configuration.</summary>
public static class NetfilterServiceCollectionExtensions
{
    /// <summary>
    /// Registers the library's services, each only when nothing is registered for it yet (so a test
    /// may register its own, before or after): <see cref="INatTableFactory"/> (<see cref="NatTableFactory"/>),
    /// <see cref="IDoctor"/> (<see cref="Doctor"/>), <see cref="INetfilterClientFactory"/>
    /// (<see cref="NetfilterClientFactory"/> over the host's <see cref="ILoggerFactory"/>), and the
    /// service's own namespace's <see cref="IConntrackClient"/> and <see cref="ISysctlClient"/>
    /// (opened through that factory on first use). Also the metrics (<see cref="NetfilterMetrics"/>)
    /// and, when <see cref="NetfilterHostingOptions.WatchConntrackEvents"/> is on, the conntrack event
    /// watcher. Calling it again only applies <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Settings of the hosting layer (conntrack sampling, event watching).</param>
    public static IServiceCollection AddNetfilter(this IServiceCollection services, Action<NetfilterHostingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        if (services.Any(d => d.ServiceType == typeof(NetfilterMarker)))
        {
            return services;
        }
        services.AddSingleton<NetfilterMarker>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<INatTableFactory, NatTableFactory>();
        services.TryAddSingleton<IDoctor, Doctor>();
        services.TryAddSingleton<INetfilterClientFactory>(sp => new NetfilterClientFactory(sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IConntrackClient>(sp => sp.GetRequiredService<INetfilterClientFactory>().OpenConntrack(NetworkNamespace.Current));
        services.TryAddSingleton<ISysctlClient>(sp => sp.GetRequiredService<INetfilterClientFactory>().OpenSysctl(NetworkNamespace.Current));
        services.TryAddSingleton(sp => new NetfilterNamespaces(sp, sp.GetRequiredService<INetfilterClientFactory>()));
        services.TryAddSingleton(sp => new HostedNatTables(sp.GetServices<HostedNatTableRegistration>()));
        services.TryAddSingleton(sp => new NetfilterMeter(sp.GetRequiredService<HostedNatTables>(), sp.GetRequiredService<NetfilterNamespaces>(),
            sp.GetRequiredService<IOptions<NetfilterHostingOptions>>(), sp.GetRequiredService<TimeProvider>(),
            LoggerOf<NetfilterMeter>(sp), sp.GetService<IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HostedNatTableOptions>, HostedNatTableOptionsValidator>());
        services.AddSingleton<IHostedService>(sp => new ConntrackEventWatcher(sp.GetRequiredService<IOptions<NetfilterHostingOptions>>(),
            sp.GetRequiredService<IOptionsMonitor<HostedNatTableOptions>>(), sp.GetServices<HostedNatTableRegistration>(),
            sp.GetRequiredService<NetfilterNamespaces>(), sp.GetRequiredService<NetfilterMeter>(), sp.GetRequiredService<TimeProvider>(),
            LoggerOf<ConntrackEventWatcher>(sp)));
        return services;
    }

    /// <summary>
    /// Hosts the NAT table registered as <paramref name="name"/>, with its options read from
    /// <paramref name="configuration"/> (a section shaped like <see cref="HostedNatTableOptions"/>)
    /// and read again whenever it changes: applied at start, on every change, removed on shutdown
    /// when configured. The options are validated when the host starts (it does not start when a
    /// rule line is bad or two rules conflict) and on every change (the change is refused and logged,
    /// the rules last applied stay). Calls <see cref="AddNetfilter"/>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="name">The registration name, unique in the host; also the table's name unless the section sets <c>Table</c>.</param>
    /// <param name="configuration">The table's section, e.g. <c>builder.Configuration.GetSection("Netfilter:Tables:portfwd")</c>.</param>
    /// <example>
    /// <code>
    /// builder.Services.AddNatTable("portfwd", builder.Configuration.GetSection("Netfilter:Tables:portfwd"));
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    /// <exception cref="InvalidOperationException">A table is already registered under that name.</exception>
    public static IServiceCollection AddNatTable(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AddTable(services, name);
        // Not an IOptionsChangeTokenSource: the options monitor would then read the options on every
        // change inside the configuration's reload callback and throw from there when they are
        // invalid. Only the table's reconciler listens, and reads them where it can report why.
        services.AddSingleton(new HostedNatTableChangeSource(name, configuration));
        services.AddSingleton<IConfigureOptions<HostedNatTableOptions>>(new ConfigureNamedOptions<HostedNatTableOptions>(name, o => HostedNatTableOptionsBinder.Bind(configuration, o)));
        return services;
    }

    /// <summary>
    /// Hosts the NAT table registered as <paramref name="name"/>, with options set in code. They are
    /// validated when the host starts, and applied then; they do not change afterwards. Calls
    /// <see cref="AddNetfilter"/>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="name">The registration name, unique in the host; also the table's name unless <paramref name="configure"/> sets <see cref="HostedNatTableOptions.Table"/>.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; o.Rules.Add("redirect tcp 80 to 8080 local")</c>.</param>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    /// <exception cref="InvalidOperationException">A table is already registered under that name.</exception>
    public static IServiceCollection AddNatTable(this IServiceCollection services, string name, Action<HostedNatTableOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        AddTable(services, name);
        services.Configure(name, configure);
        return services;
    }

    private static void AddTable(IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (services.Any(d => d.ServiceType == typeof(HostedNatTableRegistration) && d.ImplementationInstance is HostedNatTableRegistration r && r.Name == name))
        {
            throw new InvalidOperationException($"a NAT table is already registered as '{name}': each AddNatTable needs its own name");
        }
        services.AddNetfilter();
        services.AddSingleton(new HostedNatTableRegistration(name));
        // First, so that the configuration (or the caller's action) can override it.
        services.Configure<HostedNatTableOptions>(name, o => o.Table = name);
        services.AddOptions<HostedNatTableOptions>(name).ValidateOnStart();
        services.AddSingleton<IHostedService>(sp => new NatTableReconciler(name,
            sp.GetRequiredService<IOptionsMonitor<HostedNatTableOptions>>(), sp.GetRequiredService<IOptionsMonitorCache<HostedNatTableOptions>>(),
            sp.GetServices<HostedNatTableChangeSource>(), sp.GetRequiredService<INatTableFactory>(),
            sp.GetRequiredService<NetfilterNamespaces>(), sp.GetRequiredService<HostedNatTables>(), sp.GetRequiredService<NetfilterMeter>(),
            sp.GetService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
    }

    /// <summary>The host's logger of category <typeparamref name="T"/>; nothing is logged in a container without logging.</summary>
    internal static ILogger<T> LoggerOf<T>(IServiceProvider services) =>
        services.GetService<ILoggerFactory>() is { } factory ? new Logger<T>(factory) : Microsoft.Extensions.Logging.Abstractions.NullLogger<T>.Instance;

    /// <summary>Says that <see cref="AddNetfilter"/> ran.</summary>
    private sealed class NetfilterMarker
    {
    }
}
