namespace Netfilter.Net.NativeTests.Infrastructure;

/// <summary>Reads nft's own view of a namespace's ruleset: the oracle for decoding and for meaning.</summary>
public static class NftOracle
{
    /// <summary>
    /// The debug part of <c>nft --debug=netlink list ruleset</c>: everything before the listing
    /// (which starts at the first line beginning with "table ").
    /// </summary>
    public static string DebugNetlink(TestNamespace ns)
    {
        string output = ns.Nft("--debug=netlink", "list", "ruleset");
        int listing = output.StartsWith("table ", StringComparison.Ordinal) ? 0 : output.IndexOf("\ntable ", StringComparison.Ordinal);
        return listing < 0 ? output : output.Substring(0, listing == 0 ? 0 : listing + 1);
    }

    /// <summary><c>nft list ruleset</c>.</summary>
    public static string ListRuleset(TestNamespace ns) => ns.Nft("list", "ruleset");
}
