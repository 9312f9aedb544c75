using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Netfilter.Net.Hosting;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Tests.Hosting;

/// <summary>The hosted reconciler: apply on start and on change, refused changes, backoff and retries, removal on shutdown.</summary>
public sealed class ReconcilerTests
{
    private const string Ssh = "dnat tcp 2222 to 10.0.2.2:22 masquerade";
    private const string Telnet = "dnat tcp 2222 to 10.0.2.2:23 masquerade";
    private const string Web = "redirect tcp 80 to 8080 local";

    [Fact]
    public async Task The_configured_rules_are_applied_when_the_host_starts()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh, Web }, ("Namespace", "router")));

        await host.StartAsync();
        ApplyCall apply = await host.Tables.NextApplyAsync();

        apply.Table.Should().Be("portfwd");
        apply.Failed.Should().BeFalse();
        apply.Rules.Should().Equal(Ssh, Web);
        (string name, NatTableOptions options) = host.Tables.Opened.Should().ContainSingle().Subject;
        name.Should().Be("portfwd");
        host.Clients.NameOf(options.Namespace).Should().Be("router", "the table is opened in the configured namespace");
        options.Lifetime.Should().Be(NatTableLifetime.Persistent);
        options.LoggerFactory.Should().BeSameAs(host.Services.GetService(typeof(ILoggerFactory)), "the library logs through the host's factory, one category per component");
        await Patience.Until(() => host.Log.Messages().Any(m => m.StartsWith("NAT table portfwd in namespace router: added 2, removed 0")), "the apply is logged");
    }

    [Fact]
    public async Task A_configuration_change_is_applied_and_only_the_difference_changes()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh, Web }));
        await host.StartAsync();
        await host.Tables.NextApplyAsync();

        host.Reconfigure(HostingTestHost.Settings(new[] { Telnet, Web }));
        ApplyCall apply = await host.Tables.NextApplyAsync();

        apply.Rules.Should().Equal(Telnet, Web);
        host.Tables.Kernel["portfwd"].Should().Equal(Telnet, Web);
        await Patience.Until(() => host.Log.Messages().Any(m => m.StartsWith("NAT table portfwd in the service's namespace: added 1, removed 1, repaired 0, foreign removed 0, unchanged 1")),
            "the change is logged with its NatApplyResult");
        host.Tables.Opened.Should().ContainSingle("the same table serves every change");
    }

    [Fact]
    public async Task A_change_with_a_bad_line_is_refused_whole_and_logged_and_the_next_good_one_applies()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }));
        await host.StartAsync();
        await host.Tables.NextApplyAsync();

        host.Reconfigure(HostingTestHost.Settings(new[] { Telnet, "dnat tcp 99999 to 10.0.2.2:24" }));
        await Patience.Until(() => host.Log.Messages(LogLevel.Error).Any(m => m.Contains("Rules[1] 'dnat tcp 99999 to 10.0.2.2:24' is not a NAT rule")),
            "the refused line is logged with its index");

        host.Log.Messages(LogLevel.Error).Should().Contain(m => m.StartsWith("NAT table 'portfwd': configuration rejected, nothing sent and the rules last applied stay: "));
        host.Tables.HasPendingApply.Should().BeFalse("nothing of a refused change is sent, not even its good line");
        host.Tables.Kernel["portfwd"].Should().Equal(Ssh);
        host.Services.GetRequiredService<HostedNatTables>()["portfwd"].Status.Phase.Should().Be(HostedNatTablePhase.Rejected, "the status is published before the refusal is logged");

        host.Reconfigure(HostingTestHost.Settings(new[] { Telnet }));
        (await host.Tables.NextApplyAsync()).Rules.Should().Equal(Telnet);
        await host.PhaseAsync(HostedNatTablePhase.Applied);
    }

    [Fact]
    public async Task A_failed_apply_is_retried_after_growing_delays_with_jitter_and_then_succeeds()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }, ("Retry:InitialDelay", "00:00:02"), ("Retry:MaxDelay", "00:00:05")));
        host.Tables.FailNext = 3;
        await host.StartAsync();

        var delays = new List<TimeSpan>();
        for (int i = 0; i < 3; i++)
        {
            (await host.Tables.NextApplyAsync()).Failed.Should().BeTrue();
            TimeSpan delay = await host.Time.NextDelayAsync();
            delays.Add(delay);
            host.Tables.HasPendingApply.Should().BeFalse("nothing is tried again before the delay has passed");
            host.Time.Advance(delay);
        }
        ApplyCall success = await host.Tables.NextApplyAsync();

        success.Failed.Should().BeFalse();
        delays[0].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.6)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(2.4));
        delays[1].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(3.2)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(4.8));
        delays[2].Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(4)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(6), "capped at MaxDelay, then jittered");
        host.Log.Messages(LogLevel.Warning).Should().Contain(m => m.StartsWith("NAT table portfwd in the service's namespace: apply failed (try 1 of 8), trying again in ")
            && m.EndsWith("InvalidOperationException: the kernel said no (test)"));
        await host.PhaseAsync(HostedNatTablePhase.Applied);
    }

    [Theory]
    [InlineData(1, 0.0, 0.8)]
    [InlineData(1, 0.5, 1.0)]
    [InlineData(1, 1.0, 1.2)]
    [InlineData(2, 0.5, 2.0)]
    [InlineData(3, 0.5, 4.0)]
    [InlineData(7, 0.5, 60.0)]
    [InlineData(7, 1.0, 72.0)]
    [InlineData(500, 0.5, 60.0)]
    public void Backoff_doubles_from_the_initial_delay_up_to_the_maximum_times_a_jitter_of_20_percent(int failures, double random, double seconds)
    {
        var retry = new NatTableRetryOptions { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromMinutes(1) };

        NatTableReconciler.Backoff(retry, failures, random).TotalSeconds.Should().BeApproximately(seconds, 1e-6);
    }

    [Fact]
    public async Task After_the_last_try_it_waits_for_the_next_change_which_starts_afresh()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }, ("Retry:MaxAttempts", "2")));
        host.Tables.FailNext = 100;
        await host.StartAsync();

        (await host.Tables.NextApplyAsync()).Failed.Should().BeTrue();
        host.Time.Advance(await host.Time.NextDelayAsync());
        (await host.Tables.NextApplyAsync()).Failed.Should().BeTrue();
        await Patience.Until(() => host.Log.Messages(LogLevel.Error).Any(m => m.StartsWith("NAT table portfwd in the service's namespace: apply failed 2 times; waiting for the next configuration change:")),
            "giving up is logged");
        host.Time.PendingDelays.Should().BeEmpty("no timer: only a change wakes it");
        host.Time.Advance(TimeSpan.FromDays(1));
        host.Tables.HasPendingApply.Should().BeFalse();

        host.Tables.FailNext = 0;
        host.Reconfigure(HostingTestHost.Settings(new[] { Telnet }, ("Retry:MaxAttempts", "2")));

        ApplyCall apply = await host.Tables.NextApplyAsync();
        apply.Failed.Should().BeFalse();
        apply.Rules.Should().Equal(Telnet);
    }

    [Fact]
    public async Task A_namespace_that_is_not_there_yet_is_retried_like_any_failure()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }, ("Namespace", "later")));
        host.Clients.MissingNamespaces.Add("later");
        await host.StartAsync();

        TimeSpan delay = await host.Time.NextDelayAsync();
        host.Tables.Opened.Should().BeEmpty();
        host.Log.Messages(LogLevel.Warning).Should().Contain(m => m.Contains("no network namespace named 'later'"));
        lock (host.Clients.MissingNamespaces)
        {
            host.Clients.MissingNamespaces.Clear();
        }
        host.Time.Advance(delay);

        (await host.Tables.NextApplyAsync()).Failed.Should().BeFalse();
    }

    [Fact]
    public async Task The_reconcile_interval_applies_again_without_a_change()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }, ("ReconcileInterval", "00:01:00")));
        await host.StartAsync();
        await host.Tables.NextApplyAsync();

        (await host.Time.NextDelayAsync()).Should().Be(TimeSpan.FromMinutes(1));
        host.Tables.Kernel["portfwd"] = new List<string>();
        host.Time.Advance(TimeSpan.FromMinutes(1));

        (await host.Tables.NextApplyAsync()).Rules.Should().Equal(Ssh);
        host.Tables.Kernel["portfwd"].Should().Equal(new[] { Ssh }, "a rule someone removed is put back");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task On_shutdown_the_table_is_deleted_only_when_so_configured(bool remove)
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }, ("RemoveOnShutdown", remove ? "true" : "false")));
        await host.StartAsync();
        await host.Tables.NextApplyAsync();

        await host.StopAsync();

        host.Tables.Deleted.Should().Equal(remove ? new[] { "portfwd" } : Array.Empty<string>());
        host.Tables.Kernel.ContainsKey("portfwd").Should().Be(!remove);
        host.Tables.Disposed.Should().Be(1, "the table is closed either way");
        if (remove)
        {
            host.Log.Messages().Should().Contain("NAT table portfwd in the service's namespace: deleted on shutdown (RemoveOnShutdown)");
        }
    }

    [Fact]
    public async Task Forwarding_is_turned_on_for_the_families_that_forwards_to_other_hosts_use_and_never_off()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh, "dnat tcp 8443 to [fd02::2]:443", Web },
            ("EnableForwarding", "true"), ("Namespace", "router")));
        SysctlDouble sysctl = host.Clients.Sysctl.GetOrAdd("router", _ => new SysctlDouble());
        sysctl.Values["net.ipv4.ip_forward"] = "0";
        sysctl.Values["net.ipv6.conf.all.forwarding"] = "0";
        await host.StartAsync();
        await host.Tables.NextApplyAsync();

        sysctl.Writes.Should().Equal("net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
        host.Log.Messages().Should().Contain("turned IPv4 forwarding on in namespace router (EnableForwarding)")
            .And.Contain("turned IPv6 forwarding on in namespace router (EnableForwarding)");
        host.Sysctl.Writes.Should().BeEmpty("the service's own namespace is not touched");

        host.Reconfigure(HostingTestHost.Settings(new[] { "dnat tcp 9000 to 127.0.0.1:9000", Web }, ("EnableForwarding", "true"), ("Namespace", "router")));
        await host.Tables.NextApplyAsync();

        sysctl.Writes.Should().HaveCount(2, "a loopback target needs no forwarding, and forwarding is never turned off");
        sysctl.Values["net.ipv4.ip_forward"].Should().Be("1");
    }

    [Fact]
    public async Task Forwarding_is_left_alone_unless_EnableForwarding()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }));
        host.Sysctl.Values["net.ipv4.ip_forward"] = "0";
        await host.StartAsync();
        await host.Tables.NextApplyAsync();

        host.Sysctl.Writes.Should().BeEmpty();
    }

    [Fact]
    public async Task Moving_the_table_to_another_name_retires_the_old_one_as_shutdown_would()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }, ("RemoveOnShutdown", "true")));
        await host.StartAsync();
        await host.Tables.NextApplyAsync();

        host.Reconfigure(HostingTestHost.Settings(new[] { Ssh }, ("RemoveOnShutdown", "true"), ("Table", "fwd2")));
        ApplyCall apply = await host.Tables.NextApplyAsync();

        apply.Table.Should().Be("fwd2");
        host.Tables.Deleted.Should().Equal("portfwd");
        host.Tables.Kernel.Keys.Should().Equal("fwd2");
        host.Log.Messages().Should().Contain("NAT table portfwd in the service's namespace is no longer managed (now fwd2 in the service's namespace): deleted");
    }

    [Fact]
    public async Task Two_registrations_of_one_kernel_table_are_refused_at_apply()
    {
        await using var host = HostingTestHost.Create(new Dictionary<string, string?>
        {
            ["T:a:Rules:0"] = Ssh,
            ["T:b:Rules:0"] = Web,
            ["T:b:Table"] = "a",
        }, (services, configuration) =>
        {
            services.AddNatTable("a", configuration.GetSection("T:a"));
            services.AddNatTable("b", configuration.GetSection("T:b"));
        });
        await host.StartAsync();

        await Patience.Until(() => host.Log.Messages(LogLevel.Warning).Any(m => m.Contains("is already hosted as")), "the second owner is refused");
        host.Tables.Opened.Should().ContainSingle();
    }
}
