using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Tests.Sysctl;

public sealed class SysctlKeyTests
{
    [Theory]
    [InlineData("net.ipv4.ip_forward", "net.ipv4.ip_forward", "net/ipv4/ip_forward")]
    [InlineData("net/ipv4/ip_forward", "net.ipv4.ip_forward", "net/ipv4/ip_forward")]
    // procps: in the dotted spelling a '/' stands for a '.' inside a component (VLAN eth0.100).
    [InlineData("net.ipv4.conf.eth0/100.forwarding", "net.ipv4.conf.eth0/100.forwarding", "net/ipv4/conf/eth0.100/forwarding")]
    // ...and in the slashed spelling dots are ordinary characters.
    [InlineData("net/ipv4/conf/eth0.100/forwarding", "net.ipv4.conf.eth0/100.forwarding", "net/ipv4/conf/eth0.100/forwarding")]
    [InlineData("kernel.hostname", "kernel.hostname", "kernel/hostname")]
    [InlineData("vm", "vm", "vm")]
    public void Parse_maps_both_spellings_to_the_same_name_and_path(string key, string name, string path)
    {
        SysctlKey parsed = SysctlKey.Parse(key);
        parsed.Name.Should().Be(name);
        parsed.Path.Should().Be(path);
        parsed.ToString().Should().Be(name);
        SysctlKey.Parse(parsed.Name).Should().Be(parsed, "the dotted name parses back to the same key");
        SysctlKey.Parse(parsed.Path).Should().Be(parsed, "the path parses back to the same key");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("net..ipv4", "component 2 is empty")]
    [InlineData(".net.ipv4", "component 1 is empty")]
    [InlineData("net.ipv4.", "component 3 is empty")]
    [InlineData("/proc/sys/net/ipv4/ip_forward", "component 1 is empty")]
    [InlineData("net/../../etc/passwd", "component 2 is '..'")]
    [InlineData("net.ipv4.ip forward", "whitespace")]
    [InlineData("net.ipv4.ip_forward\n", "control character")]
    [InlineData("net.ipv4.ip_forward=1", null)]
    public void Parse_rejects_what_is_not_a_key_and_names_it(string key, string? why)
    {
        if (why is null)
        {
            // '=' is a legal file-name character: sysctl would look for a key of that name.
            SysctlKey.Parse(key).Path.Should().Be("net/ipv4/ip_forward=1");
            return;
        }
        Action parse = () => SysctlKey.Parse(key);
        parse.Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "key" && e.Message.Contains(why) && e.Message.Contains(InputText.Quote(key)));
        SysctlKey.TryParse(key, out SysctlKey? none).Should().BeFalse();
        none.Should().BeNull();
    }

    [Fact]
    public void Well_known_keys_have_the_kernel_paths()
    {
        SysctlKey.IPv4Forward.Path.Should().Be("net/ipv4/ip_forward");
        SysctlKey.IPv4Forwarding("all").Path.Should().Be("net/ipv4/conf/all/forwarding");
        SysctlKey.IPv4Forwarding(SysctlKey.DefaultInterface).Path.Should().Be("net/ipv4/conf/default/forwarding");
        SysctlKey.IPv4Forwarding("veth0").Name.Should().Be("net.ipv4.conf.veth0.forwarding");
        SysctlKey.IPv6Forwarding("eth0.5").Name.Should().Be("net.ipv6.conf.eth0/5.forwarding");
        SysctlKey.IPv6Forwarding("eth0.5").Path.Should().Be("net/ipv6/conf/eth0.5/forwarding");
        SysctlKey.RouteLocalnet("lan").Path.Should().Be("net/ipv4/conf/lan/route_localnet");
        SysctlKey.ConntrackMax.Name.Should().Be("net.netfilter.nf_conntrack_max");
        SysctlKey.ConntrackCount.Name.Should().Be("net.netfilter.nf_conntrack_count");
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a:1")]
    [InlineData("eth 0")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("sixteen_chars_xx")]
    public void Interface_keys_refuse_names_the_kernel_refuses(string name)
    {
        Action build = () => SysctlKey.IPv4Forwarding(name);
        build.Should().Throw<ArgumentException>().Where(e => e.ParamName == "interfaceName" && e.Message.Contains("is not an interface name"));
    }

    [Fact]
    public void Fifteen_bytes_is_the_longest_interface_name()
    {
        SysctlKey.RouteLocalnet("fifteen_chars_x").Path.Should().Be("net/ipv4/conf/fifteen_chars_x/route_localnet");
    }

    [Fact]
    public void Keys_compare_by_path()
    {
        SysctlKey.Parse("net.ipv4.ip_forward").Should().Be(SysctlKey.IPv4Forward);
        SysctlKey.Parse("net.ipv4.ip_forward").GetHashCode().Should().Be(SysctlKey.IPv4Forward.GetHashCode());
        SysctlKey.Parse("net.ipv4.conf.all.forwarding").Should().NotBe(SysctlKey.IPv4Forward);
    }
}
