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
        new ForwardingStatus(true, false).IsEnabled(ProtocolFamily.Inet).Should().BeFalse();
        new ForwardingStatus(true, true).IsEnabled(ProtocolFamily.Inet).Should().BeTrue();
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

        Forwarding.Set(sysctl, ProtocolFamily.IPv6, null, true);
        Content("net/ipv6/conf/all/forwarding").Should().Be("1\n");
        Content("net/ipv4/ip_forward").Should().Be("0\n", "IPv4 was not asked for");

        Forwarding.Set(sysctl, ProtocolFamily.Inet, "lan", true);
        Content("net/ipv4/conf/lan/forwarding").Should().Be("1\n");
        Content("net/ipv6/conf/lan/forwarding").Should().Be("1\n");
        Content("net/ipv4/ip_forward").Should().Be("0\n", "per-interface enabling leaves the namespace switch alone");

        Forwarding.Set(sysctl, ProtocolFamily.Inet, null, false);
        Content("net/ipv6/conf/all/forwarding").Should().Be("0\n");
    }

    [Fact]
    public void Forwarding_for_another_family_is_refused()
    {
        Action enable = () => Forwarding.Set(new SysctlClient(_root), ProtocolFamily.Bridge, null, true);
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
