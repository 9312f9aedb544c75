namespace Netfilter.Net.Diagnostics;

/// <summary>Turn IP forwarding on for a family in the fix's namespace: <c>Forwarding.Enable(Family, ns)</c>.</summary>
/// <param name="Family"><see cref="NetfilterFamily.IPv4"/> (net.ipv4.ip_forward) or <see cref="NetfilterFamily.IPv6"/> (net.ipv6.conf.all.forwarding).</param>
public sealed record EnableForwardingFix(NetfilterFamily Family) : DoctorFix
{
    /// <inheritdoc/>
    public override string Description => $"turn {(Family == NetfilterFamily.IPv6 ? "IPv6" : "IPv4")} forwarding on{InNamespace}";
}
