using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Netfilter.Net.Hosting;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Tests.Hosting;

/// <summary>The options of a hosted table: hand-written binding, and the checks made at start and on every change.</summary>
public sealed class OptionsValidationTests
{
    private static HostedNatTableOptions Bind(IDictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new HostedNatTableOptions { Table = "portfwd" };
        HostedNatTableOptionsBinder.Bind(configuration.GetSection(HostingTestHost.Section), options);
        return options;
    }

    [Fact]
    public void Every_setting_is_read_from_configuration()
    {
        HostedNatTableOptions options = Bind(HostingTestHost.Settings(new[] { "dnat tcp 2222 to 10.0.2.2:22 masquerade", "redirect tcp 80 to 8080 local" },
            ("Table", "fwd"), ("Namespace", "router"), ("Lifetime", "ownedbyprocess"), ("RemoveOnShutdown", "true"), ("EnableForwarding", "True"),
            ("HealthCheck", "false"), ("ReconcileInterval", "00:05:00"), ("Retry:InitialDelay", "00:00:02"), ("Retry:MaxDelay", "00:00:30"), ("Retry:MaxAttempts", "3")));

        options.BindingErrors.Should().BeEmpty();
        options.Table.Should().Be("fwd");
        options.Namespace.Should().Be("router");
        options.Lifetime.Should().Be(NatTableLifetime.OwnedByProcess);
        options.Rules.Should().Equal("dnat tcp 2222 to 10.0.2.2:22 masquerade", "redirect tcp 80 to 8080 local");
        options.RemoveOnShutdown.Should().BeTrue();
        options.EnableForwarding.Should().BeTrue();
        options.HealthCheck.Should().BeFalse();
        options.ReconcileInterval.Should().Be(TimeSpan.FromMinutes(5));
        options.Retry.InitialDelay.Should().Be(TimeSpan.FromSeconds(2));
        options.Retry.MaxDelay.Should().Be(TimeSpan.FromSeconds(30));
        options.Retry.MaxAttempts.Should().Be(3);
        HostedNatTableOptionsValidator.Check(options).Should().BeEmpty();
    }

    [Fact]
    public void Defaults_hold_where_the_section_is_silent()
    {
        HostedNatTableOptions options = Bind(HostingTestHost.Settings(new[] { "redirect tcp 80 to 8080" }));

        options.Table.Should().Be("portfwd");
        options.Namespace.Should().BeNull();
        options.Lifetime.Should().Be(NatTableLifetime.Persistent);
        options.RemoveOnShutdown.Should().BeFalse();
        options.EnableForwarding.Should().BeFalse();
        options.HealthCheck.Should().BeTrue();
        options.ReconcileInterval.Should().BeNull();
        options.Retry.MaxAttempts.Should().Be(8);
    }

    [Fact]
    public void Each_bad_rule_line_is_reported_with_its_index_and_the_parsers_reason()
    {
        HostedNatTableOptions options = Bind(HostingTestHost.Settings(new[]
        {
            "dnat tcp 2222 to 10.0.2.2:22",
            "dnat tcp 99999 to 10.0.2.2:24",
            "forward tcp 80 to 10.0.2.2",
            "redirect tcp 80 to 8080",
        }));

        List<string> failures = HostedNatTableOptionsValidator.Check(options);

        failures.Should().HaveCount(2);
        NatRuleParser.TryParse("dnat tcp 99999 to 10.0.2.2:24", out _, out string? portError).Should().BeFalse();
        failures[0].Should().Be($"Rules[1] 'dnat tcp 99999 to 10.0.2.2:24' is not a NAT rule: {portError}");
        failures[1].Should().StartWith("Rules[2] 'forward tcp 80 to 10.0.2.2' is not a NAT rule: unknown kind 'forward'");
    }

    [Fact]
    public void Rules_that_ApplyAsync_would_refuse_together_are_reported_by_both_indexes()
    {
        HostedNatTableOptions options = Bind(HostingTestHost.Settings(new[]
        {
            "dnat tcp 2222 to 10.0.2.2:22",
            "redirect tcp 80 to 8080",
            "dnat tcp 2222 to 10.0.2.9:22",
            "dnat tcp 2222 to 10.0.2.2:22",
        }));

        List<string> failures = HostedNatTableOptionsValidator.Check(options);

        failures.Should().ContainSingle().Which.Should().Be(
            "Rules[0] 'dnat tcp 2222 to 10.0.2.2:22' and Rules[2] 'dnat tcp 2222 to 10.0.2.9:22' cannot share a table: "
            + $"{NatRuleConflicts.Between(NatRuleParser.Parse("dnat tcp 2222 to 10.0.2.2:22"), NatRuleParser.Parse("dnat tcp 2222 to 10.0.2.9:22"))}. Keep one",
            "the repeated line 3 is the same rule as line 0, which ApplyAsync keeps once");
    }

