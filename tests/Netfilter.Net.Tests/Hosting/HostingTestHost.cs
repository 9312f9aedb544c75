using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Hosting;
using Netfilter.Net.Nat;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Tests.Hosting;

/// <summary>
/// A host as a service builds it (HostApplicationBuilder, AddNatTable from configuration), with
/// the kernel replaced by the doubles, the clock by <see cref="ManualTime"/>, and a configuration
/// a test can replace while the host runs (as an edited appsettings.json would be reloaded).
/// </summary>
internal sealed class HostingTestHost : IAsyncDisposable
{
    public const string Section = "Netfilter:Tables:portfwd";

    private readonly SettableConfiguration _configuration;

    private HostingTestHost(IHost host, SettableConfiguration configuration)
    {
        Host = host;
        _configuration = configuration;
    }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public TableFactoryDouble Tables { get; private init; } = null!;

    public DoctorDouble Doctor { get; private init; } = null!;

    public ClientFactoryDouble Clients { get; private init; } = null!;

    public ConntrackDouble Conntrack { get; private init; } = null!;

    public SysctlDouble Sysctl { get; private init; } = null!;

    public ManualTime Time { get; private init; } = null!;

    public LogRecorder Log { get; private init; } = null!;

    /// <summary>A host with the portfwd table bound to <see cref="Section"/> of <paramref name="settings"/>; not started.</summary>
    public static HostingTestHost Create(IDictionary<string, string?> settings, Action<IServiceCollection, IConfiguration>? register = null)
    {
        var configuration = new SettableConfiguration(settings);
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        ((IConfigurationBuilder)builder.Configuration).Add(configuration);
        var log = new LogRecorder();
        builder.Services.AddLogging(l => l.AddProvider(log).SetMinimumLevel(LogLevel.Trace));
        builder.Services.AddMetrics();
        var tables = new TableFactoryDouble();
        var doctor = new DoctorDouble();
        var clients = new ClientFactoryDouble();
        var conntrack = new ConntrackDouble();
        var sysctl = new SysctlDouble();
        var time = new ManualTime();
        // Registered before AddNetfilter: its TryAdd leaves them in place.
        builder.Services.AddSingleton<INatTableFactory>(tables);
        builder.Services.AddSingleton<IDoctor>(doctor);
        builder.Services.AddSingleton<INetfilterClientFactory>(clients);
        builder.Services.AddSingleton<IConntrackClient>(conntrack);
        builder.Services.AddSingleton<ISysctlClient>(sysctl);
        builder.Services.AddSingleton<TimeProvider>(time);
        if (register is null)
        {
            builder.Services.AddNatTable("portfwd", builder.Configuration.GetSection(Section));
        }
        else
        {
            register(builder.Services, builder.Configuration);
        }
        return new HostingTestHost(builder.Build(), configuration)
        {
            Tables = tables,
            Doctor = doctor,
            Clients = clients,
            Conntrack = conntrack,
            Sysctl = sysctl,
            Time = time,
            Log = log,
        };
    }

    /// <summary>Settings for the portfwd table: its rules, then any other "Key=value" under the section.</summary>
    public static Dictionary<string, string?> Settings(IEnumerable<string> rules, params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>();
        int i = 0;
        foreach (string rule in rules)
        {
            settings[$"{Section}:Rules:{i++}"] = rule;
        }
        foreach ((string key, string? value) in more)
        {
            settings[$"{Section}:{key}"] = value;
        }
        return settings;
    }

    /// <summary>Replaces the whole configuration and raises its change token, as a reloaded file does.</summary>
    public void Reconfigure(IDictionary<string, string?> settings) => _configuration.Replace(settings);

    /// <summary>
    /// Waits until the table <paramref name="name"/> publishes <paramref name="phase"/>. An apply that
    /// <see cref="TableFactoryDouble.NextApplyAsync"/> returns is the double's call: the reconciler
    /// publishes its outcome only after that call returns, so a test that reads the status (or
    /// anything derived from it, as the health check is) waits for it here first.
    /// </summary>
    public Task PhaseAsync(HostedNatTablePhase phase, string name = "portfwd") =>
        Patience.Until(() => Services.GetRequiredService<HostedNatTables>()[name].Status.Phase == phase, $"the status of '{name}' is {phase}");

    public Task StartAsync() => Host.StartAsync();

    public Task StopAsync() => Host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync();
        }
        catch (OperationCanceledException)
        {
        }
        Host.Dispose();
    }

    /// <summary>A configuration source whose data a test replaces at once, raising the reload token.</summary>
    private sealed class SettableConfiguration : ConfigurationProvider, IConfigurationSource
    {
        public SettableConfiguration(IDictionary<string, string?> settings) => Data = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);

        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

        public void Replace(IDictionary<string, string?> settings)
        {
            Data = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);
            OnReload();
        }
    }
}
