using System.IO;
using System.Text;

namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// Reads nftables' own tests/py corpus (the <c>.t</c> files, format in
/// /work/shared/conformance/FORMAT.md section 1) where it is present: it is reference data
/// that the repository never copies. Each file becomes one group; each <c>;ok</c> rule line one
/// step whose targets are every chain of every table declared so far (1716 cases for the
/// v1.0.6 corpus). Set, element and object lines become setup scripts, run in file order, the
/// way nft-test.py runs them (lines marked <c>;fail</c> included, their outcome ignored).
/// </summary>
internal static class UpstreamCorpus
{
    /// <summary>
    /// The folder named by the environment variable NFNET_UPSTREAM_CORPUS (for a checkout that
    /// does not sit beside it, such as a worktree), else <c>../shared/conformance/nft-tests-py</c>
    /// beside the repository root (the folder holding Netfilter.Net.sln, found by walking up from
    /// the test assembly); null when absent.
    /// </summary>
    public static string? Locate()
    {
        if (Environment.GetEnvironmentVariable("NFNET_UPSTREAM_CORPUS") is { Length: > 0 } named)
        {
            return Directory.Exists(named) ? Path.GetFullPath(named) : null;
        }
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Netfilter.Net.sln")))
            {
                string corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance", "nft-tests-py"));
                return Directory.Exists(corpus) ? corpus : null;
            }
        }
        return null;
    }

    /// <summary>Every .t file under <paramref name="root"/>, by relative path ("ip/sets.t"), in ordinal order.</summary>
    public static IReadOnlyList<CorpusGroup> Load(string root) =>
        Directory.EnumerateFiles(root, "*.t", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => LoadFile(root, f))
            .ToList();

    public static CorpusGroup LoadFile(string root, string relativePath)
    {
        var chainSpecs = new Dictionary<string, string>(StringComparer.Ordinal);
        var tables = new List<(string Family, string Table, string[] Chains)>();
        var items = new List<object>();
        string[] lines = File.ReadAllLines(Path.Combine(root, relativePath));
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string where = $"{relativePath}:{i + 1}";
            if (line.Trim().Length == 0)
            {
                continue;
            }
            switch (line[0])
            {
                case '#':
                case '-': // "needs fix" lines: nft-test.py runs them only with -e
                    continue;
                case ':':
                    {
                        // :<chain>;<chain spec>
                        string[] parts = line[1..].Split(';', 2);
                        chainSpecs[parts[0].Trim()] = parts[1].Trim();
                        continue;
                    }
                case '*':
                    {
                        // *<family>;<table>;<chain>[,<chain>...]
                        string[] parts = line[1..].Split(';');
                        string family = parts[0].Trim(), table = parts[1].Trim();
                        string[] chains = parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                        var script = new StringBuilder($"add table {family} {table}\n");
                        foreach (string chain in chains)
                        {
                            if (!chainSpecs.TryGetValue(chain, out string? spec))
                            {
                                throw new FormatException($"{where}: chain {chain} was not declared with a ':' line");
                            }
                            script.Append($"add chain {family} {table} {chain} {{ {spec}; }}\n");
                        }
                        tables.Add((family, table, chains));
                        items.Add(new CorpusSetup(where, script.ToString(), MustSucceed: true));
                        continue;
                    }
                case '!':
                    {
                        (string body, bool ok) = SplitStatus(line[1..]);
                        string name = body.Split(' ', 2)[0];
                        string declaration = SetDeclaration(body[name.Length..].Trim(), out bool isMap);
                        foreach ((string family, string table, _) in tables)
                        {
                            items.Add(new CorpusSetup(where, $"add {(isMap ? "map" : "set")} {family} {table} {name} {{ {declaration} }}\n", ok));
                        }
                        continue;
                    }
                case '?':
                    {
                        (string body, bool ok) = SplitStatus(line[1..]);
                        string set = body.Split(' ', 2)[0];
                        string elements = body[set.Length..].Trim();
                        foreach ((string family, string table, _) in tables)
                        {
                            items.Add(new CorpusSetup(where, $"add element {family} {table} {set} {{ {elements} }}\n", ok));
                        }
                        continue;
                    }
                case '%':
                    {
                        // %<name> type <objtype> [spec];ok — the status follows the last "};" when the line has a '}'.
                        int statusAt = line.Contains('}') ? line.LastIndexOf("};", StringComparison.Ordinal) + 1 : line.LastIndexOf(';');
                        string body = line[1..statusAt].Trim();
                        bool ok = line[(statusAt + 1)..].Trim() == "ok";
                        string[] words = body.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        string name = words[0];
                        int typeWords = words.Length > 3 && words[2] == "ct" ? 2 : 1;
                        string objectType = string.Join(' ', words.Skip(2).Take(typeWords));
                        string spec = string.Join(' ', words.Skip(2 + typeWords));
                        foreach ((string family, string table, _) in tables)
                        {
                            items.Add(new CorpusSetup(where, $"add {objectType} {family} {table} {name} {spec}\n", ok));
                        }
                        continue;
                    }
            }
            // <rule>;ok[;<expected listing>] or <rule>;fail
            string[] fields = line.Split(';');
            if (fields.Length is < 2 or > 3 || fields[1].Trim() != "ok")
            {
                continue;
            }
            var targets = tables.SelectMany(t => t.Chains.Select(c => new CorpusTarget(t.Family, t.Table, c))).ToList();
            items.Add(new CorpusStep(relativePath, i + 1, fields[0].Trim(), targets));
        }
        return new CorpusGroup(relativePath, tables.Select(t => (t.Family, t.Table)).ToList(), items);
    }

    private static (string Body, bool Ok) SplitStatus(string text)
    {
        int at = text.LastIndexOf(';');
        return at < 0 ? (text.Trim(), false) : (text[..at].Trim(), text[(at + 1)..].Trim() == "ok");
    }

    /// <summary>"type T [timeout X] [flags F]" or "typeof E ..." → "type T; timeout X; flags F;" (nft-test.py's set command).</summary>
    private static string SetDeclaration(string spec, out bool isMap)
    {
        string? timeout = null, flags = null;
        string type = spec;
        int flagsAt = spec.IndexOf(" flags ", StringComparison.Ordinal);
        int timeoutAt = spec.IndexOf(" timeout ", StringComparison.Ordinal);
        if (flagsAt >= 0)
        {
            int end = timeoutAt > flagsAt ? timeoutAt : spec.Length;
            flags = spec[(flagsAt + 7)..end].Trim();
        }
        if (timeoutAt >= 0)
        {
            int end = flagsAt > timeoutAt ? flagsAt : spec.Length;
            timeout = spec[(timeoutAt + 9)..end].Trim();
        }
        int typeEnd = new[] { flagsAt, timeoutAt, spec.Length }.Where(x => x >= 0).Min();
        type = spec[..typeEnd].Trim();
        isMap = type.Contains(" : ", StringComparison.Ordinal);
        var sb = new StringBuilder(type).Append(';');
        if (timeout is not null)
        {
            sb.Append(" timeout ").Append(timeout).Append(';');
        }
        if (flags is not null)
        {
            sb.Append(" flags ").Append(flags).Append(';');
        }
        return sb.ToString();
    }
}
