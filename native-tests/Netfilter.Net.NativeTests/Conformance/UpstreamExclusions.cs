using System.IO;
namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// The checked-in list of upstream cases the conformance test does not require
/// (upstream-exclusions.txt): one line per exclusion, <c>file|rule|reason</c>, where file is
/// the .t path ("ip/sets.t"), optionally narrowed to the tables of one family with
/// "@family" ("inet/tcp.t@netdev"), rule is the rule text exactly as in the .t file, and reason
/// says why (nft 1.0.6 rejects it on this machine, a kernel limitation). A rule may contain '|'
/// (bitwise or): the first '|' ends the file, the last one starts the reason.
/// </summary>
internal sealed class UpstreamExclusions
{
    private readonly Dictionary<(string File, string? Family, string Rule), string> _reasons = new();
    private readonly HashSet<(string, string?, string)> _used = new();

    public UpstreamExclusions(IEnumerable<string> lines)
    {
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            int first = line.IndexOf('|');
            int last = line.LastIndexOf('|');
            if (first < 0 || last == first)
            {
                throw new FormatException($"upstream-exclusions.txt:{number}: expected file|rule|reason");
            }
            string fileSpec = line[..first].Trim();
            string rule = line[(first + 1)..last].Trim();
            string reason = line[(last + 1)..].Trim();
            if (reason.Length == 0)
            {
                throw new FormatException($"upstream-exclusions.txt:{number}: an exclusion needs a reason");
            }
            string? family = null;
            int at = fileSpec.IndexOf('@');
            if (at >= 0)
            {
                family = fileSpec[(at + 1)..];
                fileSpec = fileSpec[..at];
            }
            if (!_reasons.TryAdd((fileSpec, family, rule), reason))
            {
                throw new FormatException($"upstream-exclusions.txt:{number}: duplicate exclusion");
            }
        }
    }

    /// <summary>The file beside the test assembly.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Conformance", "upstream-exclusions.txt");

    public static UpstreamExclusions Load(string path) => new(File.ReadAllLines(path));

    public int Count => _reasons.Count;

    /// <summary>The reason <paramref name="rule"/> of <paramref name="file"/> is excluded in a table of <paramref name="family"/>, or null.</summary>
    public string? ReasonFor(string file, string family, string rule)
    {
        lock (_used)
        {
            if (_reasons.TryGetValue((file, family, rule), out string? reason))
            {
                _used.Add((file, family, rule));
                return reason;
            }
            if (_reasons.TryGetValue((file, null, rule), out reason))
            {
                _used.Add((file, null, rule));
                return reason;
            }
            return null;
        }
    }

    /// <summary>Exclusions no case asked about (the rule text changed, or the file is gone): shown so they get removed.</summary>
    public IEnumerable<string> Unused()
    {
        lock (_used)
        {
            return _reasons.Keys.Where(k => !_used.Contains(k)).Select(k => $"{k.File}{(k.Family is null ? "" : "@" + k.Family)}|{k.Rule}").ToList();
        }
    }
}
