using System.Text;
using System.Text.RegularExpressions;

namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// <c>nft list ruleset</c> cut into its tables, with the one thing that differs between two
/// namespaces holding the same ruleset removed: the time left before a set element expires
/// (<c>expires 29s872ms</c>), which the kernel counts down and a recreated element restarts.
/// </summary>
internal sealed class RulesetListing
{
    private static readonly Regex s_expires = new(@" expires [0-9dhms]+", RegexOptions.CultureInvariant);
    private readonly Dictionary<(string Family, string Table), string> _tables = new();

    private RulesetListing(string text)
    {
        Text = s_expires.Replace(text, string.Empty);
        StringBuilder? current = null;
        (string, string) key = default;
        foreach (string line in Text.Split('\n'))
        {
            if (line.StartsWith("table ", StringComparison.Ordinal))
            {
                string[] words = line.Split(' ');
                key = (words[1], words.Length > 2 ? words[2] : string.Empty);
                current = new StringBuilder();
            }
            if (current is not null)
            {
                current.Append(line).Append('\n');
                if (line == "}")
                {
                    _tables[key] = current.ToString();
                    current = null;
                }
            }
        }
    }

    /// <summary>The normalized text.</summary>
    public string Text { get; }

    public static RulesetListing Parse(string text) => new(text);

    /// <summary>The listing of one table ("" when absent).</summary>
    public string TableText(string family, string table) => _tables.TryGetValue((family, table), out string? text) ? text : string.Empty;
}
