namespace Netfilter.Net.Tests.Fakes;

/// <summary>One [section] of a <see cref="SectionGoldenFile"/>: keys with one or more values each.</summary>
internal sealed class GoldenSection
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly List<string> _comments = new();
    private readonly string _file;

    public GoldenSection(string file, string name)
    {
        _file = file;
        Name = name;
    }

    /// <summary>The section name, e.g. "add".</summary>
    public string Name { get; }

    /// <summary>The section's comment lines, without the leading "# " (e.g. "command: nft ...").</summary>
    public IReadOnlyList<string> Comments => _comments;

    /// <summary>The keys the section has, in the order they first appear.</summary>
    public IEnumerable<string> Keys => _values.Keys;

    internal void AddComment(string comment) => _comments.Add(comment);

    internal void Add(string key, string value)
    {
        if (!_values.TryGetValue(key, out List<string>? list))
        {
            _values[key] = list = new List<string>();
        }
        list.Add(value);
    }

    /// <summary>Every value of <paramref name="key"/>, in file order (empty when the key is absent).</summary>
    public IReadOnlyList<string> Values(string key) => _values.TryGetValue(key, out List<string>? list) ? list : Array.Empty<string>();

    /// <summary>The single value of <paramref name="key"/>; throws when it is absent or repeated.</summary>
    public string Value(string key)
    {
        IReadOnlyList<string> values = Values(key);
        return values.Count == 1 ? values[0] : throw new KeyNotFoundException($"{_file} [{Name}]: expected one '{key}:' line, found {values.Count}");
    }

    /// <summary>True when <paramref name="key"/> has at least one value.</summary>
    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>The hex lines of <paramref name="key"/> concatenated and decoded.</summary>
    public byte[] Bytes(string key = "bytes") => Convert.FromHexString(string.Concat(Values(key)));
}
