namespace Netfilter.Net.Routing;

/// <summary>Route attributes (uapi linux/rtnetlink.h, enum rtattr_type_t). Integers are host order, addresses network order.</summary>
internal static class RouteAttribute
{
    /// <summary>RTA_DST: destination prefix address (4 or 16 bytes); its length is rtm_dst_len.</summary>
    public const ushort Destination = 1;
    /// <summary>RTA_SRC: source prefix address.</summary>
    public const ushort Source = 2;
    /// <summary>RTA_IIF: input interface index (u32).</summary>
    public const ushort InputInterface = 3;
    /// <summary>RTA_OIF: output interface index (u32).</summary>
    public const ushort OutputInterface = 4;
    /// <summary>RTA_GATEWAY: next-hop address.</summary>
    public const ushort Gateway = 5;
    /// <summary>RTA_PRIORITY: the route's metric (u32).</summary>
    public const ushort Priority = 6;
    /// <summary>RTA_PREFSRC: preferred source address.</summary>
    public const ushort PreferredSource = 7;
    /// <summary>RTA_TABLE: table id (u32); needed for ids above 255, which rtm_table cannot hold.</summary>
    public const ushort Table = 15;
}
