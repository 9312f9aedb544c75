using System.IO;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Sysctl;

/// <summary>
/// Sysctls inside throwaway namespaces, checked against sysctl(8) run in the same namespace.
/// The root namespace is only ever read, before and after, to show it did not change.
/// </summary>
public sealed class SysctlNativeTests
{
    private static string SysctlIn(TestNamespace ns, string key) => ns.Check("sysctl", "-n", key).Trim();

    private static string RootValues() =>
        string.Join(",", new[] { "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding", "net.ipv4.conf.lo.route_localnet" }
            .Select(k => Tool.Check("sysctl", "-n", k).Trim()));

    [NativeFact]
    public void Read_and_write_in_a_namespace_agree_with_sysctl_there_and_the_root_namespace_is_unchanged()
    {
        string rootBefore = RootValues();
        using (var ns = new TestNamespace("sysctl"))
        {
            var sysctl = new SysctlClient(ns.Namespace);
            sysctl.Read(SysctlKey.IPv4Forward).Should().Be(SysctlIn(ns, "net.ipv4.ip_forward")).And.Be("0", "a new namespace does not forward");

            sysctl.Write(SysctlKey.IPv4Forward, 1);
            SysctlIn(ns, "net.ipv4.ip_forward").Should().Be("1");
            sysctl.Read("net/ipv4/ip_forward").Should().Be("1");
            // The kernel propagates ip_forward to conf.all (devinet_sysctl_forward).
            SysctlIn(ns, "net.ipv4.conf.all.forwarding").Should().Be("1");

            // A multi-value key keeps its tab, exactly as sysctl -n prints it.
            sysctl.Write("net.ipv4.ip_local_port_range", "20000\t20999");
            sysctl.Read("net.ipv4.ip_local_port_range").Should().Be(SysctlIn(ns, "net.ipv4.ip_local_port_range")).And.Be("20000\t20999");

            RouteLocalnet.Enable("lo", ns.Namespace);
            SysctlIn(ns, "net.ipv4.conf.lo.route_localnet").Should().Be("1");
            RouteLocalnet.IsEnabled("lo", ns.Namespace).Should().BeTrue();
            RouteLocalnet.IsEnabled(SysctlKey.AllInterfaces, ns.Namespace).Should().BeFalse();
            RouteLocalnet.Disable("lo", ns.Namespace);
            SysctlIn(ns, "net.ipv4.conf.lo.route_localnet").Should().Be("0");
        }
        RootValues().Should().Be(rootBefore, "nothing was written outside the test namespace");
    }

