using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Netfilter.Net.Hosting;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Hosting;

/// <summary>
/// Netfilter.Net.Hosting in a real host (Host.CreateApplicationBuilder), against the kernel: a
/// table in the router namespace applied at start, changed when its configuration changes, judged
/// by the health check, and deleted when the host stops.
/// </summary>
public sealed class HostedNatTableTests
{
    private const string Section = "Netfilter:Tables:portfwd";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static Dictionary<string, string?> Settings(string ns, string rule) => new()
    {
        [$"{Section}:Namespace"] = ns,
        [$"{Section}:Rules:0"] = rule,
        [$"{Section}:EnableForwarding"] = "true",
        [$"{Section}:RemoveOnShutdown"] = "true",
    };

    [NativeFact]
    public async Task A_host_applies_the_table_follows_its_configuration_reports_health_and_deletes_the_table_on_stop()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        using var ssh = Traffic.StartTcp(topo.Server, new IPEndPoint(IPAddress.Any, 22), "ssh");
        using var telnet = Traffic.StartTcp(topo.Server, new IPEndPoint(IPAddress.Any, 23), "telnet");
        var publicEndpoint = new IPEndPoint(IPAddress.Parse("10.0.1.1"), 2222);
        var configuration = new SettableConfiguration(Settings(topo.Router.Name, "dnat tcp 2222 to 10.0.2.2:22 masquerade"));

        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ((IConfigurationBuilder)builder.Configuration).Add(configuration);
        builder.Services.AddNatTable("portfwd", builder.Configuration.GetSection(Section));
        builder.Services.AddNetfilterHealthChecks();
        using IHost host = builder.Build();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();
        await host.StartAsync();
        try
        {
            await Until(() => topo.Router.Nft("list", "tables").Contains("inet portfwd") && topo.Router.Nft("list", "table", "inet", "portfwd").Contains("10.0.2.2:22"), "the forward to :22 is in the kernel");
            Forwarding.GetStatus(topo.Router.Namespace).IPv4.Should().BeTrue("EnableForwarding turned it on in the router");
            Traffic.TcpRequest(topo.Client, publicEndpoint).Should().StartWith("ssh local=10.0.2.2:22");
            HealthReport report = await health.CheckHealthAsync();
            report.Status.Should().Be(HealthStatus.Healthy, report.Entries["netfilter"].Description);

            // The configuration changes, as a reloaded appsettings.json would: the forward follows.
            configuration.Replace(Settings(topo.Router.Name, "dnat tcp 2222 to 10.0.2.2:23 masquerade"));
            await Until(() => topo.Router.Nft("list", "table", "inet", "portfwd") is var t && t.Contains("10.0.2.2:23") && !t.Contains("10.0.2.2:22"), "the forward moved to :23");
            Traffic.TcpRequest(topo.Client, publicEndpoint).Should().StartWith("telnet local=10.0.2.2:23");

            // IP forwarding turned off behind the service's back: the doctor's error makes the check unhealthy.
            topo.Router.Check("sysctl", "-w", "net.ipv4.ip_forward=0");
            report = await health.CheckHealthAsync();
            report.Status.Should().Be(HealthStatus.Unhealthy);
            report.Entries["netfilter"].Data.Keys.Should().Contain("portfwd:ip-forward-off");
        }
        finally
        {
            await host.StopAsync();
        }
        topo.Router.Nft("list", "tables").Should().NotContain("portfwd", "RemoveOnShutdown deletes the table when the host stops");
    }

    /// <summary>
    /// Issue 16: the host's per-rule counters (netfilter.nat.rule.packets/bytes) count the real
    /// connections through each forward. Three connections through one forward and two through the
    /// other: 3 and 2 packets (a nat chain sees each connection's SYN only), 60 bytes each, and nft's
    /// own listing of the element counters says the same.
    /// </summary>
    [NativeFact]
    public async Task The_host_reports_each_forwards_counters_as_the_connections_sent_through_it()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        using var ssh = Traffic.StartTcp(topo.Server, new IPEndPoint(IPAddress.Any, 22), "ssh");
        const string First = "dnat tcp 2222 to 10.0.2.2:22 masquerade";
        const string Second = "dnat tcp 2223 to 10.0.2.2:22 masquerade";
        var settings = Settings(topo.Router.Name, First);
        settings[$"{Section}:Rules:1"] = Second;

        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ((IConfigurationBuilder)builder.Configuration).Add(new SettableConfiguration(settings));
        builder.Services.AddNetfilter(o => o.RuleStatisticsInterval = TimeSpan.FromMilliseconds(200));
        builder.Services.AddNatTable("portfwd", builder.Configuration.GetSection(Section));
        using IHost host = builder.Build();
        // Tests run in parallel, each host with its own meter: only this one's router counts.
        var counters = new ConcurrentDictionary<(string Instrument, string Rule), long>();
        var labels = new ConcurrentDictionary<string, bool>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == NetfilterMetrics.MeterName && instrument.Name is NetfilterMetrics.NatRulePackets or NetfilterMetrics.NatRuleBytes)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var t = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                t[tag.Key] = tag.Value;
            }
            if (t.GetValueOrDefault(NetfilterMetrics.NamespaceTag) as string == topo.Router.Name)
            {
                labels[$"{t[NetfilterMetrics.TableTag]} {t[NetfilterMetrics.RuleKindTag]}"] = true;
                counters[(instrument.Name, (string)t[NetfilterMetrics.RuleTag]!)] = value;
            }
        });
        listener.Start();
        await host.StartAsync();
        try
        {
            await Until(() => topo.Router.Nft("list", "tables").Contains("inet portfwd"), "the table is in the kernel");
            var publicAddress = IPAddress.Parse("10.0.1.1");
            for (int i = 0; i < 3; i++)
            {
                Traffic.TcpRequest(topo.Client, new IPEndPoint(publicAddress, 2222)).Should().StartWith("ssh local=10.0.2.2:22");
            }
            for (int i = 0; i < 2; i++)
            {
                Traffic.TcpRequest(topo.Client, new IPEndPoint(publicAddress, 2223)).Should().StartWith("ssh local=10.0.2.2:22");
            }

            // Collected as a scraper would, until the background read has seen the five connections.
            await Until(() =>
            {
                listener.RecordObservableInstruments();
                return counters.GetValueOrDefault((NetfilterMetrics.NatRulePackets, First)) == 3 && counters.GetValueOrDefault((NetfilterMetrics.NatRulePackets, Second)) == 2;
            }, "the counters report the five connections");
            listener.RecordObservableInstruments();

            counters.Should().BeEquivalentTo(new Dictionary<(string, string), long>
            {
                [(NetfilterMetrics.NatRulePackets, First)] = 3,
                [(NetfilterMetrics.NatRuleBytes, First)] = 3 * 60,
                [(NetfilterMetrics.NatRulePackets, Second)] = 2,
                [(NetfilterMetrics.NatRuleBytes, Second)] = 2 * 60,
            }, "each connection's SYN (20 bytes of IPv4 header, 20 of TCP header, 20 of options) and nothing else");
            labels.Keys.Should().Equal(new[] { "portfwd dnat" }, "every measurement names the table and the rule's kind");
            string listing = topo.Router.Nft("list", "table", "inet", "portfwd");
            listing.Should().Contain("tcp . 2222 counter packets 3 bytes 180 ").And.Contain("tcp . 2223 counter packets 2 bytes 120 ", "nft reads the same element counters");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms for at most <see cref="Wait"/>.</summary>
    private static async Task Until(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {Wait}: {what}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>A configuration source whose data the test replaces at once, raising the reload token as a reloaded file does.</summary>
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
