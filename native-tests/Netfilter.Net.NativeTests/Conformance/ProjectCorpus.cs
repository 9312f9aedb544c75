using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// Reads the project's own corpus (Corpus/rules.txt, format documented at the top of that file)
/// into groups: one table "t" per family, the group's declarations as setup scripts, and one
/// step per rule line.
/// </summary>
internal static class ProjectCorpus
{
    public const string TableName = "t";

    private static readonly string[] s_defaultFamilies = { "ip", "ip6", "inet" };
    private static readonly Regex s_case = new(@"^(?<families>\*|[a-z0-9]+(,[a-z0-9]+)*)\|(?<chain>[A-Za-z0-9_.-]+)\|(?<rule>.+)$", RegexOptions.CultureInvariant);

    /// <summary>The corpus file copied beside the test assembly.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Corpus", "rules.txt");

    public static IReadOnlyList<CorpusGroup> Load(string path)
    {
        string fileName = Path.GetFileName(path);
        var groups = new List<CorpusGroup>();
        string? name = null;
        List<string> families = new(s_defaultFamilies);
        var items = new List<object>();
        var pending = new List<(string[]? Families, string Declaration)>();
        int pendingLine = 0;
        string[]? forFamilies = null;
        string? needs = null;

        void FlushDeclarations()
        {
            if (pending.Count == 0)
            {
                return;
            }
            var script = new StringBuilder();
            foreach (string family in families)
            {
                script.Append("table ").Append(family).Append(' ').Append(TableName).Append(" {\n");
                foreach ((string[]? only, string declaration) in pending)
                {
                    if (only is null || only.Contains(family))
                    {
                        script.Append('\t').Append(declaration).Append('\n');
                    }
                }
                script.Append("}\n");
            }
            items.Add(new CorpusSetup($"{fileName}:{pendingLine} [{name}]", script.ToString(), MustSucceed: true));
            pending.Clear();
        }

        void EndGroup()
        {
            if (name is null)
            {
                return;
            }
            FlushDeclarations();
            if (forFamilies is not null || needs is not null)
            {
                throw new FormatException($"{fileName}: group [{name}] ends with a dangling 'for:' or 'needs:'");
            }
            groups.Add(new CorpusGroup($"{fileName} [{name}]", families.Select(f => (f, TableName)).ToList(), items.ToList()));
            items.Clear();
        }

        string[] lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            int lineNumber = i + 1;
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                EndGroup();
                name = line[1..^1];
                families = new List<string>(s_defaultFamilies);
                continue;
            }
            if (name is null)
            {
                throw new FormatException($"{fileName}:{lineNumber}: a line before the first [group]");
            }
            if (line.StartsWith("families:", StringComparison.Ordinal))
            {
                if (items.Count > 0 || pending.Count > 0)
                {
                    throw new FormatException($"{fileName}:{lineNumber}: 'families:' must come before the group's declarations and cases");
                }
                families = line["families:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
                continue;
            }
            if (line.StartsWith("for:", StringComparison.Ordinal))
            {
                forFamilies = line["for:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                continue;
            }
            if (line.StartsWith("needs:", StringComparison.Ordinal))
            {
                needs = line["needs:".Length..].Trim();
                continue;
            }
            Match m = s_case.Match(line);
            if (m.Success)
            {
                if (forFamilies is not null)
                {
                    throw new FormatException($"{fileName}:{lineNumber}: 'for:' applies to declarations, not cases");
                }
                FlushDeclarations();
                string[] caseFamilies = m.Groups["families"].Value == "*" ? families.ToArray() : m.Groups["families"].Value.Split(',');
                foreach (string family in caseFamilies)
                {
                    if (!families.Contains(family))
                    {
                        throw new FormatException($"{fileName}:{lineNumber}: family {family} is not one of group [{name}]'s ({string.Join(' ', families)})");
                    }
                }
                string chain = m.Groups["chain"].Value;
                var targets = caseFamilies.Select(f => new CorpusTarget(f, TableName, chain)).ToList();
                items.Add(new CorpusStep($"{fileName} [{name}]", lineNumber, m.Groups["rule"].Value.Trim(), targets, needs));
                needs = null;
                continue;
            }
            if (needs is not null)
            {
                throw new FormatException($"{fileName}:{lineNumber}: 'needs:' applies to a case line");
            }
            if (pending.Count == 0)
            {
                pendingLine = lineNumber;
            }
            pending.Add((forFamilies, line));
            forFamilies = null;
        }
        EndGroup();
        return groups;
    }
}