    [NativeFact]
    public void Forwarding_status_and_enable_match_sysctl_for_the_namespace_and_per_interface_on_a_veth()
    {
        string rootBefore = RootValues();
        using (var ns = new TestNamespace("fwd"))
        {
            // A dot in the name exercises sysctl's '/'-for-'.' spelling: net.ipv4.conf.v/1.forwarding.
            ns.Ip("link", "add", "v.1", "type", "veth", "peer", "name", "peer1");
            Forwarding.GetStatus(ns.Namespace).Should().Be(new ForwardingStatus(false, false));
            Forwarding.GetStatus("v.1", ns.Namespace).Should().Be(new ForwardingStatus(false, false));

            Forwarding.Enable(NetfilterFamily.IPv4, "v.1", ns.Namespace);
            SysctlIn(ns, "net.ipv4.conf.v/1.forwarding").Should().Be("1");
            SysctlIn(ns, "net.ipv4.conf.peer1.forwarding").Should().Be("0");
            SysctlIn(ns, "net.ipv4.ip_forward").Should().Be("0", "per-interface enabling leaves the switch alone");
            SysctlIn(ns, "net.ipv6.conf.v/1.forwarding").Should().Be("0");
            Forwarding.GetStatus("v.1", ns.Namespace).Should().Be(new ForwardingStatus(true, false));

            Forwarding.Enable(NetfilterFamily.IPv6, "v.1", ns.Namespace);
            SysctlIn(ns, "net.ipv6.conf.v/1.forwarding").Should().Be("1");
            SysctlIn(ns, "net.ipv6.conf.peer1.forwarding").Should().Be("0");
            Forwarding.GetStatus("v.1", ns.Namespace).Should().Be(new ForwardingStatus(true, true));
            Forwarding.GetStatus(ns.Namespace).Should().Be(new ForwardingStatus(false, false));

            Forwarding.Enable(NetfilterFamily.Inet, ns.Namespace);
            SysctlIn(ns, "net.ipv4.ip_forward").Should().Be("1");
            SysctlIn(ns, "net.ipv6.conf.all.forwarding").Should().Be("1");
            SysctlIn(ns, "net.ipv4.conf.peer1.forwarding").Should().Be("1", "the namespace switch sets every interface");
            Forwarding.GetStatus(ns.Namespace).Should().Be(new ForwardingStatus(true, true));

            Forwarding.Disable(NetfilterFamily.IPv4, "peer1", ns.Namespace);
            SysctlIn(ns, "net.ipv4.conf.peer1.forwarding").Should().Be("0");
            Forwarding.Disable(NetfilterFamily.Inet, ns.Namespace);
            Forwarding.GetStatus(ns.Namespace).Should().Be(new ForwardingStatus(false, false));
            SysctlIn(ns, "net.ipv4.ip_forward").Should().Be("0");
        }
        RootValues().Should().Be(rootBefore);
    }

    [NativeFact]
    public void Unknown_keys_and_interfaces_are_SysctlException_ENOENT_naming_them()
    {
        using var ns = new TestNamespace("sysctl");
        var sysctl = new SysctlClient(ns.Namespace);
        ns.Exec("sysctl", "-n", "net.ipv4.no_such_key").ExitCode.Should().NotBe(0, "sysctl agrees that the key does not exist");

        Action read = () => sysctl.Read("net.ipv4.no_such_key");
        read.Should().Throw<SysctlException>().Where(e => e.Errno == Errno.ENOENT && e.Key.Name == "net.ipv4.no_such_key"
            && e.Message.Contains("there is no sysctl net.ipv4.no_such_key") && e.Message.Contains(ns.Name));

        Action enable = () => Forwarding.Enable(NetfilterFamily.IPv4, "nosuch0", ns.Namespace);
        enable.Should().Throw<SysctlException>().Where(e => e.Errno == Errno.ENOENT && e.Message.Contains("interface named 'nosuch0'"));

        sysctl.TryRead(SysctlKey.Parse("net.ipv4.no_such_key"), out _).Should().BeFalse();
        sysctl.Exists(SysctlKey.IPv4Forwarding("lo")).Should().BeTrue();
        sysctl.Exists(SysctlKey.IPv4Forwarding("nosuch0")).Should().BeFalse();

        Action malformed = () => sysctl.Read("net..ipv4");
        malformed.Should().Throw<ArgumentException>().Where(e => e.ParamName == "key");
    }

    [NativeFact]
    public void A_value_the_kernel_rejects_is_EINVAL_naming_key_and_value_and_nothing_changes()
    {
        using var ns = new TestNamespace("sysctl");
        var sysctl = new SysctlClient(ns.Namespace);
        Action write = () => sysctl.Write(SysctlKey.IPv4Forward, "abc");
        write.Should().Throw<SysctlException>().Where(e => e.Errno == Errno.EINVAL && e.Value == "abc"
            && e.Message.Contains("the kernel rejected the value 'abc' for net.ipv4.ip_forward"));
        SysctlIn(ns, "net.ipv4.ip_forward").Should().Be("0");
    }

