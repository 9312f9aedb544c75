using System;
using System.Collections.Generic;

namespace Netfilter.Net.Sysctl;

/// <summary>
/// IP forwarding, which DNAT to another host (and masquerading a LAN) needs in the router's
/// namespace. The library never turns it on by itself: check it with <see cref="GetStatus(NetworkNamespace?)"/>
/// and turn it on deliberately with <see cref="Enable(NetfilterFamily, NetworkNamespace?)"/>.
/// </summary>
/// <remarks>
/// <para>IPv4: <c>net.ipv4.ip_forward</c> is the switch; writing it sets
/// <c>net.ipv4.conf.all.forwarding</c> and every interface's <c>forwarding</c> alike
/// (devinet_sysctl_forward). A per-interface value then decides whether packets received on
/// that interface are forwarded.</para>
/// <para>IPv6: <c>net.ipv6.conf.all.forwarding</c> is the switch and also sets every
/// interface. Enabling it makes the host an IPv6 router: it stops accepting Router
/// Advertisements on interfaces whose <c>accept_ra</c> is 1, so a host that got its IPv6
/// default route from SLAAC loses it when that route expires (set <c>accept_ra</c> to 2 on the
/// uplink first).</para>
/// </remarks>
public static class Forwarding
{
    /// <summary>Reads whether the namespace forwards IPv4 and IPv6.</summary>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <exception cref="SysctlException">The IPv4 keys cannot be read.</exception>
    public static ForwardingStatus GetStatus(NetworkNamespace? networkNamespace = null) =>
        GetStatus(new SysctlClient(networkNamespace), SysctlKey.IPv4Forward, SysctlKey.IPv6Forwarding(SysctlKey.AllInterfaces));

    /// <summary>Reads whether packets received on one interface are forwarded, per family.</summary>
    /// <param name="interfaceName">The interface, as 'ip link' names it.</param>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <exception cref="ArgumentException">The name cannot be an interface name.</exception>
    /// <exception cref="SysctlException">No such interface in the namespace.</exception>
    public static ForwardingStatus GetStatus(string interfaceName, NetworkNamespace? networkNamespace = null) =>
        GetStatus(new SysctlClient(networkNamespace), SysctlKey.IPv4Forwarding(interfaceName), SysctlKey.IPv6Forwarding(interfaceName));

    /// <summary>Turns forwarding on for a family (<see cref="NetfilterFamily.Inet"/>: both) in the whole namespace.</summary>
    /// <param name="family">IPv4, IPv6 or Inet.</param>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">Another family.</exception>
    /// <exception cref="SysctlException">Not allowed (root or CAP_NET_ADMIN is needed), or no IPv6.</exception>
    public static void Enable(NetfilterFamily family, NetworkNamespace? networkNamespace = null) =>
        Set(new SysctlClient(networkNamespace), family, null, true);

    /// <summary>Turns forwarding on for packets received on one interface.</summary>
    /// <param name="family">IPv4, IPv6 or Inet.</param>
    /// <param name="interfaceName">The interface, as 'ip link' names it.</param>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <exception cref="ArgumentException">The name cannot be an interface name.</exception>
    /// <exception cref="SysctlException">No such interface, or not allowed.</exception>
    public static void Enable(NetfilterFamily family, string interfaceName, NetworkNamespace? networkNamespace = null) =>
        Set(new SysctlClient(networkNamespace), family, interfaceName, true);

    /// <summary>Turns forwarding off for a family in the whole namespace.</summary>
    /// <param name="family">IPv4, IPv6 or Inet.</param>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">Another family.</exception>
    /// <exception cref="SysctlException">Not allowed, or no IPv6.</exception>
    public static void Disable(NetfilterFamily family, NetworkNamespace? networkNamespace = null) =>
        Set(new SysctlClient(networkNamespace), family, null, false);

    /// <summary>Turns forwarding off for packets received on one interface.</summary>
    /// <param name="family">IPv4, IPv6 or Inet.</param>
    /// <param name="interfaceName">The interface, as 'ip link' names it.</param>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <exception cref="ArgumentException">The name cannot be an interface name.</exception>
    /// <exception cref="SysctlException">No such interface, or not allowed.</exception>
    public static void Disable(NetfilterFamily family, string interfaceName, NetworkNamespace? networkNamespace = null) =>
        Set(new SysctlClient(networkNamespace), family, interfaceName, false);

    internal static ForwardingStatus GetStatus(ISysctlClient sysctl, SysctlKey ipv4, SysctlKey ipv6)
    {
        IReadOnlyList<string?> values = sysctl.ReadMany(new[] { ipv4, ipv6 });
        if (values[0] is null)
        {
            // Read raises the implementation's own "no such key" error, which names the namespace.
            sysctl.Read(ipv4);
            throw SysctlException.Create(Errno.ENOENT, ipv4, null, "this namespace", null);
        }
        // The IPv6 key is missing when the kernel runs without IPv6, or when a per-interface
        // key names an interface that has IPv6 disabled: both mean "not forwarding IPv6".
        bool ipv6On = values[1] is string v6 && SysctlClient.ParseInt64(ipv6, v6) != 0;
        return new ForwardingStatus(SysctlClient.ParseInt64(ipv4, values[0]!) != 0, ipv6On);
    }

    internal static void Set(ISysctlClient sysctl, NetfilterFamily family, string? interfaceName, bool on)
    {
        string value = on ? "1" : "0";
        var settings = new List<(SysctlKey, string)>(2);
        if (family is NetfilterFamily.IPv4 or NetfilterFamily.Inet)
        {
            settings.Add((interfaceName is null ? SysctlKey.IPv4Forward : SysctlKey.IPv4Forwarding(interfaceName), value));
        }
        if (family is NetfilterFamily.IPv6 or NetfilterFamily.Inet)
        {
            settings.Add((SysctlKey.IPv6Forwarding(interfaceName ?? SysctlKey.AllInterfaces), value));
        }
        if (settings.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "forwarding exists for IPv4, IPv6 and Inet (both)");
        }
        sysctl.WriteMany(settings);
    }
}
