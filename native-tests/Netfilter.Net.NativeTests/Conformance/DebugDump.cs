using System.Text;

namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// The debug part of <c>nft --debug=netlink list ruleset</c> (or the library's rendering of the
/// same ruleset) cut into blocks: a set block is <c>fam table @set</c> and its element lines,
/// a rule block is <c>fam table chain handle [position]</c> and its expression lines. A case is
/// judged on the blocks of its own table: the table's sets, and the rules of its chain.
/// </summary>
internal sealed class DebugDump
{
    private readonly List<Block> _blocks = new();

    private DebugDump(string text)
    {
        Text = text;
        Block? current = null;
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (line[0] is ' ' or '\t')
            {
                if (current is null)
                {
                    current = new Block(string.Empty, string.Empty, null);
                    _blocks.Add(current);
                }
                current.Lines.Add(line);
                continue;
            }
            string[] words = line.Split(' ');
            string family = words[0];
            string table = words.Length > 1 ? words[1] : string.Empty;
            string? chain = words.Length > 2 && !words[2].StartsWith('@') ? words[2] : null;
            current = new Block(family, table, chain);
            current.Lines.Add(line);
            _blocks.Add(current);
        }
    }

    /// <summary>The whole text.</summary>
    public string Text { get; }

    public static DebugDump Parse(string text) => new(text);

    /// <summary>What a case in <paramref name="chain"/> of <paramref name="table"/> is judged on: the table's set blocks, then the chain's rule blocks.</summary>
    public string PartFor(string family, string table, string chain)
    {
        var sb = new StringBuilder();
        foreach (Block b in _blocks)
        {
            if (b.Family == family && b.Table == table && b.Chain is null)
            {
                b.AppendTo(sb);
            }
        }
        foreach (Block b in _blocks)
        {
            if (b.Family == family && b.Table == table && b.Chain == chain)
            {
                b.AppendTo(sb);
            }
        }
        return sb.ToString();
    }

    /// <summary>True when the dump holds at least one rule of <paramref name="chain"/>: a case whose rule is absent has checked nothing.</summary>
    public bool HasRuleIn(string family, string table, string chain) =>
        _blocks.Exists(b => b.Family == family && b.Table == table && b.Chain == chain);

    private sealed class Block
    {
        public Block(string family, string table, string? chain)
        {
            Family = family;
            Table = table;
            Chain = chain;
        }

        public string Family { get; }
        public string Table { get; }
        public string? Chain { get; }
        public List<string> Lines { get; } = new();

        public void AppendTo(StringBuilder sb)
        {
            foreach (string line in Lines)
            {
                sb.Append(line).Append('\n');
            }
        }
    }
}
