namespace Netfilter.Net.Sysctl;

/// <summary>Whether IPv4 and IPv6 packets are forwarded, as <see cref="Forwarding"/> reads it.</summary>
/// <param name="IPv4">
/// For the namespace: <c>net.ipv4.ip_forward</c> is on. For one interface:
/// <c>net.ipv4.conf.IF.forwarding</c> is on (packets received there may be forwarded).
/// </param>
/// <param name="IPv6">
/// For the namespace: <c>net.ipv6.conf.all.forwarding</c> is on. For one interface:
/// <c>net.ipv6.conf.IF.forwarding</c>. False as well when the kernel has no IPv6.
/// </param>
public sealed record ForwardingStatus(bool IPv4, bool IPv6)
{
    /// <summary>The state for one family; for <see cref="NetfilterFamily.Inet"/>, true only when both are on.</summary>
    /// <exception cref="System.ArgumentOutOfRangeException">The family is not IPv4, IPv6 or Inet.</exception>
    public bool IsEnabled(NetfilterFamily family) => family switch
    {
        NetfilterFamily.IPv4 => IPv4,
        NetfilterFamily.IPv6 => IPv6,
        NetfilterFamily.Inet => IPv4 && IPv6,
        _ => throw new System.ArgumentOutOfRangeException(nameof(family), family, "forwarding exists for IPv4, IPv6 and Inet (both)"),
    };
}
