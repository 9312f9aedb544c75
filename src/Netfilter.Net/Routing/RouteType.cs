namespace Netfilter.Net.Routing;

/// <summary>What a route does with a matching packet (uapi linux/rtnetlink.h, RTN_*).</summary>
public enum RouteType : byte
{
    /// <summary>RTN_UNSPEC.</summary>
    Unspecified = 0,
    /// <summary>RTN_UNICAST: forward through a gateway or a directly connected interface.</summary>
    Unicast = 1,
    /// <summary>RTN_LOCAL: deliver locally (this is what TPROXY's route table holds).</summary>
    Local = 2,
    /// <summary>RTN_BROADCAST: deliver locally as broadcast, send as broadcast.</summary>
    Broadcast = 3,
    /// <summary>RTN_ANYCAST: deliver locally as broadcast, send as unicast.</summary>
    Anycast = 4,
    /// <summary>RTN_MULTICAST.</summary>
    Multicast = 5,
    /// <summary>RTN_BLACKHOLE: drop silently.</summary>
    Blackhole = 6,
    /// <summary>RTN_UNREACHABLE: drop with "network unreachable".</summary>
    Unreachable = 7,
    /// <summary>RTN_PROHIBIT: drop with "administratively prohibited".</summary>
    Prohibit = 8,
    /// <summary>RTN_THROW: continue the lookup with the next policy rule.</summary>
    Throw = 9,
    /// <summary>RTN_NAT.</summary>
    Nat = 10,
    /// <summary>RTN_XRESOLVE.</summary>
    ExternalResolve = 11,
}
