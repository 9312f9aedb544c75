namespace Netfilter.Net.Routing;

/// <summary>NETLINK_ROUTE message types for routes and policy rules (uapi linux/rtnetlink.h, RTM_*).</summary>
internal static class RoutingMessageType
{
    /// <summary>RTM_NEWLINK: an interface (the answer to RTM_GETLINK).</summary>
    public const ushort NewLink = 16;
    /// <summary>RTM_GETLINK: one interface by index, or with NLM_F_DUMP all of them.</summary>
    public const ushort GetLink = 18;
    /// <summary>RTM_NEWROUTE: add a route; also each route of a dump.</summary>
    public const ushort NewRoute = 24;
    /// <summary>RTM_DELROUTE.</summary>
    public const ushort DeleteRoute = 25;
    /// <summary>RTM_GETROUTE: with NLM_F_DUMP, list routes.</summary>
    public const ushort GetRoute = 26;
    /// <summary>RTM_NEWRULE: add a policy rule; also each rule of a dump.</summary>
    public const ushort NewRule = 32;
    /// <summary>RTM_DELRULE.</summary>
    public const ushort DeleteRule = 33;
    /// <summary>RTM_GETRULE: with NLM_F_DUMP, list policy rules.</summary>
    public const ushort GetRule = 34;

    public static string Name(ushort type) => type switch
    {
        NewLink => "RTM_NEWLINK",
        GetLink => "RTM_GETLINK",
        NewRoute => "RTM_NEWROUTE",
        DeleteRoute => "RTM_DELROUTE",
        GetRoute => "RTM_GETROUTE",
        NewRule => "RTM_NEWRULE",
        DeleteRule => "RTM_DELRULE",
        GetRule => "RTM_GETRULE",
        _ => $"rtnetlink message {type}",
    };
}
