namespace Netfilter.Net.Sysctl;

/// <summary>
/// IP forwarding over any <see cref="ISysctlClient"/>: the same reads and writes as
/// <see cref="Forwarding"/>, for code that takes the interface (and so runs against
/// <c>Netfilter.Net.Testing</c>'s in-memory sysctls in tests). See <see cref="Forwarding"/> for what
/// each key means.
/// </summary>
public static class ForwardingExtensions
{
    /// <summary>Whether the namespace forwards IPv4 and IPv6.</summary>
    /// <exception cref="SysctlException">The IPv4 keys cannot be read.</exception>
    public static ForwardingStatus GetForwardingStatus(this ISysctlClient sysctl) =>
        Forwarding.GetStatus(Checked(sysctl), SysctlKey.IPv4Forward, SysctlKey.IPv6Forwarding(SysctlKey.AllInterfaces));

    /// <summary>Whether packets received on <paramref name="interfaceName"/> are forwarded, per family.</summary>
    /// <exception cref="System.ArgumentException">The name cannot be an interface name.</exception>
    /// <exception cref="SysctlException">No such interface.</exception>
    public static ForwardingStatus GetForwardingStatus(this ISysctlClient sysctl, string interfaceName) =>
        Forwarding.GetStatus(Checked(sysctl), SysctlKey.IPv4Forwarding(interfaceName), SysctlKey.IPv6Forwarding(interfaceName));

    /// <summary>Turns forwarding on for <paramref name="family"/> (Inet: both), in the whole namespace or, with <paramref name="interfaceName"/>, for one interface.</summary>
    /// <exception cref="System.ArgumentOutOfRangeException">Another family.</exception>
    /// <exception cref="SysctlException">Not allowed, read-only, or no such interface; the message names the fix.</exception>
    public static void EnableForwarding(this ISysctlClient sysctl, NetfilterFamily family, string? interfaceName = null) =>
        Forwarding.Set(Checked(sysctl), family, interfaceName, true);

    /// <summary>Turns forwarding off for <paramref name="family"/> (Inet: both), in the whole namespace or for one interface.</summary>
    /// <exception cref="System.ArgumentOutOfRangeException">Another family.</exception>
    /// <exception cref="SysctlException">Not allowed, read-only, or no such interface.</exception>
    public static void DisableForwarding(this ISysctlClient sysctl, NetfilterFamily family, string? interfaceName = null) =>
        Forwarding.Set(Checked(sysctl), family, interfaceName, false);

    private static ISysctlClient Checked(ISysctlClient sysctl)
    {
        System.ArgumentNullException.ThrowIfNull(sysctl);
        return sysctl;
    }
}
