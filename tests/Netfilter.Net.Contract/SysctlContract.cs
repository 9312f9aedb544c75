using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Contract;

/// <summary>
/// Sysctls, against the fake and the kernel alike: a new namespace's values, how forwarding
/// keys set one another, how values are read, and the refusals (a key outside net., a missing
/// key, a read-only key, a value the kernel rejects).
/// </summary>
public abstract class SysctlContract
{
    protected abstract ContractKernel CreateKernel();

    private static SysctlKey Key(string name) => SysctlKey.Parse(name);

    [ContractFact]
    public void A_new_namespace_forwards_nothing()
    {
        using ContractKernel kernel = CreateKernel();

        foreach (string key in new[] { "net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding", "net.ipv4.conf.default.forwarding", "net.ipv4.conf.lo.forwarding",
                     "net.ipv6.conf.all.forwarding", "net.ipv6.conf.lo.forwarding", "net.ipv4.conf.all.route_localnet", "net.ipv4.conf.lo.route_localnet",
                     "net.netfilter.nf_conntrack_acct", "net.netfilter.nf_conntrack_timestamp" })
        {
            kernel.Sysctl.Read(Key(key)).Should().Be("0", key);
        }
        kernel.Sysctl.GetForwardingStatus().Should().Be(new ForwardingStatus(false, false));
        kernel.Sysctl.Read(SysctlKey.ConntrackCount).Should().Be("0");
    }

    [ContractFact]
    public void Writing_ip_forward_sets_all_default_and_every_interface()
    {
        using ContractKernel kernel = CreateKernel();
        kernel.AddInterface("lan0", "10.0.2.1/24");

        kernel.Sysctl.Write(SysctlKey.IPv4Forward, "1");

        foreach (string key in new[] { "net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding", "net.ipv4.conf.default.forwarding", "net.ipv4.conf.lo.forwarding", "net.ipv4.conf.lan0.forwarding" })
        {
            kernel.Sysctl.Read(Key(key)).Should().Be("1", key);
        }
        kernel.Sysctl.Read(Key("net.ipv6.conf.all.forwarding")).Should().Be("0");
        kernel.Sysctl.Write(Key("net.ipv4.conf.all.forwarding"), "0");
        kernel.Sysctl.Read(SysctlKey.IPv4Forward).Should().Be("0");
        kernel.Sysctl.Read(Key("net.ipv4.conf.lan0.forwarding")).Should().Be("0");
    }

    [ContractFact]
    public void Writing_default_or_one_interface_changes_only_that_key_and_new_interfaces_start_from_default()
    {
        using ContractKernel kernel = CreateKernel();

        kernel.Sysctl.Write(Key("net.ipv4.conf.default.forwarding"), "1");
        kernel.Sysctl.Write(Key("net.ipv4.conf.default.route_localnet"), "1");
        kernel.Sysctl.Write(Key("net.ipv4.conf.lo.forwarding"), "1");

        kernel.Sysctl.Read(SysctlKey.IPv4Forward).Should().Be("0");
        kernel.AddInterface("lan0", "10.0.2.1/24");
        kernel.Sysctl.Read(Key("net.ipv4.conf.lan0.forwarding")).Should().Be("1");
        kernel.Sysctl.Read(Key("net.ipv4.conf.lan0.route_localnet")).Should().Be("1");
        kernel.Sysctl.GetForwardingStatus("lan0").Should().Be(new ForwardingStatus(true, false));
        kernel.Sysctl.GetForwardingStatus().Should().Be(new ForwardingStatus(false, false));
    }

    [ContractFact]
    public void IPv6_forwarding_of_all_sets_default_and_every_interface()
    {
        using ContractKernel kernel = CreateKernel();

        kernel.Sysctl.Write(SysctlKey.IPv6Forwarding(SysctlKey.AllInterfaces), "1");

        kernel.Sysctl.Read(SysctlKey.IPv6Forwarding(SysctlKey.DefaultInterface)).Should().Be("1");
        kernel.Sysctl.Read(SysctlKey.IPv6Forwarding("lo")).Should().Be("1");
        kernel.Sysctl.Read(SysctlKey.IPv4Forward).Should().Be("0");
    }

