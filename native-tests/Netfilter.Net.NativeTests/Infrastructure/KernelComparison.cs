using System.Text.RegularExpressions;
using Netfilter.Net.NfTables;
using Netfilter.Net.TestSupport;

namespace Netfilter.Net.NativeTests.Infrastructure;

/// <summary>
/// The two comparisons the conformance tests make, for one whole namespace: (a) the library's
/// rendering of what it decoded (<see cref="NftDebugFormatter"/>) against the debug part of
/// <c>nft --debug=netlink list ruleset</c>, and (b) after <see cref="NfTablesTransaction.Recreate"/>
/// into a fresh namespace, <c>nft list ruleset</c> of both, with the time left on expiring set
/// elements removed (the kernel counts it down; a recreated element restarts it). Each returns
/// null when equal, else where the texts part and both texts (<see cref="TextDiff"/>). Plain C#: the
/// kernel suite (native-tests/kernels) compiles this file too.
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

    private static string? Describe(string expectedLabel, string expected, string actualLabel, string actual) =>
        TextDiff.Describe(expectedLabel, expected, actualLabel, actual, maxLines: 200);
}
