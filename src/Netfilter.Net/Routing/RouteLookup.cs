using System.Net;

namespace Netfilter.Net.Routing;

/// <summary>
/// The kernel's answer to "how would a packet to this address leave?" (<c>ip route get ADDRESS</c>):
/// what the chosen route does, through which interface and next hop, and which source address
/// this host would use.
/// </summary>
/// <param name="Destination">The address asked about.</param>
/// <param name="Type">RTN_LOCAL: the address is this host's own; RTN_UNICAST: it is reached through <paramref name="OutputInterface"/>.</param>
/// <param name="OutputInterfaceIndex">RTA_OIF, when the route has one.</param>
/// <param name="OutputInterface">The name of that interface (RTM_GETLINK), when known.</param>
/// <param name="Gateway">RTA_GATEWAY: the next hop; null when the destination is on a directly connected network.</param>
/// <param name="PreferredSource">RTA_PREFSRC: the source address this host would use toward it.</param>
internal sealed record RouteLookup(IPAddress Destination, RouteType Type, int? OutputInterfaceIndex, string? OutputInterface, IPAddress? Gateway, IPAddress? PreferredSource)
{
    /// <summary>True when the destination is one of this host's own addresses (or loopback).</summary>
    public bool IsLocal => Type == RouteType.Local;

    /// <summary>True when the destination is on a network this host is attached to (no gateway in between).</summary>
    public bool IsDirectlyConnected => Type == RouteType.Unicast && Gateway is null;
}
