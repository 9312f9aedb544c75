using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Hosting;
using Netfilter.Net.Nat;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Tests.Hosting;

/// <summary>What AddNetfilter, AddNatTable and AddNetfilterHealthChecks put in a container.</summary>
public sealed class RegistrationTests
{
    private static ServiceDescriptor Single<T>(IServiceCollection services) => services.Should().ContainSingle(d => d.ServiceType == typeof(T)).Subject;

    [Fact]
    public void AddNetfilter_registers_the_real_kernel_behind_each_interface()
    {
        var services = new ServiceCollection();
        services.AddNetfilter();
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<INatTableFactory>().Should().BeOfType<NatTableFactory>();
        provider.GetRequiredService<IDoctor>().Should().BeOfType<Doctor>();
        provider.GetRequiredService<INetfilterClientFactory>().Should().BeOfType<NetfilterClientFactory>();
        provider.GetRequiredService<ISysctlClient>().Should().BeOfType<SysctlClient>().Which.Namespace.IsCurrent.Should().BeTrue();
        Single<IConntrackClient>(services).Lifetime.Should().Be(ServiceLifetime.Singleton, "one conntrack client (socket) for the service's namespace, opened on first use");
        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public void A_double_registered_before_or_after_AddNetfilter_replaces_the_kernel()
    {
        var before = new TableFactoryDouble();
        var after = new DoctorDouble();
        var services = new ServiceCollection();
        services.AddSingleton<INatTableFactory>(before);
        services.AddNetfilter();
        services.AddSingleton<IDoctor>(after);
        using ServiceProvider provider = services.BuildServiceProvider();

        provider.GetRequiredService<INatTableFactory>().Should().BeSameAs(before);
        provider.GetRequiredService<IDoctor>().Should().BeSameAs(after);
        Single<INatTableFactory>(services);
    }

    [Fact]
    public void AddNetfilter_twice_registers_once_and_keeps_both_configurations()
    {
        var services = new ServiceCollection();
        services.AddNetfilter(o => o.WatchConntrackEvents = true);
        services.AddNetfilter(o => o.ConntrackSampleInterval = TimeSpan.FromSeconds(3));
        using ServiceProvider provider = services.BuildServiceProvider();

        Single<INatTableFactory>(services);
        services.Count(d => d.ServiceType == typeof(IHostedService)).Should().Be(1, "the conntrack event watcher");
        NetfilterHostingOptions options = provider.GetRequiredService<IOptions<NetfilterHostingOptions>>().Value;
        options.WatchConntrackEvents.Should().BeTrue();
        options.ConntrackSampleInterval.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void AddNatTable_adds_one_reconciler_per_name_and_refuses_a_name_twice()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["T:a:Rules:0"] = "redirect tcp 80 to 8080",
            ["T:b:Rules:0"] = "redirect tcp 81 to 8081",
            ["T:b:Table"] = "bee",
        }).Build();
        var services = new ServiceCollection();
        services.AddNatTable("a", configuration.GetSection("T:a"));
        services.AddNatTable("b", configuration.GetSection("T:b"));

        Action again = () => services.AddNatTable("a", o => o.Rules.Add("redirect tcp 82 to 8082"));

        again.Should().Throw<InvalidOperationException>().WithMessage("a NAT table is already registered as 'a': each AddNatTable needs its own name");
        using ServiceProvider provider = services.BuildServiceProvider();
        provider.GetServices<IHostedService>().OfType<NatTableReconciler>().Select(r => r.Name).Should().Equal("a", "b");
        IOptionsMonitor<HostedNatTableOptions> options = provider.GetRequiredService<IOptionsMonitor<HostedNatTableOptions>>();
        options.Get("a").Table.Should().Be("a", "the registration name is the table's unless the section says otherwise");
        options.Get("b").Table.Should().Be("bee");
        options.Get("b").Rules.Should().Equal("redirect tcp 81 to 8081");
    }

    [Fact]
    public void AddNetfilterHealthChecks_registers_the_check_by_name_with_its_tags()
    {
        var services = new ServiceCollection();
        services.AddNetfilterHealthChecks(tags: new[] { "ready" });
        using ServiceProvider provider = services.BuildServiceProvider();

        HealthCheckRegistration registration = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Should().ContainSingle().Subject;
        registration.Name.Should().Be("netfilter");
        registration.Tags.Should().Equal("ready");
        registration.Factory(provider).Should().BeOfType<NetfilterHealthCheck>();
        Single<INatTableFactory>(services);
    }
}
