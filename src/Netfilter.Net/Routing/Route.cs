using System.Globalization;
using System.Net;
using System.Text;

namespace Netfilter.Net.Routing;

/// <summary>
/// A route in one routing table (<c>ip route</c>), as far as this library reads them: type,
/// destination prefix, output interface, gateway, metric. Read back from the kernel by
/// <see cref="Sockets.TproxyRouting"/>.
/// </summary>
public sealed record Route
{
    /// <summary>IPv4 or IPv6.</summary>
    public NetfilterFamily Family { get; init; }

    /// <summary>The table the route is in (RTA_TABLE, or rtm_table for ids below 256).</summary>
    public uint Table { get; init; }

    /// <summary>What the route does (<see cref="RouteType.Local"/>: deliver to this host).</summary>
    public RouteType Type { get; init; } = RouteType.Unicast;

    /// <summary>The route's scope.</summary>
    public RouteScope Scope { get; init; }

    /// <summary>Who installed it.</summary>
    public RouteProtocol Protocol { get; init; } = RouteProtocol.Boot;

    /// <summary>The destination prefix; /0 is the default route.</summary>
    public required IPNetwork Destination { get; init; }

    /// <summary>RTA_OIF: the output interface index (1 is always lo), or null.</summary>
    public int? OutputInterfaceIndex { get; init; }

    /// <summary>RTA_GATEWAY: the next hop, or null.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>RTA_PRIORITY: the metric, or null (IPv6 routes get 1024 by default).</summary>
    public uint? Metric { get; init; }

    /// <summary>The route in ip(8)'s words, with the interface as an index: <c>local default oif 1 scope host table 100</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Type != RouteType.Unicast)
        {
            text.Append(Type.ToString().ToLowerInvariant()).Append(' ');
        }
        text.Append(Destination.PrefixLength == 0 ? "default" : Destination.ToString());
        if (Gateway is not null)
        {
            text.Append(" via ").Append(Gateway);
        }
        if (OutputInterfaceIndex is int oif)
        {
            text.Append(CultureInfo.InvariantCulture, $" oif {oif}");
        }
        if (Scope != RouteScope.Universe)
        {
            text.Append(" scope ").Append(Scope.ToString().ToLowerInvariant());
        }
        if (Metric is uint metric)
        {
            text.Append(CultureInfo.InvariantCulture, $" metric {metric}");
        }
        text.Append(" table ").Append(RouteTable.Name(Table));
        return text.ToString();
    }
}
