using System;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Netfilter.Net.Sysctl;

/// <summary>
/// The name of a kernel parameter under /proc/sys, such as <c>net.ipv4.ip_forward</c>. Parsed
/// the way sysctl(8) parses it, so a name that works with <c>sysctl -n</c> works here.
/// </summary>
/// <remarks>
/// <para>Both spellings are accepted: dotted (<c>net.ipv4.conf.eth0.forwarding</c>) and slashed
/// (<c>net/ipv4/conf/eth0/forwarding</c>, the path under /proc/sys). As in procps' sysctl, the
/// first separator decides: when it is a dot, dots separate components and a slash stands for
/// a dot inside a component, so the VLAN interface <c>eth0.100</c> is written
/// <c>net.ipv4.conf.eth0/100.forwarding</c>.</para>
/// <para>The well-known keys that port redirection needs are static members:
/// <see cref="IPv4Forward"/>, <see cref="IPv4Forwarding"/>, <see cref="IPv6Forwarding"/>,
/// <see cref="RouteLocalnet"/>, <see cref="ConntrackMax"/>, <see cref="ConntrackCount"/>.</para>
/// </remarks>
public sealed class SysctlKey : IEquatable<SysctlKey>
{
    /// <summary>The pseudo-interface whose setting applies to every interface (<c>conf.all</c>).</summary>
    public const string AllInterfaces = "all";

    /// <summary>The pseudo-interface whose setting new interfaces start from (<c>conf.default</c>).</summary>
    public const string DefaultInterface = "default";


    private SysctlKey(string[] components)
    {
        var name = new StringBuilder();
        var path = new StringBuilder();
        foreach (string component in components)
        {
            if (name.Length > 0)
            {
                name.Append('.');
                path.Append('/');
            }
            name.Append(component.Replace('.', '/'));
            path.Append(component);
        }
        Name = name.ToString();
        Path = path.ToString();
    }

    /// <summary>The dotted name, as <c>sysctl -a</c> prints it (a dot inside a component appears as '/').</summary>
    public string Name { get; }

    /// <summary>The path relative to /proc/sys, e.g. <c>net/ipv4/conf/eth0.100/forwarding</c>.</summary>
    public string Path { get; }

    /// <summary>
    /// True for the keys under <c>net.</c>: the only ones that belong to a network namespace.
    /// The kernel looks /proc/sys/net up in the opener's network namespace; every other key
    /// (<c>kernel.*</c>, <c>vm.*</c>, <c>fs.*</c>, ...) is shared by the whole host whichever
    /// network namespace it is written from, so <see cref="SysctlClient"/> refuses those unless
    /// <see cref="SysctlClient.AllowGlobalKeys"/> is set.
    /// </summary>
    /// <remarks>
    /// Inside a namespace other than the initial one the kernel keeps the net keys confined
    /// too: the few that are backed by a host-wide value are either absent (net.core's global
    /// table, <c>net.ipv4.tcp_mem</c>, <c>net.ipv4.route.*</c> limits) or read-only
    /// (<c>net.core.rmem_max</c>, <c>net.netfilter.nf_conntrack_max</c>) there.
    /// </remarks>
    public bool IsPerNetworkNamespace => Path == "net" || Path.StartsWith("net/", StringComparison.Ordinal);

    /// <summary><c>net.ipv4.ip_forward</c>: IPv4 forwarding between all interfaces (writing it sets every <c>conf.*.forwarding</c>).</summary>
    public static SysctlKey IPv4Forward { get; } = new(new[] { "net", "ipv4", "ip_forward" });

    /// <summary><c>net.netfilter.nf_conntrack_max</c>: the size limit of the conntrack table. Read-only outside the initial network namespace.</summary>
    public static SysctlKey ConntrackMax { get; } = new(new[] { "net", "netfilter", "nf_conntrack_max" });

    /// <summary><c>net.netfilter.nf_conntrack_count</c>: how many connections conntrack tracks now in the namespace (read-only).</summary>
    public static SysctlKey ConntrackCount { get; } = new(new[] { "net", "netfilter", "nf_conntrack_count" });

    /// <summary><c>net.ipv4.conf.INTERFACE.forwarding</c>: IPv4 forwarding of packets received on one interface.</summary>
    /// <param name="interfaceName">An interface name, <see cref="AllInterfaces"/> or <see cref="DefaultInterface"/>.</param>
    /// <exception cref="ArgumentException">The name cannot be an interface name.</exception>
    public static SysctlKey IPv4Forwarding(string interfaceName) => InterfaceKey("ipv4", interfaceName, "forwarding");

    /// <summary><c>net.ipv6.conf.INTERFACE.forwarding</c>: IPv6 forwarding (for <see cref="AllInterfaces"/>: the host is a router).</summary>
    /// <param name="interfaceName">An interface name, <see cref="AllInterfaces"/> or <see cref="DefaultInterface"/>.</param>
    /// <exception cref="ArgumentException">The name cannot be an interface name.</exception>
    public static SysctlKey IPv6Forwarding(string interfaceName) => InterfaceKey("ipv6", interfaceName, "forwarding");

