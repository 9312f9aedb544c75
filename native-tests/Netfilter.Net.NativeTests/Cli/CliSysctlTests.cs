using System.Text.Json;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Cli;

/// <summary>nfnet forwarding and sysctl in a namespace, checked against sysctl(8) run in the same namespace.</summary>
public sealed class CliSysctlTests
{
    [NativeFact]
    public void Forwarding_status_on_off_per_family()
    {
        using var ns = new TestNamespace();
        JsonElement status = Nfnet.Json(Nfnet.In(ns, "forwarding", "status", "--json"));
        status.GetProperty("namespace").GetString().Should().Be(ns.Name);
        status.GetProperty("ipv4").GetBoolean().Should().BeFalse("a new namespace does not forward");
        status.GetProperty("ipv6").GetBoolean().Should().BeFalse();

        Tool.Result on = Nfnet.In(ns, "forwarding", "on");
        on.ExitCode.Should().Be(0, on.StandardError);
        on.StandardOutput.Should().Be($"ipv4 forwarding is on in namespace {ns.Name}\n");
        ns.Check("sysctl", "-n", "net.ipv4.ip_forward").Trim().Should().Be("1");
        ns.Check("sysctl", "-n", "net.ipv6.conf.all.forwarding").Trim().Should().Be("0", "--ipv6 was not given");

        Nfnet.In(ns, "forwarding", "on", "--ipv6").ExitCode.Should().Be(0);
        ns.Check("sysctl", "-n", "net.ipv6.conf.all.forwarding").Trim().Should().Be("1");
        Nfnet.In(ns, "forwarding", "status").StandardOutput.Should().Be("ipv4 forwarding: on (net.ipv4.ip_forward)\nipv6 forwarding: on (net.ipv6.conf.all.forwarding)\n");
        JsonElement six = Nfnet.Json(Nfnet.In(ns, "forwarding", "status", "--ipv6", "--json"));
        six.TryGetProperty("ipv4", out _).Should().BeFalse("--ipv6 shows IPv6 only");
        six.GetProperty("ipv6").GetBoolean().Should().BeTrue();

        Nfnet.In(ns, "forwarding", "off").ExitCode.Should().Be(0);
        ns.Check("sysctl", "-n", "net.ipv4.ip_forward").Trim().Should().Be("0");
    }

    [NativeFact]
    public void Sysctl_get_and_set_any_key()
    {
        using var ns = new TestNamespace();
        Tool.Result set = Nfnet.In(ns, "sysctl", "set", "net.ipv4.conf.all.route_localnet", "1");
        set.ExitCode.Should().Be(0, set.StandardError);
        set.StandardOutput.Should().Be("net.ipv4.conf.all.route_localnet = 1\n");
        ns.Check("sysctl", "-n", "net.ipv4.conf.all.route_localnet").Trim().Should().Be("1");

        Nfnet.In(ns, "sysctl", "get", "net/ipv4/conf/all/route_localnet").StandardOutput.Should().Be("net.ipv4.conf.all.route_localnet = 1\n");
        JsonElement json = Nfnet.Json(Nfnet.In(ns, "sysctl", "get", "net.ipv4.ip_local_port_range", "--json"));
        json.GetProperty("key").GetString().Should().Be("net.ipv4.ip_local_port_range");
        json.GetProperty("value").GetString().Should().Be(ns.Check("sysctl", "-n", "net.ipv4.ip_local_port_range").Trim());
        json.GetProperty("namespace").GetString().Should().Be(ns.Name);

        Nfnet.In(ns, "sysctl", "get", "net.ipv4.conf.nosuchif.forwarding").ShouldFail(1)[0].Should().Contain("is there an interface named 'nosuchif'");
        Nfnet.In(ns, "sysctl", "set", "net.ipv4.ip_forward", "banana").ShouldFail(1)[0].Should().Contain("rejected the value 'banana'");
    }
}
