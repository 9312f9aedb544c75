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
}
