using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Routing;
using Netfilter.Net.Sockets;

namespace Netfilter.Net.NativeTests.Routing;

/// <summary>
/// The library's TPROXY policy routing against ip(8): what it makes equals what the documented
/// ip commands make, it reads what ip made, and setup and teardown are idempotent.
/// </summary>
public sealed class TproxyRoutingNativeTests
{
    private static string Show(TestNamespace ns) => string.Join("\n--\n",
        ns.Ip("rule", "show"), ns.Ip("-6", "rule", "show"), ns.Ip("route", "show", "table", "100"), ns.Ip("-6", "route", "show", "table", "100"));

    [NativeFact]
    public async Task Ensure_makes_exactly_what_the_ip_commands_make_for_both_families()
    {
        using var library = new TestNamespace("lib");
        using var reference = new TestNamespace("ip");
        TproxyRoutingState state = await new TproxyRouting(mark: 1, table: 100).EnsureAsync(library.Namespace);
        reference.Ip("rule", "add", "fwmark", "1", "lookup", "100");
        reference.Ip("route", "add", "local", "0.0.0.0/0", "dev", "lo", "table", "100");
        reference.Ip("-6", "rule", "add", "fwmark", "1", "lookup", "100");
        reference.Ip("-6", "route", "add", "local", "::/0", "dev", "lo", "table", "100");

        Show(library).Should().Be(Show(reference));
        library.Ip("rule", "show").Should().Contain("32765:\tfrom all fwmark 0x1 lookup 100");
        library.Ip("route", "show", "table", "100").Trim().Should().Be("local default dev lo scope host");
        library.Ip("-6", "route", "show", "table", "100").Trim().Should().Be("local default dev lo metric 1024 pref medium");

        state.IsComplete.Should().BeTrue();
        state.Missing.Should().BeEmpty();
        state.Rules.Select(r => r.ToString()).Should().Equal("32765:\tfrom all fwmark 0x1 lookup 100", "32765:\tfrom all fwmark 0x1 lookup 100");
        state.Rules.Select(r => r.Family).Should().Equal(NetfilterFamily.IPv4, NetfilterFamily.IPv6);
        state.Routes.Should().HaveCount(2).And.OnlyContain(r => r.Type == RouteType.Local && r.Table == 100 && r.OutputInterfaceIndex == 1 && r.Destination.PrefixLength == 0);

        // The library reads what ip made as the same, complete state.
        TproxyRoutingState fromIp = await new TproxyRouting(1, 100).GetStateAsync(reference.Namespace);
        fromIp.IsComplete.Should().BeTrue();
        fromIp.Rules.Should().Equal(state.Rules);
        fromIp.Routes.Should().Equal(state.Routes);
    }

