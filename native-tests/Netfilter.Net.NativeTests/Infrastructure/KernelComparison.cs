using System.Text;
using System.Text.RegularExpressions;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.Infrastructure;

/// <summary>
/// The two comparisons the conformance tests make, for one whole namespace: (a) the library's
/// rendering of what it decoded (<see cref="NftDebugFormatter"/>) against the debug part of
/// <c>nft --debug=netlink list ruleset</c>, and (b) after <see cref="NfTablesTransaction.Recreate"/>
/// into a fresh namespace, <c>nft list ruleset</c> of both, with the time left on expiring set
/// elements removed (the kernel counts it down; a recreated element restarts it). Each returns
/// null when equal, else where the texts part and both texts. Plain C#: the kernel suite
/// (native-tests/kernels) compiles this file too.
/// </summary>
public static class KernelComparison
{
    private static readonly Regex s_expires = new(@" expires [0-9dhms]+", RegexOptions.CultureInvariant);

    /// <summary>(a): null when the library renders <paramref name="ruleset"/> exactly as nft's debug dump of <paramref name="ns"/>.</summary>
    public static string? DecodeDifference(TestNamespace ns, Ruleset ruleset) =>
        Describe("nft --debug=netlink", NftOracle.DebugNetlink(ns), "library", NftDebugFormatter.Render(ruleset));

    /// <summary>(b): null when <c>nft list ruleset</c> of <paramref name="target"/> equals that of <paramref name="source"/>.</summary>
    public static string? ListingDifference(TestNamespace source, TestNamespace target) =>
        Describe("source", Normalize(NftOracle.ListRuleset(source)), "recreated", Normalize(NftOracle.ListRuleset(target)));

    /// <summary>The listing without expiration countdowns.</summary>
    public static string Normalize(string listing) => s_expires.Replace(listing, string.Empty);

    /// <summary>Null when equal; otherwise the first differing line of each and both texts.</summary>
    public static string? Describe(string expectedLabel, string expected, string actualLabel, string actual)
    {
        if (expected == actual)
        {
            return null;
        }
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        int i = 0;
        while (i < e.Length && i < a.Length && e[i] == a[i])
        {
            i++;
        }
        var sb = new StringBuilder();
        sb.Append("first difference at line ").Append(i + 1).Append('\n');
        sb.Append("    ").Append(expectedLabel).Append(": «").Append(i < e.Length ? e[i].Replace("\t", "\\t") : "(end of text)").Append("»\n");
        sb.Append("    ").Append(actualLabel).Append(": «").Append(i < a.Length ? a[i].Replace("\t", "\\t") : "(end of text)").Append("»\n");
        Append(sb, expectedLabel, e);
        Append(sb, actualLabel, a);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string label, string[] lines)
    {
        sb.Append("    --- ").Append(label).Append(" ---\n");
        foreach (string line in lines.Take(200))
        {
            sb.Append("    | ").Append(line.Replace("\t", "\\t")).Append('\n');
        }
    }
}
