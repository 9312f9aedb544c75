using System;
using System.Text;

namespace Netfilter.Net.TestSupport;

/// <summary>
/// A readable account of where two texts part: the first differing line of each, with its number.
/// The one text diff of the test projects (tests/, native-tests/ and the kernel suite link this
/// file): plain C#, no test framework.
/// </summary>
internal static class TextDiff
{
    /// <summary>Null when equal; otherwise "line N: expected «…» / actual «…»" and both texts, indented.</summary>
    public static string? Describe(string expectedLabel, string expected, string actualLabel, string actual, int maxLines = 40)
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
        sb.Append("    ").Append(expectedLabel).Append(": ").Append(i < e.Length ? Quote(e[i]) : "(end of text)").Append('\n');
        sb.Append("    ").Append(actualLabel).Append(": ").Append(i < a.Length ? Quote(a[i]) : "(end of text)").Append('\n');
        AppendText(sb, expectedLabel, e, maxLines);
        AppendText(sb, actualLabel, a, maxLines);
        return sb.ToString();
    }

    private static void AppendText(StringBuilder sb, string label, string[] lines, int maxLines)
    {
        sb.Append("    --- ").Append(label).Append(" ---\n");
        int count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        for (int i = 0; i < count && i < maxLines; i++)
        {
            sb.Append("    | ").Append(lines[i].Replace("\t", "\\t")).Append('\n');
        }
        if (count > maxLines)
        {
            sb.Append("    | ... ").Append(count - maxLines).Append(" more lines\n");
        }
    }

    // Tabs and trailing blanks matter in nft's debug text: make them visible.
    private static string Quote(string line) => "«" + line.Replace("\t", "\\t") + "»";
}
