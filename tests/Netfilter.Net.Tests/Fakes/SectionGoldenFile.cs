using System.IO;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>
/// A golden file: bytes and text captured from a reference tool, with their provenance.
/// <code>
/// # free-text header: tool versions, the exact command, setup (kept in <see cref="Header"/>)
/// [section]            e.g. [add] (what the tool sent) or [list] (what the kernel dumped)
/// key: value           any number of keys; a key may repeat (debug: one line each)
/// bytes: 0c000100...   hex; repeated lines are concatenated
/// # comments inside a section (kept in <see cref="GoldenSection.Comments"/>)
/// </code>
/// Files live under Golden/ in the test output directory.
/// </summary>
internal sealed class SectionGoldenFile
{
    private readonly Dictionary<string, GoldenSection> _sections;

    private SectionGoldenFile(string name, IReadOnlyList<string> header, Dictionary<string, GoldenSection> sections)
    {
        Name = name;
        Header = header;
        _sections = sections;
    }

    /// <summary>The file's name, for messages.</summary>
    public string Name { get; }

    /// <summary>The comment lines before the first section, without the leading "# ".</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The section names, in file order.</summary>
    public IEnumerable<string> Sections => _sections.Keys;

    /// <summary>Loads Golden/<paramref name="relativePath"/> from the test output directory.</summary>
    public static SectionGoldenFile Load(string relativePath)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Golden", relativePath);
        return Parse(File.ReadAllText(path), relativePath);
    }

    /// <summary>Parses golden-file text.</summary>
    public static SectionGoldenFile Parse(string text, string name)
    {
        var header = new List<string>();
        var sections = new Dictionary<string, GoldenSection>(StringComparer.Ordinal);
        GoldenSection? current = null;
        int lineNumber = 0;
        foreach (string raw in text.Split('\n'))
        {
            lineNumber++;
            string line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith('#'))
            {
                string comment = line.Length > 1 && line[1] == ' ' ? line.Substring(2) : line.Substring(1);
                if (current is null)
                {
                    header.Add(comment);
                }
                else
                {
                    current.AddComment(comment);
                }
                continue;
            }
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                string sectionName = line.Substring(1, line.Length - 2);
                current = new GoldenSection(name, sectionName);
                if (!sections.TryAdd(sectionName, current))
                {
                    throw new FormatException($"{name}:{lineNumber}: section [{sectionName}] appears twice");
                }
                continue;
            }
            int colon = line.IndexOf(':');
            if (current is null || colon <= 0)
            {
                throw new FormatException($"{name}:{lineNumber}: expected '[section]' or 'key: value', got '{line}'");
            }
            string value = line.Substring(colon + 1);
            current.Add(line.Substring(0, colon), value.StartsWith(' ') ? value.Substring(1) : value);
        }
        return new SectionGoldenFile(name, header, sections);
    }

    /// <summary>True when the file has section <paramref name="name"/>.</summary>
    public bool Has(string name) => _sections.ContainsKey(name);

    /// <summary>Section <paramref name="name"/>; throws when it is missing.</summary>
    public GoldenSection Section(string name) =>
        _sections.TryGetValue(name, out GoldenSection? section) ? section : throw new KeyNotFoundException($"{Name} has no [{name}] section");

    /// <summary>The header line that starts with <paramref name="prefix"/> (e.g. "command:"), without it; null when absent.</summary>
    public string? HeaderValue(string prefix)
    {
        foreach (string line in Header)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line.Substring(prefix.Length).Trim();
            }
        }
        return null;
    }
}