    [ContractFact]
    public void Forwarding_is_turned_on_and_off_per_family_and_per_interface()
    {
        using ContractKernel kernel = CreateKernel();
        kernel.AddInterface("lan0", "10.0.2.1/24");

        kernel.Sysctl.EnableForwarding(NetfilterFamily.Inet);
        kernel.Sysctl.GetForwardingStatus().Should().Be(new ForwardingStatus(true, true));
        kernel.Sysctl.DisableForwarding(NetfilterFamily.IPv4);
        kernel.Sysctl.GetForwardingStatus().Should().Be(new ForwardingStatus(false, true));
        kernel.Sysctl.EnableForwarding(NetfilterFamily.IPv4, "lan0");
        kernel.Sysctl.GetForwardingStatus("lan0").Should().Be(new ForwardingStatus(true, true), "IPv6 forwarding of all reached lan0 when it was turned on");
        kernel.Sysctl.GetForwardingStatus().IPv4.Should().BeFalse();

        FluentActions.Invoking(() => kernel.Sysctl.EnableForwarding(NetfilterFamily.Unspecified)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("family");
        SysctlException e = FluentActions.Invoking(() => kernel.Sysctl.EnableForwarding(NetfilterFamily.IPv4, "nosuch0")).Should().Throw<SysctlException>().Which;
        e.Kind.Should().Be(SysctlErrorKind.NotFound);
        kernel.Normalize(e.Message).Should().Be("write sysctl net.ipv4.conf.nosuch0.forwarding = '1' in NS failed: ENOENT (no such file or object); there is no sysctl net.ipv4.conf.nosuch0.forwarding (/proc/sys/net/ipv4/conf/nosuch0/forwarding) in NS: is there an interface named 'nosuch0' in NS?");
    }

    [ContractFact]
    public void Values_are_integers_as_the_kernel_reads_them()
    {
        using ContractKernel kernel = CreateKernel();
        SysctlKey key = SysctlKey.RouteLocalnet(SysctlKey.AllInterfaces);

        kernel.Sysctl.Write(key, " 1 ");
        kernel.Sysctl.Read(key).Should().Be("1");
        kernel.Sysctl.Write(key, "5");
        kernel.Sysctl.Read(key).Should().Be("5");

        SysctlException e = FluentActions.Invoking(() => kernel.Sysctl.Write(key, "on")).Should().Throw<SysctlException>().Which;
        e.Kind.Should().Be(SysctlErrorKind.InvalidValue);
        e.Errno.Should().Be(Errno.EINVAL);
        e.Value.Should().Be("on");
        kernel.Normalize(e.Message).Should().Be("write sysctl net.ipv4.conf.all.route_localnet = 'on' in NS failed: EINVAL (invalid argument); the kernel rejected the value 'on' for net.ipv4.conf.all.route_localnet: it is malformed or out of the key's range");
        kernel.Sysctl.Read(key).Should().Be("5");
        FluentActions.Invoking(() => kernel.Sysctl.Write(key, "1\n2")).Should().Throw<ArgumentException>().WithParameterName("value");
    }

    [ContractFact]
    public void Keys_outside_net_are_refused_before_anything_is_read_or_written()
    {
        using ContractKernel kernel = CreateKernel();
        SysctlKey global = Key("kernel.core_pattern");

        ArgumentException e = FluentActions.Invoking(() => kernel.Sysctl.Read(global)).Should().Throw<ArgumentException>().WithParameterName("key").Which;
        kernel.Normalize(e.Message).Should().StartWith("kernel.core_pattern is not a network-namespace sysctl: only keys under net. belong to a network namespace, and kernel.core_pattern is shared by the whole host, so reading or writing it through a client for NS would reach the host.");
        FluentActions.Invoking(() => kernel.Sysctl.Write(global, "core")).Should().Throw<ArgumentException>().WithParameterName("key");
        FluentActions.Invoking(() => kernel.Sysctl.Exists(global)).Should().Throw<ArgumentException>().WithParameterName("key");
        FluentActions.Invoking(() => kernel.Sysctl.ReadMany(new[] { SysctlKey.IPv4Forward, global })).Should().Throw<ArgumentException>().WithParameterName("key");
    }

    [ContractFact]
    public void A_missing_key_is_absent_for_try_read_exists_and_read_many_and_NotFound_for_read()
    {
        using ContractKernel kernel = CreateKernel();
        SysctlKey missing = SysctlKey.IPv4Forwarding("nosuch0");

        kernel.Sysctl.TryRead(missing, out string value).Should().BeFalse();
        value.Should().BeEmpty();
        kernel.Sysctl.Exists(missing).Should().BeFalse();
        kernel.Sysctl.Exists(SysctlKey.IPv4Forward).Should().BeTrue();
        kernel.Sysctl.ReadMany(new[] { SysctlKey.IPv4Forward, missing }).Should().Equal("0", null);
        SysctlException e = FluentActions.Invoking(() => kernel.Sysctl.Read(missing)).Should().Throw<SysctlException>().Which;
        e.Kind.Should().Be(SysctlErrorKind.NotFound);
        e.Key.Should().Be(missing);
        kernel.Normalize(e.Message).Should().Be("read sysctl net.ipv4.conf.nosuch0.forwarding in NS failed: ENOENT (no such file or object); there is no sysctl net.ipv4.conf.nosuch0.forwarding (/proc/sys/net/ipv4/conf/nosuch0/forwarding) in NS: is there an interface named 'nosuch0' in NS?");
    }

    [ContractFact]
    public void The_conntrack_limit_is_read_only_outside_the_initial_namespace()
    {
        using ContractKernel kernel = CreateKernel();
        string max = kernel.Sysctl.Read(SysctlKey.ConntrackMax);

        SysctlException e = FluentActions.Invoking(() => kernel.Sysctl.Write(SysctlKey.ConntrackMax, "1000")).Should().Throw<SysctlException>().Which;

        e.Kind.Should().Be(SysctlErrorKind.ReadOnlyKey);
        kernel.Normalize(e.Message).Should().Be("write sysctl net.netfilter.nf_conntrack_max = '1000' in NS failed: EACCES (permission denied); net.netfilter.nf_conntrack_max is read-only in NS (mode 444): the conntrack table size can only be changed in the initial network namespace");
        kernel.Sysctl.Read(SysctlKey.ConntrackMax).Should().Be(max);
        FluentActions.Invoking(() => kernel.Sysctl.Write(SysctlKey.ConntrackCount, "1")).Should().Throw<SysctlException>().Which.Kind.Should().Be(SysctlErrorKind.ReadOnlyKey);
    }

    [ContractFact]
    public void Several_keys_are_written_in_order_and_the_first_failure_stops_the_rest()
    {
        using ContractKernel kernel = CreateKernel();

        FluentActions.Invoking(() => kernel.Sysctl.WriteMany(new[]
        {
            (SysctlKey.IPv4Forward, "1"),
            (SysctlKey.IPv4Forwarding("nosuch0"), "1"),
            (SysctlKey.IPv6Forwarding(SysctlKey.AllInterfaces), "1"),
        })).Should().Throw<SysctlException>().Which.Kind.Should().Be(SysctlErrorKind.NotFound);

        kernel.Sysctl.GetForwardingStatus().Should().Be(new ForwardingStatus(true, false));
    }
}
