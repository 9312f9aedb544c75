namespace Netfilter.Net.NfTables;

/// <summary>nft's names of the families (libnftnl nftnl_family2str).</summary>
internal static class FamilyNames
{
    public static string Of(NetfilterFamily family) => family switch
    {
        NetfilterFamily.Inet => "inet",
        NetfilterFamily.IPv4 => "ip",
        NetfilterFamily.Arp => "arp",
        NetfilterFamily.Netdev => "netdev",
        NetfilterFamily.Bridge => "bridge",
        NetfilterFamily.IPv6 => "ip6",
        _ => "unknown",
    };

    /// <summary>The family nft names <paramref name="name"/> (ip, ip6, inet, arp, bridge, netdev).</summary>
    public static bool TryParse(string name, out NetfilterFamily family)
    {
        family = name switch
        {
            "inet" => NetfilterFamily.Inet,
            "ip" => NetfilterFamily.IPv4,
            "ip6" => NetfilterFamily.IPv6,
            "arp" => NetfilterFamily.Arp,
            "bridge" => NetfilterFamily.Bridge,
            "netdev" => NetfilterFamily.Netdev,
            _ => NetfilterFamily.Unspecified,
        };
        return family != NetfilterFamily.Unspecified;
    }
}
