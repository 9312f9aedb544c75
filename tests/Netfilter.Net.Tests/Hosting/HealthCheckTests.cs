using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Hosting;

namespace Netfilter.Net.Tests.Hosting;

/// <summary>The netfilter health check: doctor findings and reconciler state mapped to health.</summary>
public sealed class HealthCheckTests
{
    private const string Ssh = "dnat tcp 2222 to 10.0.2.2:22 masquerade";

    private static readonly DoctorFinding ForwardingOff = new(DoctorSeverity.Error, DoctorCodes.ForwardingOff,
        "IPv4 forwarding is off in namespace router (net.ipv4.ip_forward = 0).", "the kernel drops it", "nfnet forwarding on --netns router");

    private static readonly DoctorFinding NoReturnPath = new(DoctorSeverity.Warning, DoctorCodes.NoReturnPath,
        "replies from 10.0.2.2 may not come back through this host.", "asymmetric routing", "add masquerade");

    private static readonly DoctorFinding JustSaying = new(DoctorSeverity.Info, DoctorCodes.CheckSkipped, "could not read x", "y", "z");

    private static async Task<(HostingTestHost Host, HealthReport Report)> CheckAsync(IReadOnlyList<DoctorFinding> findings, params (string Key, string? Value)[] settings)
    {
        var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }, settings), (services, configuration) =>
        {
            services.AddNatTable("portfwd", configuration.GetSection(HostingTestHost.Section));
            services.AddNetfilterHealthChecks();
        });
        host.Doctor.Findings = findings;
        await host.StartAsync();
        await host.Tables.NextApplyAsync();
        await host.PhaseAsync(HostedNatTablePhase.Applied);
        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return (host, report);
    }

    [Fact]
    public async Task An_error_finding_is_unhealthy_with_the_finding_in_the_data()
    {
        (HostingTestHost host, HealthReport report) = await CheckAsync(new[] { ForwardingOff, NoReturnPath, JustSaying }, ("Namespace", "router"));
        await using HostingTestHost _ = host;

        HealthReportEntry entry = report.Entries["netfilter"];
        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Data.Should().BeEquivalentTo(new Dictionary<string, object>
        {
            ["portfwd:ip-forward-off"] = $"error: {ForwardingOff.Problem} Fix: {ForwardingOff.Fix}",
            ["portfwd:no-return-path"] = $"warning: {NoReturnPath.Problem} Fix: {NoReturnPath.Fix}",
        }, "info findings are left out");
        entry.Description.Should().StartWith("portfwd: error ip-forward-off: IPv4 forwarding is off");
        DoctorOptions asked = host.Doctor.Asked.Should().ContainSingle().Subject;
        asked.Table.Should().Be("portfwd");
        host.Clients.NameOf(asked.Namespace).Should().Be("router", "the doctor examines the table's namespace");
    }

    [Fact]
    public async Task A_warning_finding_is_degraded()
    {
        (HostingTestHost host, HealthReport report) = await CheckAsync(new[] { NoReturnPath, JustSaying });
        await using HostingTestHost _ = host;

        report.Entries["netfilter"].Status.Should().Be(HealthStatus.Degraded);
        report.Entries["netfilter"].Data.Keys.Should().Equal("portfwd:no-return-path");
    }

    [Fact]
    public async Task No_finding_above_info_is_healthy()
    {
        (HostingTestHost host, HealthReport report) = await CheckAsync(new[] { JustSaying });
        await using HostingTestHost _ = host;

        report.Entries["netfilter"].Status.Should().Be(HealthStatus.Healthy);
        report.Entries["netfilter"].Description.Should().Be("1 NAT table(s): nothing wrong");
    }

    [Fact]
    public async Task Two_findings_with_one_code_both_show()
    {
        (HostingTestHost host, HealthReport report) = await CheckAsync(new[] { NoReturnPath, NoReturnPath with { Problem = "replies from 10.0.2.3 too." } });
        await using HostingTestHost _ = host;

        report.Entries["netfilter"].Data.Keys.Should().Equal("portfwd:no-return-path", "portfwd:no-return-path#2");
    }

    [Fact]
    public async Task A_table_whose_health_check_is_off_is_not_examined()
    {
        (HostingTestHost host, HealthReport report) = await CheckAsync(new[] { ForwardingOff }, ("HealthCheck", "false"));
        await using HostingTestHost _ = host;

        report.Entries["netfilter"].Status.Should().Be(HealthStatus.Healthy);
        report.Entries["netfilter"].Description.Should().Be("no hosted NAT table has its health check on");
        host.Doctor.Asked.Should().BeEmpty();
    }

    [Fact]
    public async Task A_failed_apply_is_unhealthy_even_when_the_doctor_finds_nothing()
    {
        var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }), (services, configuration) =>
        {
            services.AddNatTable("portfwd", configuration.GetSection(HostingTestHost.Section));
            services.AddNetfilterHealthChecks();
        });
        await using HostingTestHost _ = host;
        host.Tables.FailNext = 1;
        await host.StartAsync();
        await host.Tables.NextApplyAsync();
        await host.PhaseAsync(HostedNatTablePhase.Failed);

        HealthReportEntry entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["netfilter"];

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Data["portfwd:apply"].Should().Be("the kernel said no (test)");
    }

    [Fact]
    public async Task The_health_log_says_each_change_of_status_once()
    {
        var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { Ssh }), (services, configuration) =>
        {
            services.AddNatTable("portfwd", configuration.GetSection(HostingTestHost.Section));
            services.AddNetfilterHealthChecks().AddNetfilterHealthLog();
            // The host's own publishing would run it too, on the wall clock: only this test's calls count.
            services.Configure<HealthCheckPublisherOptions>(o => o.Delay = TimeSpan.FromDays(1));
        });
        await using HostingTestHost _ = host;
        await host.StartAsync();
        await host.Tables.NextApplyAsync();
        await host.PhaseAsync(HostedNatTablePhase.Applied);
        var check = host.Services.GetRequiredService<HealthCheckService>();
        var publisher = host.Services.GetServices<IHealthCheckPublisher>().Should().ContainSingle().Subject;

        foreach (IReadOnlyList<DoctorFinding> findings in new[] { Array.Empty<DoctorFinding>(), new[] { ForwardingOff }, new[] { ForwardingOff }, Array.Empty<DoctorFinding>() })
        {
            host.Doctor.Findings = findings;
            await publisher.PublishAsync(await check.CheckHealthAsync(), CancellationToken.None);
        }

        host.Log.Lines.Where(l => l.Category == "Netfilter.Net.Hosting.NetfilterHealthLog").Select(l => (l.Level, l.Message.Split(':')[1].Trim()))
            .Should().Equal((LogLevel.Information, "Healthy"), (LogLevel.Error, "Unhealthy"), (LogLevel.Information, "Healthy"));
    }
}
