using System.IO;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Tests.Sysctl;

/// <summary>The client against a temporary directory laid out like /proc/sys (the injectable root).</summary>
public sealed class SysctlClientTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("nfnet-sysctl-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Put(string path, string content)
    {
        string full = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    private string Content(string path) => File.ReadAllText(Path.Combine(_root, path));

    [Fact]
    public void Read_returns_the_value_without_the_trailing_newline()
    {
        Put("net/ipv4/ip_forward", "1\n");
        Put("net/ipv4/ip_local_port_range", "32768\t60999\n");
        var sysctl = new SysctlClient(_root);
        sysctl.Read(SysctlKey.IPv4Forward).Should().Be("1");
        sysctl.Read("net.ipv4.ip_local_port_range").Should().Be("32768\t60999");
        sysctl.ReadInt64(SysctlKey.IPv4Forward).Should().Be(1);
    }

    [Fact]
    public void Write_writes_the_value_and_a_newline_like_sysctl_and_replaces_a_longer_value()
    {
        Put("net/netfilter/nf_conntrack_max", "262144\n");
        var sysctl = new SysctlClient(_root);
        sysctl.Write(SysctlKey.ConntrackMax, 1000);
        Content("net/netfilter/nf_conntrack_max").Should().Be("1000\n");
        sysctl.Write("net/netfilter/nf_conntrack_max", "7");
        sysctl.ReadInt64(SysctlKey.ConntrackMax).Should().Be(7);
    }

    [Fact]
    public void A_missing_key_is_a_SysctlException_ENOENT_that_names_the_key_and_the_likely_cause()
    {
        var sysctl = new SysctlClient(_root);
        Action read = () => sysctl.Read("net.ipv4.conf.eth9.forwarding");
        read.Should().Throw<SysctlException>().Where(e =>
            e.Errno == Errno.ENOENT
            && e.Key.Name == "net.ipv4.conf.eth9.forwarding"
            && e.Value == null
            && e.Message.Contains("there is no sysctl net.ipv4.conf.eth9.forwarding")
            && e.Message.Contains("interface named 'eth9'"));

        Action write = () => sysctl.Write(SysctlKey.ConntrackMax, 5);
        write.Should().Throw<SysctlException>().Where(e =>
            e.Errno == Errno.ENOENT && e.Value == "5" && e.Message.Contains("nf_conntrack module"));

        sysctl.TryRead(SysctlKey.IPv4Forward, out string value).Should().BeFalse();
        value.Should().BeEmpty();
        sysctl.Exists(SysctlKey.IPv4Forward).Should().BeFalse();
        Put("net/ipv4/ip_forward", "0\n");
        sysctl.Exists(SysctlKey.IPv4Forward).Should().BeTrue();
    }

    [Fact]
    public void A_value_with_a_newline_is_refused_before_anything_is_written()
    {
        Put("net/ipv4/ip_forward", "0\n");
        var sysctl = new SysctlClient(_root);
        Action write = () => sysctl.Write(SysctlKey.IPv4Forward, "1\nkernel.panic=1");
        write.Should().Throw<ArgumentException>().Where(e => e.ParamName == "value");
        Content("net/ipv4/ip_forward").Should().Be("0\n");
    }

    [Fact]
    public void A_value_that_is_not_an_integer_is_a_FormatException_naming_key_and_value()
    {
        Put("net/ipv4/ip_forward", "yes\n");
        Action read = () => new SysctlClient(_root).ReadInt64(SysctlKey.IPv4Forward);
        read.Should().Throw<FormatException>().WithMessage("net.ipv4.ip_forward = 'yes' is not a single integer.");
    }

    [Theory]
    [InlineData(Errno.EINVAL, "abc", null, "the kernel rejected the value 'abc' for net.ipv4.ip_forward")]
    [InlineData(Errno.EACCES, "1", 0x124, "net.ipv4.ip_forward is read-only in /run/netns/r (mode 444)")]
    [InlineData(Errno.EACCES, "1", 0x1a4, "needs root, or CAP_NET_ADMIN")]
    [InlineData(Errno.EPERM, "1", null, "needs root, or CAP_NET_ADMIN")]
    [InlineData(Errno.EACCES, null, 0x80, "cannot be read, only written (mode 200)")]
    public void Kernel_refusals_explain_themselves(Errno errno, string? value, int? mode, string expected)
    {
        SysctlException e = SysctlException.Create(errno, SysctlKey.IPv4Forward, value, "/run/netns/r", mode);
        e.Errno.Should().Be(errno);
        e.Message.Should().Contain(expected);
        e.Message.Should().StartWith(value is null
            ? "read sysctl net.ipv4.ip_forward in /run/netns/r failed"
            : $"write sysctl net.ipv4.ip_forward = '{value}' in /run/netns/r failed");
    }

    [Theory]
    [InlineData(Errno.ENOENT, "1", null, SysctlErrorKind.NotFound)]
    [InlineData(Errno.ENOTDIR, null, null, SysctlErrorKind.NotFound)]
    [InlineData(Errno.EROFS, "1", 0x1a4, SysctlErrorKind.ReadOnlyFileSystem)]
    [InlineData(Errno.EACCES, "1", 0x124, SysctlErrorKind.ReadOnlyKey)]
    [InlineData(Errno.EPERM, "1", 0x124, SysctlErrorKind.ReadOnlyKey)]
    [InlineData(Errno.EACCES, "1", 0x1a4, SysctlErrorKind.PermissionDenied)]
    [InlineData(Errno.EPERM, "1", null, SysctlErrorKind.PermissionDenied)]
    [InlineData(Errno.EACCES, null, 0x1a4, SysctlErrorKind.PermissionDenied)]
    [InlineData(Errno.EINVAL, "abc", null, SysctlErrorKind.InvalidValue)]
    [InlineData(Errno.EIO, "1", null, SysctlErrorKind.Other)]
    public void Each_errno_maps_to_its_kind(Errno errno, string? value, int? mode, SysctlErrorKind kind)
    {
        SysctlException e = SysctlException.Create(errno, SysctlKey.IPv4Forward, value, "/run/netns/r", mode);
        e.Kind.Should().Be(kind);
        e.Errno.Should().Be(errno);
    }

    [Fact]
    public void A_read_only_proc_sys_names_the_container_level_fixes_and_the_host()
    {
        SysctlException e = SysctlException.Create(Errno.EROFS, SysctlKey.IPv4Forward, "1", "current network namespace", 0x1a4);
        e.Kind.Should().Be(SysctlErrorKind.ReadOnlyFileSystem);
        e.Message.Should().StartWith("write sysctl net.ipv4.ip_forward = '1' in current network namespace failed: EROFS (read-only file system); /proc/sys is mounted read-only here")
            .And.Contain("docker run --sysctl net.ipv4.ip_forward=1")
            .And.Contain("securityContext.sysctls (name: net.ipv4.ip_forward, value: \"1\"")
            .And.Contain("--allowed-unsafe-sysctls")
            .And.Contain("set it on the host (sysctl -w net.ipv4.ip_forward=1")
            .And.NotContain("\n");
    }

    [Fact]
    public void A_read_only_proc_sys_quotes_a_multi_value_key_and_sends_host_wide_keys_to_the_host()
    {
        SysctlException range = SysctlException.Create(Errno.EROFS, SysctlKey.Parse("net.ipv4.ip_local_port_range"), "20000\t20999", "current network namespace", 0x1a4);
        range.Message.Should().Contain("docker run --sysctl 'net.ipv4.ip_local_port_range=20000\t20999'");

        SysctlException global = SysctlException.Create(Errno.EROFS, SysctlKey.Parse("kernel.core_pattern"), "core", "current network namespace", 0x1a4);
        global.Message.Should().Contain("kernel.core_pattern is shared by the whole host, so set it on the host (sysctl -w kernel.core_pattern=core")
            .And.NotContain("docker run --sysctl", "Docker refuses --sysctl for keys that are not namespaced");
    }

    [Theory]
    [InlineData("net.netfilter.nf_conntrack_tcp_timeout_established", "nf_conntrack module is loaded (the first NAT or ct rule loads it); modprobe nf_conntrack on the host")]
    [InlineData("net.bridge.bridge-nf-call-iptables", "br_netfilter module is loaded")]
    [InlineData("net.ipv4.vs.conntrack", "ip_vs module is loaded")]
    [InlineData("net.core.netdev_max_backlog", "registers net.core.netdev_max_backlog for the initial network namespace only")]
    [InlineData("net.ipv4.tcp_mem", "for the initial network namespace only")]
    [InlineData("net.ipv4.route.gc_thresh", "for the initial network namespace only")]
    [InlineData("net.ipv6.conf.all.forwarding", "is IPv6 disabled on this kernel")]
    [InlineData("net.ipv4.conf.eth9.forwarding", "is there an interface named 'eth9' in this namespace?")]
    public void A_missing_key_says_which_module_or_namespace_explains_it(string key, string expected)
    {
        SysctlException e = SysctlException.Create(Errno.ENOENT, SysctlKey.Parse(key), null, "/run/netns/r", null);
        e.Kind.Should().Be(SysctlErrorKind.NotFound);
        e.Message.Should().Contain($"there is no sysctl {key} (/proc/sys/{SysctlKey.Parse(key).Path}) in /run/netns/r").And.Contain(expected);
    }

    [Fact]
    public void A_key_read_only_outside_the_initial_namespace_says_to_set_it_on_the_host()
    {
        SysctlException e = SysctlException.Create(Errno.EACCES, SysctlKey.Parse("net.core.rmem_max"), "1", "/run/netns/r", 0x124);
        e.Kind.Should().Be(SysctlErrorKind.ReadOnlyKey);
        e.Message.Should().Contain("net.core.rmem_max is read-only in /run/netns/r (mode 444)").And.Contain("can only be set on the host");
    }

    [Theory]
    [InlineData("net.ipv4.ip_forward", true)]
    [InlineData("net/netfilter/nf_conntrack_max", true)]
    [InlineData("net", true)]
    [InlineData("kernel.core_pattern", false)]
    [InlineData("vm.overcommit_memory", false)]
    [InlineData("fs.file-max", false)]
    [InlineData("network.x", false)]
    [InlineData("netfilter.x", false)]
    public void Only_keys_under_net_belong_to_a_network_namespace(string key, bool perNamespace) =>
        SysctlKey.Parse(key).IsPerNetworkNamespace.Should().Be(perNamespace);

    [Fact]
    public void A_host_wide_key_is_refused_without_the_opt_in_and_nothing_is_touched()
    {
        Put("kernel/core_pattern", "decoy\n");
        var sysctl = new SysctlClient(_root);
        sysctl.AllowGlobalKeys.Should().BeFalse("confinement is the default");

        Action write = () => sysctl.Write("kernel.core_pattern", "|/tmp/pwn");
        write.Should().Throw<ArgumentException>().Where(e => e.ParamName == "key"
            && e.Message.StartsWith("kernel.core_pattern is not a network-namespace sysctl: only keys under net. belong to a network namespace")
            && e.Message.Contains("AllowGlobalKeys"));
        Content("kernel/core_pattern").Should().Be("decoy\n");

        Action read = () => sysctl.Read("kernel.core_pattern");
        read.Should().Throw<ArgumentException>().Where(e => e.ParamName == "key");
        Action exists = () => sysctl.Exists(SysctlKey.Parse("kernel.core_pattern"));
        exists.Should().Throw<ArgumentException>();
        Action many = () => Forwarding.Set(sysctl, NetfilterFamily.IPv4, null, true);
        many.Should().Throw<SysctlException>("net keys still go through (this root has no ip_forward)");
    }

    [Fact]
    public void A_host_wide_key_is_read_and_written_with_the_opt_in()
    {
        Put("kernel/core_pattern", "decoy\n");
        var host = new SysctlClient(_root) { AllowGlobalKeys = true };
        host.Read("kernel.core_pattern").Should().Be("decoy");
        host.Write("kernel.core_pattern", "core");
        Content("kernel/core_pattern").Should().Be("core\n");
        host.Exists(SysctlKey.Parse("kernel.core_pattern")).Should().BeTrue();
    }

    [Fact]
    public void Conntrack_max_read_only_says_where_it_can_be_changed()
    {
        SysctlException e = SysctlException.Create(Errno.EACCES, SysctlKey.ConntrackMax, "10", "/run/netns/r", 0x124);
        e.Message.Should().Contain("only be changed in the initial network namespace");
    }

    [Fact]
    public void Forwarding_status_reads_ip_forward_and_ipv6_all_and_per_interface_keys()
    {
        Put("net/ipv4/ip_forward", "1\n");
        Put("net/ipv6/conf/all/forwarding", "0\n");
        Put("net/ipv4/conf/lan/forwarding", "0\n");
        Put("net/ipv6/conf/lan/forwarding", "1\n");
        var sysctl = new SysctlClient(_root);
        Forwarding.GetStatus(sysctl, SysctlKey.IPv4Forward, SysctlKey.IPv6Forwarding("all")).Should().Be(new ForwardingStatus(true, false));
        Forwarding.GetStatus(sysctl, SysctlKey.IPv4Forwarding("lan"), SysctlKey.IPv6Forwarding("lan")).Should().Be(new ForwardingStatus(false, true));
        new ForwardingStatus(true, false).IsEnabled(NetfilterFamily.Inet).Should().BeFalse();
        new ForwardingStatus(true, true).IsEnabled(NetfilterFamily.Inet).Should().BeTrue();
    }

    [Fact]
    public void Forwarding_status_without_ipv6_says_ipv6_is_off()
    {
        Put("net/ipv4/ip_forward", "0\n");
        Forwarding.GetStatus(new SysctlClient(_root), SysctlKey.IPv4Forward, SysctlKey.IPv6Forwarding("all"))
            .Should().Be(new ForwardingStatus(false, false));
    }

    [Fact]
    public void Enable_writes_exactly_the_switches_of_the_requested_families()
    {
        Put("net/ipv4/ip_forward", "0\n");
        Put("net/ipv6/conf/all/forwarding", "0\n");
        Put("net/ipv4/conf/lan/forwarding", "0\n");
        Put("net/ipv6/conf/lan/forwarding", "0\n");
        var sysctl = new SysctlClient(_root);

        Forwarding.Set(sysctl, NetfilterFamily.IPv6, null, true);
        Content("net/ipv6/conf/all/forwarding").Should().Be("1\n");
        Content("net/ipv4/ip_forward").Should().Be("0\n", "IPv4 was not asked for");

        Forwarding.Set(sysctl, NetfilterFamily.Inet, "lan", true);
        Content("net/ipv4/conf/lan/forwarding").Should().Be("1\n");
        Content("net/ipv6/conf/lan/forwarding").Should().Be("1\n");
        Content("net/ipv4/ip_forward").Should().Be("0\n", "per-interface enabling leaves the namespace switch alone");

        Forwarding.Set(sysctl, NetfilterFamily.Inet, null, false);
        Content("net/ipv6/conf/all/forwarding").Should().Be("0\n");
    }

    [Fact]
    public void Forwarding_for_another_family_is_refused()
    {
        Action enable = () => Forwarding.Set(new SysctlClient(_root), NetfilterFamily.Bridge, null, true);
        enable.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "family");
    }

    [Fact]
    public void Conntrack_usage_reads_count_and_max()
    {
        Put("net/netfilter/nf_conntrack_count", "12\n");
        Put("net/netfilter/nf_conntrack_max", "262144\n");
        ConntrackUsage.Read(new SysctlClient(_root)).Should().Be(new ConntrackUsage(12, 262144));
    }
}