    /// <summary>
    /// <c>net.ipv4.conf.INTERFACE.route_localnet</c>: route packets to and from 127.0.0.0/8 on
    /// an interface other than lo. Dangerous (CVE-2020-8558): read <see cref="T:Netfilter.Net.Sysctl.RouteLocalnet"/> first.
    /// </summary>
    /// <param name="interfaceName">An interface name, <see cref="AllInterfaces"/> or <see cref="DefaultInterface"/>.</param>
    /// <exception cref="ArgumentException">The name cannot be an interface name.</exception>
    public static SysctlKey RouteLocalnet(string interfaceName) => InterfaceKey("ipv4", interfaceName, "route_localnet");

    /// <summary>Parses a dotted or slashed key (see the remarks on <see cref="SysctlKey"/>).</summary>
    /// <exception cref="ArgumentException">The key is empty, has an empty, "." or ".." component, or contains whitespace or control characters.</exception>
    public static SysctlKey Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!TryParse(key, out SysctlKey? result, out string? problem))
        {
            throw new ArgumentException($"{InputText.Quote(key)} is not a sysctl key: {problem}. Write it as sysctl(8) does, e.g. net.ipv4.ip_forward or net/ipv4/ip_forward.", nameof(key));
        }
        return result;
    }

    /// <summary>Parses a key; false when it is not one (see <see cref="Parse"/>).</summary>
    public static bool TryParse([NotNullWhen(true)] string? key, [NotNullWhen(true)] out SysctlKey? result) => TryParse(key, out result, out _);

    private static bool TryParse(string? key, [NotNullWhen(true)] out SysctlKey? result, [NotNullWhen(false)] out string? problem)
    {
        result = null;
        if (string.IsNullOrEmpty(key))
        {
            problem = "it is empty";
            return false;
        }
        // procps sysctl.c slashdot(): the first separator says which spelling this is.
        int first = key.AsSpan().IndexOfAny('.', '/');
        bool slashed = first >= 0 && key[first] == '/';
        string[] components = key.Split(slashed ? '/' : '.');
        for (int i = 0; i < components.Length; i++)
        {
            string component = slashed ? components[i] : components[i].Replace('/', '.');
            if (!IsValidComponent(component, out problem))
            {
                problem = $"component {i + 1} {problem}";
                return false;
            }
            components[i] = component;
        }
        problem = null;
        result = new SysctlKey(components);
        return true;
    }

    private static bool IsValidComponent(string component, [NotNullWhen(false)] out string? problem)
    {
        if (component.Length == 0)
        {
            problem = "is empty (separators must not repeat, begin or end the key)";
            return false;
        }
        if (component is "." or "..")
        {
            problem = $"is '{component}'";
            return false;
        }
        if (Encoding.UTF8.GetByteCount(component) > 255)
        {
            // NAME_MAX: no file under /proc/sys has a longer name, and the message must not repeat a megabyte.
            problem = "is longer than 255 bytes (NAME_MAX)";
            return false;
        }
        foreach (char c in component)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                problem = "contains whitespace or a control character";
                return false;
            }
        }
        problem = null;
        return true;
    }

    private static SysctlKey InterfaceKey(string family, string interfaceName, string setting)
    {
        ValidateInterfaceName(interfaceName, nameof(interfaceName));
        return new SysctlKey(new[] { "net", family, "conf", interfaceName, setting });
    }

    /// <summary>Throws unless <paramref name="interfaceName"/> can name an interface (dev_valid_name) or is "all"/"default".</summary>
    internal static void ValidateInterfaceName(string interfaceName, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(interfaceName, parameterName);
        if (InterfaceName.Problem(interfaceName) is string problem)
        {
            throw new ArgumentException($"{InterfaceName.Refusal(interfaceName, problem)}. Use a name shown by 'ip link', or \"{AllInterfaces}\" or \"{DefaultInterface}\".", parameterName);
        }
    }

    /// <summary>The interface component of a <c>net.ipv4.conf.X.*</c> / <c>net.ipv6.conf.X.*</c> key, or null.</summary>
    internal string? InterfaceComponent
    {
        get
        {
            string[] parts = Path.Split('/');
            return parts.Length == 5 && parts[0] == "net" && parts[1] is "ipv4" or "ipv6" && parts[2] == "conf" ? parts[3] : null;
        }
    }

    /// <inheritdoc />
    public bool Equals(SysctlKey? other) => other is not null && string.Equals(Path, other.Path, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SysctlKey);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Path);

    /// <summary>The dotted name (<see cref="Name"/>).</summary>
    public override string ToString() => Name;
}
