namespace Netfilter.Net.NfTables;

/// <summary>nft's names of the families (libnftnl nftnl_family2str).</summary>
internal static class FamilyNames
{
    public static string Of(ProtocolFamily family) => family switch
    {
        ProtocolFamily.Inet => "inet",
        ProtocolFamily.IPv4 => "ip",
        ProtocolFamily.Arp => "arp",
        ProtocolFamily.Netdev => "netdev",
        ProtocolFamily.Bridge => "bridge",
        ProtocolFamily.IPv6 => "ip6",
        _ => "unknown",
    };

    /// <summary>The family nft names <paramref name="name"/> (ip, ip6, inet, arp, bridge, netdev).</summary>
    public static bool TryParse(string name, out ProtocolFamily family)
    {
        family = name switch
        {
            "inet" => ProtocolFamily.Inet,
            "ip" => ProtocolFamily.IPv4,
            "ip6" => ProtocolFamily.IPv6,
            "arp" => ProtocolFamily.Arp,
            "bridge" => ProtocolFamily.Bridge,
            "netdev" => ProtocolFamily.Netdev,
            _ => ProtocolFamily.Unspecified,
        };
        return family != ProtocolFamily.Unspecified;
    }
}
