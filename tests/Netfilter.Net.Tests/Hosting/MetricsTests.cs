using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Hosting;
using Netfilter.Net.Nat;
using Netfilter.Net.Testing;

namespace Netfilter.Net.Tests.Hosting;

/// <summary>The Netfilter.Net meter, read through a MeterListener as any collector would.</summary>
public sealed class MetricsTests
{
    private const string Ssh = "dnat tcp 2222 to 10.0.2.2:22 masquerade";
    private const string Telnet = "dnat tcp 2222 to 10.0.2.2:23 masquerade";
    private const string Web = "redirect tcp 80 to 8080 local";

    /// <summary>Listens to one host's meter only (tests run in parallel, each host with its own).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();

        public Recorder(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == meter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.Start();
        }

        public ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> Measurements { get; } = new();

        public List<(long Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
            Measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags)).ToList();

        public void Collect() => _listener.RecordObservableInstruments();

        public void Clear() => Measurements.Clear();

        private void Add(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var t = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                t[tag.Key] = tag.Value;
            }
            Measurements.Enqueue((instrument.Name, value, t));
        }

        public void Dispose() => _listener.Dispose();
    }

    private static Dictionary<string, object?> Tags(params (string Key, object? Value)[] tags) => tags.ToDictionary(t => t.Key, t => t.Value);

    [Fact]
    public async Task Applies_rules_added_and_removed_and_the_rules_gauge_are_measured_per_table()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh, Web }, ("Namespace", "router")));
        using var recorder = new Recorder(host.Services.GetRequiredService<NetfilterMeter>().Meter);
        await host.StartAsync();
        await host.Tables.NextApplyAsync();
        await Patience.Until(() => recorder.Of(NetfilterMetrics.NatApplies).Count == 1, "the apply is counted");

        host.Reconfigure(HostingTestHost.Settings(new[] { Telnet, Web }, ("Namespace", "router")));
        await host.Tables.NextApplyAsync();
        await Patience.Until(() => recorder.Of(NetfilterMetrics.NatApplies).Count == 2, "the second apply is counted");
        recorder.Collect();

        var table = Tags((NetfilterMetrics.NamespaceTag, "router"), (NetfilterMetrics.TableTag, "portfwd"));
        recorder.Of(NetfilterMetrics.NatApplies).Should().BeEquivalentTo(new[]
        {
            (1L, Tags((NetfilterMetrics.NamespaceTag, "router"), (NetfilterMetrics.TableTag, "portfwd"), (NetfilterMetrics.ChangedTag, true))),
            (1L, Tags((NetfilterMetrics.NamespaceTag, "router"), (NetfilterMetrics.TableTag, "portfwd"), (NetfilterMetrics.ChangedTag, true))),
        });
        recorder.Of(NetfilterMetrics.NatRulesAdded).Should().BeEquivalentTo(new[] { (2L, table), (1L, table) });
        recorder.Of(NetfilterMetrics.NatRulesRemoved).Should().BeEquivalentTo(new[] { (1L, table) });
        recorder.Of(NetfilterMetrics.NatRules).Should().BeEquivalentTo(new[] { (2L, table) });
        recorder.Of(NetfilterMetrics.NatApplyFailures).Should().BeEmpty();
    }

    [Fact]
    public async Task A_failed_apply_is_counted_with_the_error_type()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }));
        using var recorder = new Recorder(host.Services.GetRequiredService<NetfilterMeter>().Meter);
        host.Tables.FailNext = 1;
        await host.StartAsync();
        await host.Tables.NextApplyAsync();

        await Patience.Until(() => recorder.Of(NetfilterMetrics.NatApplyFailures).Count == 1, "the failure is counted");
        recorder.Collect();

        recorder.Of(NetfilterMetrics.NatApplyFailures).Should().BeEquivalentTo(new[]
        {
            (1L, Tags((NetfilterMetrics.TableTag, "portfwd"), (NetfilterMetrics.ErrorTypeTag, "System.InvalidOperationException"))),
        }, "no namespace tag for the service's own namespace");
        recorder.Of(NetfilterMetrics.NatRules).Should().BeEmpty("nothing was applied yet");
    }

    [Fact]
    public async Task Conntrack_entries_are_sampled_in_the_background_at_most_once_per_interval()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }, ("Namespace", "router")), (services, configuration) =>
        {
            services.AddNetfilter(o => o.ConntrackSampleInterval = TimeSpan.FromSeconds(10));
            services.AddNatTable("portfwd", configuration.GetSection(HostingTestHost.Section));
        });
        NetfilterMeter meter = host.Services.GetRequiredService<NetfilterMeter>();
        using var recorder = new Recorder(meter.Meter);
        ConntrackDouble conntrack = host.Clients.Conntrack.GetOrAdd("router", _ => new ConntrackDouble());
        conntrack.Statistics = new ConntrackStatistics(Entries: 42, MaxEntries: 262144);
        await host.StartAsync();
        await host.Tables.NextApplyAsync();

        // Each sample is held in the kernel's read until the collection that started it is over:
        // otherwise it may land between the two gauges' callbacks of that one collection.
        var kernel = new TaskCompletionSource();
        conntrack.Held = kernel.Task;
        recorder.Collect();
        recorder.Of(NetfilterMetrics.ConntrackEntries).Should().BeEmpty("a collection never waits for the kernel: the first one starts the sample");
        recorder.Of(NetfilterMetrics.ConntrackMaxEntries).Should().BeEmpty();
        kernel.SetResult();
        await meter.SamplingAsync();
        recorder.Collect();
        conntrack.Statistics = new ConntrackStatistics(Entries: 43, MaxEntries: 262144);
        host.Time.Advance(TimeSpan.FromSeconds(9));
        recorder.Collect();
        await meter.SamplingAsync();

        var router = Tags((NetfilterMetrics.NamespaceTag, "router"));
        recorder.Of(NetfilterMetrics.ConntrackEntries).Should().BeEquivalentTo(new[] { (42L, router), (42L, router) });
        recorder.Of(NetfilterMetrics.ConntrackMaxEntries).Should().BeEquivalentTo(new[] { (262144L, router), (262144L, router) });
        conntrack.StatisticsReads.Should().Be(1, "within the interval the sample is reused");

        host.Time.Advance(TimeSpan.FromSeconds(1));
        recorder.Clear();
        kernel = new TaskCompletionSource();
        conntrack.Held = kernel.Task;
        recorder.Collect();
        kernel.SetResult();
        await meter.SamplingAsync();
        recorder.Collect();

        conntrack.StatisticsReads.Should().Be(2);
        recorder.Of(NetfilterMetrics.ConntrackEntries).Select(m => m.Value).Should().Equal(42L, 43L);
        recorder.Of(NetfilterMetrics.ConntrackMaxEntries).Should().HaveCount(2, "the collection that starts a sample reports the last one, the next one the new one");
        host.Conntrack.StatisticsReads.Should().Be(0, "only the namespaces of the hosted tables are sampled");
    }

    [Fact]
    public async Task Nothing_reads_conntrack_while_nobody_listens()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }));
        await host.StartAsync();
        await host.Tables.NextApplyAsync();

        host.Time.Advance(TimeSpan.FromMinutes(10));

        host.Conntrack.StatisticsReads.Should().Be(0);
    }

    [Fact]
    public async Task Conntrack_events_and_their_losses_are_counted_when_watching_is_on()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }), (services, configuration) =>
        {
            services.AddNetfilter(o => o.WatchConntrackEvents = true);
            services.AddNatTable("portfwd", configuration.GetSection(HostingTestHost.Section));
        });
        using var recorder = new Recorder(host.Services.GetRequiredService<NetfilterMeter>().Meter);
        await host.StartAsync();
        await Patience.Until(() => host.Conntrack.Watches == 1, "the watch starts");

        var entry = new ConntrackEntry(ConntrackTuple.Tcp(System.Net.IPAddress.Parse("10.0.1.2"), 40000, System.Net.IPAddress.Parse("10.0.1.1"), 2222));
        foreach (ConntrackEvent e in new[]
        {
            ConntrackEvent.ForEntry(ConntrackEventType.New, entry), ConntrackEvent.ForEntry(ConntrackEventType.Update, entry),
            ConntrackEvent.Lost, ConntrackEvent.ForSnapshot(Array.Empty<ConntrackEntry>()), ConntrackEvent.ForEntry(ConntrackEventType.Destroy, entry),
        })
        {
            host.Conntrack.Events.Writer.TryWrite(e);
        }
        await Patience.Until(() => recorder.Of(NetfilterMetrics.ConntrackEvents).Count == 3 && recorder.Of(NetfilterMetrics.ConntrackEventsLost).Count == 1, "the events are counted");

        recorder.Of(NetfilterMetrics.ConntrackEvents).Select(m => m.Tags[NetfilterMetrics.EventTag]).Should().Equal("new", "update", "destroy");
        recorder.Of(NetfilterMetrics.ConntrackEventsLost).Should().BeEquivalentTo(new[] { (1L, Tags()) });
        host.Log.Messages().Should().Contain("conntrack events of the service's namespace were lost (the kernel's queue overflowed); the watch read the table again");
    }

    [Fact]
    public async Task No_watch_unless_asked()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }));
        await host.StartAsync();
        await host.Tables.NextApplyAsync();
        await host.StopAsync();

        host.Conntrack.Watches.Should().Be(0);
    }

    private static Dictionary<string, object?> RuleTags(string rule, string kind) => Tags(
        (NetfilterMetrics.NamespaceTag, "router"), (NetfilterMetrics.TableTag, "portfwd"), (NetfilterMetrics.RuleTag, rule), (NetfilterMetrics.RuleKindTag, kind));

    [Fact]
    public async Task Rule_counters_are_measured_per_rule_and_follow_the_tables_counters()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh, Web }, ("Namespace", "router")), (services, configuration) =>
        {
            services.AddNetfilter(o => o.RuleStatisticsInterval = TimeSpan.FromSeconds(30));
            services.AddNatTable("portfwd", configuration.GetSection(HostingTestHost.Section));
        });
        NetfilterMeter meter = host.Services.GetRequiredService<NetfilterMeter>();
        using var recorder = new Recorder(meter.Meter);
        host.Tables.Counters[Ssh] = (3, 180);
        await host.StartAsync();
        await Patience.Until(() => recorder.Of(NetfilterMetrics.NatApplies).Count == 1, "the apply is counted (after its counters are read)");

        recorder.Collect();

        recorder.Of(NetfilterMetrics.NatRulePackets).Should().BeEquivalentTo(new[] { (3L, RuleTags(Ssh, "dnat")) },
            "a rule without counters (the redirect here) reports nothing rather than a zero it does not know");
        recorder.Of(NetfilterMetrics.NatRuleBytes).Should().BeEquivalentTo(new[] { (180L, RuleTags(Ssh, "dnat")) });
        host.Tables.StatisticsReads.Should().Be(1, "read once after the apply, and reused within the interval");

        // Within the interval the snapshot is reused, whatever the kernel counts meanwhile.
        host.Tables.Counters[Ssh] = (5, 300);
        host.Tables.Counters[Web] = (2, 120);
        host.Time.Advance(TimeSpan.FromSeconds(29));
        recorder.Clear();
        recorder.Collect();
        await meter.SamplingAsync();
        recorder.Of(NetfilterMetrics.NatRulePackets).Select(m => m.Value).Should().Equal(3L);
        host.Tables.StatisticsReads.Should().Be(1);

        // Older than the interval: the collection reports the last snapshot and starts one read, never waiting for it.
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var kernel = new TaskCompletionSource();
        host.Tables.StatisticsHeld = kernel.Task;
        recorder.Clear();
        recorder.Collect();
        recorder.Of(NetfilterMetrics.NatRulePackets).Select(m => m.Value).Should().Equal(3L);
        kernel.SetResult();
        await meter.SamplingAsync();
        recorder.Clear();
        recorder.Collect();

        recorder.Of(NetfilterMetrics.NatRulePackets).Should().BeEquivalentTo(new[] { (5L, RuleTags(Ssh, "dnat")), (2L, RuleTags(Web, "redirect")) });
        recorder.Of(NetfilterMetrics.NatRuleBytes).Should().BeEquivalentTo(new[] { (300L, RuleTags(Ssh, "dnat")), (120L, RuleTags(Web, "redirect")) });
        host.Tables.StatisticsReads.Should().Be(2, "one read per interval, however many instruments and collections");

        // An apply reads again at once: the removed rule goes, the added one comes, without waiting for the interval.
        host.Tables.Counters[Telnet] = (0, 0);
        recorder.Clear();
        host.Reconfigure(HostingTestHost.Settings(new[] { Telnet, Web }, ("Namespace", "router")));
        await Patience.Until(() => recorder.Of(NetfilterMetrics.NatApplies).Count == 1, "the second apply is counted");
        recorder.Clear();
        recorder.Collect();

        recorder.Of(NetfilterMetrics.NatRulePackets).Should().BeEquivalentTo(new[] { (0L, RuleTags(Telnet, "dnat")), (2L, RuleTags(Web, "redirect")) });
        host.Tables.StatisticsReads.Should().Be(3);
    }

    [Fact]
    public async Task Rule_counters_are_off_unless_asked()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }));
        using var recorder = new Recorder(host.Services.GetRequiredService<NetfilterMeter>().Meter);
        host.Tables.Counters[Ssh] = (3, 180);
        await host.StartAsync();
        await Patience.Until(() => recorder.Of(NetfilterMetrics.NatApplies).Count == 1, "the apply is counted");
        host.Time.Advance(TimeSpan.FromMinutes(10));

        recorder.Collect();

        recorder.Of(NetfilterMetrics.NatRulePackets).Should().BeEmpty();
        recorder.Of(NetfilterMetrics.NatRuleBytes).Should().BeEmpty();
        host.Tables.StatisticsReads.Should().Be(0, "one series per rule is opt-in (NetfilterHostingOptions.RuleStatisticsInterval)");
    }

    [Fact]
    public async Task A_failed_read_of_the_rule_counters_keeps_the_last_snapshot_and_fails_no_apply()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }), (services, configuration) =>
        {
            services.AddNetfilter(o => o.RuleStatisticsInterval = TimeSpan.FromSeconds(30));
            services.AddNatTable("portfwd", configuration.GetSection(HostingTestHost.Section));
        });
        NetfilterMeter meter = host.Services.GetRequiredService<NetfilterMeter>();
        using var recorder = new Recorder(meter.Meter);
        host.Tables.Counters[Ssh] = (3, 180);
        await host.StartAsync();
        await host.PhaseAsync(HostedNatTablePhase.Applied);

        host.Tables.StatisticsHeld = Task.FromException(new InvalidOperationException("dump interrupted (test)"));
        host.Time.Advance(TimeSpan.FromSeconds(30));
        recorder.Collect();
        await meter.SamplingAsync();
        recorder.Clear();
        recorder.Collect();
        await meter.SamplingAsync();

        recorder.Of(NetfilterMetrics.NatRulePackets).Select(m => m.Value).Should().Equal(3L);
        host.Tables.StatisticsReads.Should().Be(2, "a failed read is tried again an interval later, not at every collection");
        host.Log.Messages().Should().Contain("rule counters of NAT table portfwd in the service's namespace could not be read: dump interrupted (test)");
    }

    [Fact]
    public async Task Rule_counters_of_a_table_in_the_fake_kernel_are_read_back_through_the_library()
    {
        var kernel = new FakeNetfilter();
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh, Web }), (services, configuration) =>
        {
            services.AddSingleton(kernel.Tables);
            services.AddNetfilter(o => o.RuleStatisticsInterval = TimeSpan.FromSeconds(30));
            services.AddNatTable("portfwd", configuration.GetSection(HostingTestHost.Section));
        });
        using var recorder = new Recorder(host.Services.GetRequiredService<NetfilterMeter>().Meter);
        await host.StartAsync();
        await host.PhaseAsync(HostedNatTablePhase.Applied);

        recorder.Collect();

        using INatTable table = kernel.Tables.Open("portfwd");
        IReadOnlyList<NatRuleStatistics> expected = await table.ListStatisticsAsync();
        expected.Select(s => s.Rule.ToString()).Should().BeEquivalentTo(Ssh, Web);
        recorder.Of(NetfilterMetrics.NatRulePackets).Should().BeEquivalentTo(expected.Select(s => ((long)s.Packets!.Value, Tags(
            (NetfilterMetrics.TableTag, "portfwd"), (NetfilterMetrics.RuleTag, s.Rule.ToString()), (NetfilterMetrics.RuleKindTag, s.Rule.Kind == NatRuleKind.Dnat ? "dnat" : "redirect")))));
        recorder.Of(NetfilterMetrics.NatRuleBytes).Select(m => m.Value).Should().BeEquivalentTo(expected.Select(s => (long)s.Bytes!.Value));
    }

    [Fact]
    public void A_rule_statistics_interval_that_is_not_positive_is_refused_naming_the_option()
    {
        var services = new ServiceCollection();
        services.AddNetfilter(o => o.RuleStatisticsInterval = TimeSpan.Zero);
        using ServiceProvider provider = services.BuildServiceProvider();

        Action resolve = () => provider.GetRequiredService<NetfilterMeter>();

        resolve.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*RuleStatisticsInterval must be positive*");
    }
}