    [NativeFact]
    public void More_values_than_a_key_holds_are_EINVAL_and_the_key_keeps_its_old_value()
    {
        using var ns = new TestNamespace("sysctl");
        var sysctl = new SysctlClient(ns.Namespace);
        // The kernel takes "1" of "1 2" (a short write that has already set 1): the client puts 0
        // back and says the value was not taken.
        Action write = () => sysctl.Write(SysctlKey.IPv4Forward, "1 2");
        write.Should().Throw<SysctlException>().Where(e => e.Errno == Errno.EINVAL && e.Kind == SysctlErrorKind.InvalidValue && e.Value == "1 2"
            && e.Message.Contains("the kernel rejected the value '1 2' for net.ipv4.ip_forward"));
        SysctlIn(ns, "net.ipv4.ip_forward").Should().Be("0");

        // A key of two values takes two, whole.
        sysctl.Write("net.ipv4.ip_local_port_range", "20000 20999");
        SysctlIn(ns, "net.ipv4.ip_local_port_range").Should().Be("20000\t20999");
    }

    [NativeFact]
    public void Conntrack_max_is_read_only_outside_the_initial_namespace_and_the_error_says_so()
    {
        using var ns = new TestNamespace("ct");
        // A ct expression makes sure nf_conntrack is loaded, so the keys exist.
        ns.NftScript("add table ip t\nadd chain ip t c { type filter hook input priority 0; }\nadd rule ip t c ct state established accept\n");
        ConntrackUsage usage = ConntrackUsage.Read(ns.Namespace);
        usage.Max.Should().Be(long.Parse(SysctlIn(ns, "net.netfilter.nf_conntrack_max")));
        usage.Count.Should().Be(long.Parse(SysctlIn(ns, "net.netfilter.nf_conntrack_count")));

        Action write = () => new SysctlClient(ns.Namespace).Write(SysctlKey.ConntrackMax, usage.Max);
        write.Should().Throw<SysctlException>().Where(e => e.Errno == Errno.EACCES
            && e.Message.Contains("net.netfilter.nf_conntrack_max is read-only in")
            && e.Message.Contains("initial network namespace"));
    }

    [NativeFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_process_that_is_not_root_gets_EACCES_saying_root_or_CAP_NET_ADMIN_is_needed()
    {
        using var ns = new TestNamespace("sysctl");
        // uid 0 may write /proc/sys/net even without capabilities (test_perm uses the owner
        // bits for root), so the child runs as nobody, from a copy it can read wherever the
        // build output lives.
        string copy = WorldReadableCopyOfTestOutput();
        try
        {
            string self = Path.Combine(copy, Path.GetFileName(typeof(Program).Assembly.Location));
            Tool.Result result = ns.Exec("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "env", "DOTNET_CLI_HOME=/tmp", "HOME=/tmp", "dotnet", self, "child", "sysctl-write", "net.ipv4.ip_forward", "1");
            result.ExitCode.Should().Be(1, result.StandardError + result.StandardOutput);
            result.StandardError.Should().Contain("SysctlException: EACCES").And.Contain("needs root, or CAP_NET_ADMIN");
            SysctlIn(ns, "net.ipv4.ip_forward").Should().Be("0");

            Tool.Result root = ns.Exec("dotnet", self, "child", "sysctl-write", "net.ipv4.ip_forward", "1");
            root.ExitCode.Should().Be(0, root.StandardError);
            SysctlIn(ns, "net.ipv4.ip_forward").Should().Be("1");
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>A copy of the test output that any user can read and run (for children that drop root).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    internal static string WorldReadableCopyOfTestOutput()
    {
        const UnixFileMode directoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        const UnixFileMode fileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        string source = AppContext.BaseDirectory.TrimEnd('/');
        string target = Directory.CreateTempSubdirectory("nfnet-child-").FullName;
        File.SetUnixFileMode(target, directoryMode);
        foreach (string directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            string created = Path.Combine(target, Path.GetRelativePath(source, directory));
            Directory.CreateDirectory(created);
            File.SetUnixFileMode(created, directoryMode);
        }
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string copied = Path.Combine(target, Path.GetRelativePath(source, file));
            File.Copy(file, copied);
            File.SetUnixFileMode(copied, fileMode);
        }
        return target;
    }
}