    [NativeFact]
    public async Task Where_IPv6_is_disabled_as_in_a_docker_container_Inet_means_IPv4_and_an_explicit_IPv6_request_fails()
    {
        // Docker without IPv6 starts every container with disable_ipv6 = 1; the kernel then
        // refuses 'ip -6 route add local ::/0 dev lo' ("IPv6 is disabled on nexthop device").
        using var ns = new TestNamespace("noip6");
        ns.Check("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        ns.Check("sysctl", "-qw", "net.ipv6.conf.lo.disable_ipv6=1");
        ns.Exec("ip", "-6", "route", "add", "local", "::/0", "dev", "lo", "table", "100").ExitCode.Should().NotBe(0, "ip agrees that IPv6 cannot be routed here");

        TproxyRoutingState state = await new TproxyRouting(mark: 1, table: 100).EnsureAsync(ns.Namespace);
        state.IsComplete.Should().BeTrue(string.Join("; ", state.Missing));
        state.Rules.Select(r => r.Family).Should().Equal(NetfilterFamily.IPv4);
        ns.Ip("route", "show", "table", "100").Trim().Should().Be("local default dev lo scope host");
        (await new TproxyRouting(1, 100).GetStateAsync(ns.Namespace)).IsComplete.Should().BeTrue();

        Func<Task> ipv6 = () => new TproxyRouting(mark: 1, table: 100, family: NetfilterFamily.IPv6).EnsureAsync(ns.Namespace);
        await ipv6.Should().ThrowAsync<NetlinkException>();

        await new TproxyRouting(1, 100).RemoveAsync(ns.Namespace);
        ns.Ip("rule", "show").Should().NotContain("fwmark");
        ns.Ip("route", "show", "table", "100").Trim().Should().BeEmpty();
    }

    [NativeFact]
    public async Task A_mask_a_priority_and_a_large_table_match_ip_too()
    {
        using var library = new TestNamespace("lib");
        using var reference = new TestNamespace("ip");
        await new TproxyRouting(mark: 0x10, table: 1000, mask: 0xf0, priority: 100, family: NetfilterFamily.IPv4).EnsureAsync(library.Namespace);
        reference.Ip("rule", "add", "fwmark", "0x10/0xf0", "lookup", "1000", "pref", "100");
        reference.Ip("route", "add", "local", "0.0.0.0/0", "dev", "lo", "table", "1000");
        library.Ip("rule", "show").Should().Be(reference.Ip("rule", "show")).And.Contain("100:\tfrom all fwmark 0x10/0xf0 lookup 1000");
        library.Ip("route", "show", "table", "1000").Should().Be(reference.Ip("route", "show", "table", "1000"));
        library.Ip("-6", "rule", "show").Should().NotContain("fwmark", "only IPv4 was asked for");
    }

    [NativeFact]
    public async Task Ensure_twice_adds_nothing_and_remove_clears_ips_duplicates_too()
    {
        using var ns = new TestNamespace("idem");
        var routing = new TproxyRouting(mark: 1, table: 100);
        await routing.EnsureAsync(ns.Namespace);
        string once = Show(ns);
        await routing.EnsureAsync(ns.Namespace);
        Show(ns).Should().Be(once, "a second Ensure changes nothing");

        // ip rule add is not idempotent: running it again leaves a second rule.
        ns.Ip("rule", "add", "fwmark", "1", "lookup", "100");
        TproxyRoutingState state = await routing.GetStateAsync(ns.Namespace);
        state.Rules.Should().HaveCount(3);

        await routing.RemoveAsync(ns.Namespace);
        ns.Ip("rule", "show").Should().NotContain("fwmark");
        ns.Ip("-6", "rule", "show").Should().NotContain("fwmark");
        ns.Ip("route", "show", "table", "all").Should().NotContain("table 100");
        ns.Ip("-6", "route", "show", "table", "all").Should().NotContain("table 100");
        (await routing.GetStateAsync(ns.Namespace)).Missing.Should().HaveCount(4);

        await routing.RemoveAsync(ns.Namespace);
    }

    [NativeFact]
    public async Task Remove_leaves_other_rules_and_routes_alone()
    {
        using var ns = new TestNamespace("keep");
        ns.Ip("rule", "add", "fwmark", "2", "lookup", "100");
        ns.Ip("route", "add", "blackhole", "192.0.2.0/24", "table", "100");
        var routing = new TproxyRouting(mark: 1, table: 100, family: NetfilterFamily.IPv4);
        await routing.EnsureAsync(ns.Namespace);
        await routing.RemoveAsync(ns.Namespace);
        ns.Ip("rule", "show").Should().Contain("fwmark 0x2 lookup 100").And.NotContain("fwmark 0x1 ");
        ns.Ip("route", "show", "table", "100").Trim().Should().Be("blackhole 192.0.2.0/24");
    }

    [NativeFact]
    public async Task A_table_whose_default_route_is_something_else_is_refused_not_overwritten()
    {
        using var ns = new TestNamespace("conflict");
        ns.Ip("route", "add", "unreachable", "default", "table", "100");
        Func<Task> ensure = () => new TproxyRouting(1, 100, family: NetfilterFamily.IPv4).EnsureAsync(ns.Namespace);
        (await ensure.Should().ThrowAsync<NetlinkException>()).Which.Should().Match<NetlinkException>(e =>
            e.Errno == Errno.EEXIST && e.Message.Contains("table 100 already routes the default prefix another way") && e.Message.Contains("unreachable default"));
        ns.Ip("route", "show", "table", "100").Trim().Should().Be("unreachable default");
        ns.Ip("rule", "show").Should().NotContain("fwmark", "nothing was added");
    }

    [NativeFact]
    public async Task Adding_without_CAP_NET_ADMIN_is_EPERM_naming_the_capability()
    {
        using var ns = new TestNamespace("eperm");
        string self = typeof(Program).Assembly.Location;
        Tool.Result result = ns.Exec("setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin", "dotnet", self, "child", "tproxy-routing", "1", "100");
        result.ExitCode.Should().Be(1, result.StandardError + result.StandardOutput);
        result.StandardError.Should().Contain("NetlinkException: EPERM").And.Contain("needs CAP_NET_ADMIN");
        ns.Ip("rule", "show").Should().NotContain("fwmark");
        await Task.CompletedTask;
    }
}
