namespace Netfilter.Net.Routing;

/// <summary>Reserved routing table ids (uapi linux/rtnetlink.h, enum rt_class_t).</summary>
public static class RouteTable
{
    /// <summary>RT_TABLE_UNSPEC.</summary>
    public const uint Unspecified = 0;
    /// <summary>RT_TABLE_COMPAT.</summary>
    public const uint Compat = 252;
    /// <summary>RT_TABLE_DEFAULT ("default").</summary>
    public const uint Default = 253;
    /// <summary>RT_TABLE_MAIN ("main"): where ordinary routes live.</summary>
    public const uint Main = 254;
    /// <summary>RT_TABLE_LOCAL ("local"): the kernel's routes for the host's own addresses.</summary>
    public const uint Local = 255;

    /// <summary>True for ids the kernel or iproute2 reserve (0 and 252–255); a table of your own uses another id.</summary>
    public static bool IsReserved(uint table) => table is Unspecified or (>= Compat and <= Local);

    /// <summary>The name ip(8) prints for a table: "local", "main", "default", or the number.</summary>
    public static string Name(uint table) => table switch
    {
        Local => "local",
        Main => "main",
        Default => "default",
        _ => table.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
