namespace Netfilter.Net.Routing;

/// <summary>How far a route's destination is (uapi linux/rtnetlink.h, enum rt_scope_t).</summary>
public enum RouteScope : byte
{
    /// <summary>RT_SCOPE_UNIVERSE: anywhere (IPv6 routes always have this scope).</summary>
    Universe = 0,
    /// <summary>RT_SCOPE_SITE.</summary>
    Site = 200,
    /// <summary>RT_SCOPE_LINK: on a directly attached link.</summary>
    Link = 253,
    /// <summary>RT_SCOPE_HOST: on this host (IPv4 local routes).</summary>
    Host = 254,
    /// <summary>RT_SCOPE_NOWHERE: no destination.</summary>
    Nowhere = 255,
}
