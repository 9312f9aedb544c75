namespace Netfilter.Net.Sysctl;

/// <summary>
/// <c>net.ipv4.conf.*.route_localnet</c>: whether packets from or to 127.0.0.0/8 may be routed on
/// an interface other than lo. Needed for exactly one thing, and dangerous.
/// </summary>
/// <remarks>
/// <para><b>When it is needed.</b> DNAT of traffic that arrives on an external interface to a
/// loopback address (for example <c>dnat to 127.0.0.1:8080</c> for a service that listens on
/// localhost only). After the translation the kernel sees a packet from the outside to
/// 127.0.0.1 and drops it as a martian unless route_localnet is on for the interface it came
/// in on. Locally generated traffic (the <c>output</c> hook) does not need it.</para>
/// <para><b>Why it is dangerous (CVE-2020-8558).</b> With route_localnet on, the kernel also
/// accepts packets that <i>arrive</i> with a 127.x destination. Any host on the same link can
/// then reach every service bound to 127.0.0.1 (databases, admin APIs, the kubelet's
/// localhost ports — kube-proxy set it on all interfaces, which is how the CVE arose) simply by
/// addressing its packets to 127.0.0.1 and sending them to this host's MAC address.</para>
/// <para><b>Safer choices.</b> Prefer <c>redirect</c> (it translates to the primary address of
/// the incoming interface, not to loopback) or DNAT to a non-loopback address, and have the
/// service listen there. If you must enable it, enable it on the one ingress interface rather
/// than on <c>all</c>, and drop what was not translated, as Kubernetes' fix does:
/// <c>iifname != "lo" ip daddr 127.0.0.0/8 ct status != dnat drop</c> in a filter chain on
/// prerouting (or input).</para>
/// <para>The effective value for an interface is the OR of <c>conf.all.route_localnet</c> and
/// <c>conf.IF.route_localnet</c>.</para>
/// </remarks>
public static class RouteLocalnet
{
    /// <summary>Reads the setting for one interface (or <see cref="SysctlKey.AllInterfaces"/>).</summary>
    /// <param name="interfaceName">An interface name, "all" or "default".</param>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <exception cref="System.ArgumentException">The name cannot be an interface name.</exception>
    /// <exception cref="SysctlException">No such interface in the namespace.</exception>
    public static bool IsEnabled(string interfaceName, NetworkNamespace? networkNamespace = null) =>
        new SysctlClient(networkNamespace).ReadInt64(SysctlKey.RouteLocalnet(interfaceName)) != 0;

    /// <summary>Turns route_localnet on for one interface. Read the remarks on <see cref="RouteLocalnet"/> first.</summary>
    /// <param name="interfaceName">The ingress interface of the traffic to DNAT to 127.0.0.0/8 (avoid "all").</param>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <exception cref="System.ArgumentException">The name cannot be an interface name.</exception>
    /// <exception cref="SysctlException">No such interface, or not allowed.</exception>
    public static void Enable(string interfaceName, NetworkNamespace? networkNamespace = null) =>
        new SysctlClient(networkNamespace).Write(SysctlKey.RouteLocalnet(interfaceName), 1);

    /// <summary>Turns route_localnet off for one interface (or "all").</summary>
    /// <param name="interfaceName">An interface name, "all" or "default".</param>
    /// <param name="networkNamespace">The namespace; the caller's when null.</param>
    /// <exception cref="System.ArgumentException">The name cannot be an interface name.</exception>
    /// <exception cref="SysctlException">No such interface, or not allowed.</exception>
    public static void Disable(string interfaceName, NetworkNamespace? networkNamespace = null) =>
        new SysctlClient(networkNamespace).Write(SysctlKey.RouteLocalnet(interfaceName), 0);
}