    [Fact]
    public void Unknown_keys_values_of_the_wrong_type_and_impossible_settings_are_each_reported()
    {
        HostedNatTableOptions options = Bind(HostingTestHost.Settings(new[] { "redirect tcp 80 to 8080" },
            ("Rule", "redirect tcp 81 to 8081"), ("Lifetime", "Forever"), ("RemoveOnShutdown", "yes"), ("ReconcileInterval", "soon"),
            ("Retry:MaxAttempts", "0"), ("Retry:InitialDelay", "00:01:00"), ("Retry:MaxDelay", "00:00:10"), ("Retry:Jitter", "0.5"),
            ("Table", "port fwd"), ("Namespace", "../router")));

        List<string> failures = HostedNatTableOptionsValidator.Check(options);

        failures.Should().BeEquivalentTo(new[]
        {
            $"'{HostingTestHost.Section}:Lifetime' must be Persistent or OwnedByProcess, not 'Forever'",
            $"'{HostingTestHost.Section}:ReconcileInterval' must be a duration such as \"00:00:30\", not 'soon'",
            $"'{HostingTestHost.Section}:RemoveOnShutdown' must be true or false, not 'yes'",
            $"'{HostingTestHost.Section}:Retry:Jitter' is not a retry setting (the settings are InitialDelay, MaxDelay, MaxAttempts)",
            $"'{HostingTestHost.Section}:Rule' is not a setting of a hosted NAT table (the settings are Table, Namespace, Lifetime, Rules, RemoveOnShutdown, EnableForwarding, HealthCheck, ReconcileInterval, Retry)",
            "Table must be 1 to 64 letters, digits, '_' or '-', not 'port fwd'",
            "Namespace must be a name as 'ip netns list' shows it (no '/'), not '../router'",
            "Retry.MaxDelay (00:00:10) must be at least Retry.InitialDelay (00:01:00)",
            "Retry.MaxAttempts must be at least 1, not 0",
        });
    }

    [Fact]
    public void A_missing_section_is_refused_rather_than_read_as_no_rules()
    {
        // What a configuration file that failed to parse on reload looks like: its data is gone.
        HostedNatTableOptions options = Bind(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" });

        HostedNatTableOptionsValidator.Check(options).Should().Equal($"the configuration section '{HostingTestHost.Section}' is missing or empty");
    }

    [Fact]
    public void A_single_value_or_an_object_where_rule_lines_belong_is_refused()
    {
        HostedNatTableOptions single = Bind(new Dictionary<string, string?> { [$"{HostingTestHost.Section}:Rules"] = "redirect tcp 80 to 8080" });
        HostedNatTableOptions objects = Bind(new Dictionary<string, string?> { [$"{HostingTestHost.Section}:Rules:0:Port"] = "80" });

        HostedNatTableOptionsValidator.Check(single).Should().Equal(
            $"'{HostingTestHost.Section}:Rules' must be a list of rule lines, not the single value 'redirect tcp 80 to 8080' (write [ \"redirect tcp 80 to 8080\" ])");
        HostedNatTableOptionsValidator.Check(objects).Should().Equal(
            $"'{HostingTestHost.Section}:Rules:0' must be a rule line such as \"dnat tcp 2222 to 192.168.1.10:22\", not an object");
    }

    [Fact]
    public async Task The_host_does_not_start_with_a_bad_rule_and_nothing_is_opened_or_applied()
    {
        await using var host = HostingTestHost.Create(HostingTestHost.Settings(new[] { "dnat tcp 2222 to 10.0.2.2:22", "dnat tcp 2222 to nowhere" }));

        Func<Task> start = host.StartAsync;

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Failures.Should().ContainSingle().Which.Should().StartWith("NAT table 'portfwd': Rules[1] 'dnat tcp 2222 to nowhere' is not a NAT rule: ");
        host.Tables.Opened.Should().BeEmpty();
        host.Tables.HasPendingApply.Should().BeFalse();
    }

    [Fact]
    public void Options_set_in_code_are_validated_through_the_same_validator()
    {
        var services = new ServiceCollection();
        services.AddNatTable("web", o => o.Rules = new List<string> { "redirect tcp 80 to 8080", "redirect tcp 80 to 8081" });
        using ServiceProvider provider = services.BuildServiceProvider();

        Action get = () => provider.GetRequiredService<IOptionsMonitor<HostedNatTableOptions>>().Get("web");

        get.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle()
            .Which.Should().StartWith("NAT table 'web': Rules[0] 'redirect tcp 80 to 8080' and Rules[1] 'redirect tcp 80 to 8081' cannot share a table: ");
    }

    [Fact]
    public void The_sample_services_appsettings_json_binds_and_validates_as_it_is_shipped()
    {
        string root = AppContext.BaseDirectory;
        var directory = new System.IO.DirectoryInfo(root);
        while (directory is not null && !System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "Netfilter.Net.sln")))
        {
            directory = directory.Parent;
        }
        directory.Should().NotBeNull("the tests run inside the repository");
        IConfiguration configuration = new ConfigurationBuilder()
            .AddJsonFile(System.IO.Path.Combine(directory!.FullName, "samples", "PortForwarderService", "appsettings.json"), optional: false, reloadOnChange: false)
            .Build();
        var options = new HostedNatTableOptions { Table = "portfwd" };

        HostedNatTableOptionsBinder.Bind(configuration.GetSection(HostingTestHost.Section), options);

        options.BindingErrors.Should().BeEmpty();
        HostedNatTableOptionsValidator.Check(options).Should().BeEmpty();
        options.Rules.Should().HaveCount(3);
        HostedNatTableOptionsValidator.Rules(options).Select(r => r.ToString()).Should().Equal(options.Rules, "the sample's lines are canonical: what nfnet list prints back");
    }
}
