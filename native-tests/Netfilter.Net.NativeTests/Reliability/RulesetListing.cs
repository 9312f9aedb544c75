using System.Text.RegularExpressions;

namespace Netfilter.Net.NativeTests.Reliability;

/// <summary>
/// <c>nft list ruleset</c> in a form two equal rulesets share however they were built: a set's
/// elements are listed in the order of the kernel's hash table, which differs between two
/// creations of the same set, so the elements of each set are sorted. Everything else (tables,
/// chains, rules, set definitions) is compared exactly as nft prints it.
/// </summary>
public static partial class RulesetListing
{
    [GeneratedRegex(@"elements = \{(?<body>[^}]*)\}", RegexOptions.Singleline)]
    private static partial Regex Elements();

    public static string Canonical(string listing) => Elements().Replace(listing, m =>
    {
        string[] entries = m.Groups["body"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Array.Sort(entries, StringComparer.Ordinal);
        return "elements = { " + string.Join(", ", entries) + " }";
    });

    /// <summary>How many elements each set holds, for a message about a state that is neither old nor new.</summary>
    public static string Summary(string canonical) => string.Join("; ", Elements().Matches(canonical)
        .Select(m => m.Groups["body"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries).Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " elements"))
        + $"; {canonical.Split('\n').Length} lines";
}
