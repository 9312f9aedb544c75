namespace Netfilter.Net.NfTables;

/// <summary>A family's name in the library's messages: nft's name (<see cref="NftNames.Family"/>), or "unknown".</summary>
internal static class FamilyNames
{
    public static string Of(NetfilterFamily family) => NftNames.Family(family) ?? "unknown";
}
