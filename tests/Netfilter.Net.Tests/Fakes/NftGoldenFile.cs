using System.Globalization;
using System.IO;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>
/// A golden capture of one nft rule (Golden/nftables/*.golden, written by
/// native-tests/capture/capture-nft-expressions.py), in the layout of <see cref="SectionGoldenFile"/>
/// (which reads it) with one expression per "bytes:" line:
/// <code>
/// # free comments (provenance: tool versions, setup)
/// [add]                                  what nft sent (add path)
/// # command: nft --debug=netlink add rule ...
/// debug: [ meta load mark =&gt; reg 1 ]     one line per expression, as nft printed it
/// bytes: 2400018009000100...             one NFTA_LIST_ELEM of NFTA_RULE_EXPRESSIONS per line
/// [list]                                 what the kernel dumped back (list path)
/// # command: nft --debug=netlink list chain ...
/// debug: ...
/// bytes: ...
/// </code>
/// </summary>
internal sealed class NftGoldenFile
{
    private NftGoldenFile(string name, IReadOnlyDictionary<string, NftGoldenSection> sections)
    {
        Name = name;
        Sections = sections;
    }

    /// <summary>The file name without extension.</summary>
    public string Name { get; }

    /// <summary>Sections by title ("add", "list").</summary>
    public IReadOnlyDictionary<string, NftGoldenSection> Sections { get; }

    /// <summary>The add path: what nft sent.</summary>
    public NftGoldenSection Add => Section("add");

    /// <summary>The list path: what the kernel dumped.</summary>
    public NftGoldenSection List => Section("list");

    /// <summary>The directory the golden files are copied to.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Golden", "nftables");

    /// <summary>All golden case names.</summary>
    public static IEnumerable<string> AllNames() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.golden").Select(p => Path.GetFileNameWithoutExtension(p)!).Order(StringComparer.Ordinal);

    /// <summary>Loads Golden/nftables/<paramref name="name"/>.golden (read by <see cref="SectionGoldenFile"/>, the one golden-file reader).</summary>
    public static NftGoldenFile Load(string name)
    {
        string file = Path.Combine("nftables", name + ".golden");
        SectionGoldenFile golden = SectionGoldenFile.Load(file);
        var sections = new Dictionary<string, NftGoldenSection>(StringComparer.Ordinal);
        foreach (string title in golden.Sections)
        {
            GoldenSection section = golden.Section(title);
            string command = section.Comments.FirstOrDefault(c => c.StartsWith("command: ", StringComparison.Ordinal))?.Substring("command: ".Length)
                ?? throw new InvalidDataException($"{file} [{title}]: no '# command:' line: a golden capture must say how it was made");
            string? unexpected = section.Keys.FirstOrDefault(k => k is not ("debug" or "bytes"));
            if (unexpected is not null)
            {
                throw new InvalidDataException($"{file} [{title}]: unexpected key '{unexpected}:'");
            }
            sections.Add(title, new NftGoldenSection(
                title,
                command,
                section.Values("debug").ToArray(),
                section.Values("bytes").Select(hex => Convert.FromHexString(hex.Trim())).ToArray()));
        }
        return new NftGoldenFile(name, sections);
    }

    private NftGoldenSection Section(string title) =>
        Sections.TryGetValue(title, out NftGoldenSection? s) ? s : throw new InvalidDataException($"{Name}.golden has no [{title}] section");

    public override string ToString() => Name;
}

/// <summary>One path of a golden capture: the command, nft's debug lines and the expression bytes.</summary>
/// <param name="Title">"add" or "list".</param>
/// <param name="Command">The command that produced it.</param>
/// <param name="DebugLines">nft's <c>[ ... ]</c> lines, one per expression, without indentation.</param>
/// <param name="Elements">One NFTA_LIST_ELEM (header included) per expression.</param>
internal sealed record NftGoldenSection(string Title, string Command, IReadOnlyList<string> DebugLines, IReadOnlyList<byte[]> Elements)
{
    /// <summary>The payload of NFTA_RULE_EXPRESSIONS: all elements back to back.</summary>
    public byte[] ExpressionList => Elements.SelectMany(e => e.Concat(new byte[(4 - e.Length % 4) % 4])).ToArray();

    public string Describe(int index) => $"{Title} path, expression {index} ({DebugLines.ElementAtOrDefault(index)}), from `{Command}`";
}
