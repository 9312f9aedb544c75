namespace Netfilter.Net.Nat;

/// <summary>What stops a rule from working on this host (<see cref="NatWarning.Kind"/>).</summary>
public enum NatWarningKind
{
    /// <summary>
    /// A forward sends to another host, but forwarding is off for its family
    /// (<see cref="NatWarning.Family"/>): nothing passes until <c>Forwarding.Enable(family, ns)</c>.
    /// </summary>
    ForwardingOff,

    /// <summary>
    /// A forward sends to 127.0.0.0/8, which the kernel drops for packets from other hosts while
    /// <c>net.ipv4.conf.all.route_localnet</c> is 0. <c>RouteLocalnet</c> can enable it (read its
    /// CVE-2020-8558 warning first); a <see cref="RedirectRule"/> to the local port is usually better.
    /// </summary>
    LoopbackTarget,
}
