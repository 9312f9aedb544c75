using System.Collections.Generic;
using System.Linq;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

/// <summary>
/// What the kernel holds for one NAT table, read by <see cref="NatTableReader"/>: whose table it
/// is, the typed rules (whole or partial) with their pieces, the foreign pieces, and what the
/// layout lacks.
/// </summary>
internal sealed class NatTableContents
{
    public NatTableContents(string table, uint generation, NatTableOwnership ownership)
    {
        Table = table;
        Generation = generation;
        Ownership = ownership;
    }

    public string Table { get; }

    /// <summary>The generation the contents were read at.</summary>
    public uint Generation { get; }

    public NatTableOwnership Ownership { get; }

    /// <summary>The layout version of an owned or legacy table (2 or 1); the version a newer foreign one claims.</summary>
    public int? LayoutVersion { get; init; }

    /// <summary>The table's comment, as found.</summary>
    public string? TableComment { get; init; }

    /// <summary>Why a foreign table is not adopted, and how to fix it (the <see cref="NatTableNotOwnedException"/> message).</summary>
    public string? NotOwnedMessage { get; init; }

    /// <summary>The typed rules found, whole and partial, in the order they were found (owned tables).</summary>
    public List<NatFoundRule> Rules { get; } = new();

    /// <summary>The typed rules of a layout-1 table, read from their comments (the rules a migration carries over).</summary>
    public List<NatRule> LegacyRules { get; } = new();

    public List<NatForeignPiece> Foreign { get; } = new();

    /// <summary>Layout chains that do not exist.</summary>
    public List<Chain> MissingChains { get; } = new();

    /// <summary>Layout sets that do not exist.</summary>
    public List<Set> MissingSets { get; } = new();

    /// <summary>Base chains whose layout rules are missing, changed or out of order: flushed and written again.</summary>
    public List<string> BaseChainsToRebuild { get; } = new();

    /// <summary>Layout chains or sets that exist with another definition (hook, type, key): only rebuilding the table repairs them.</summary>
    public List<string> Damaged { get; } = new();

    /// <summary>What the layout lacks or has wrong, in sentences.</summary>
    public List<string> LayoutProblems { get; } = new();

    /// <summary>The layout pieces that are missing or wrong, as nouns: <c>chain pre_rules</c>, <c>rule "dnat map @dnat4_pre" in chain prerouting</c>.</summary>
    public List<string> Lacks { get; } = new();

    public bool Exists => Ownership != NatTableOwnership.Missing;

    public bool LayoutComplete => MissingChains.Count == 0 && MissingSets.Count == 0 && BaseChainsToRebuild.Count == 0 && Damaged.Count == 0;

    public IEnumerable<NatFoundRule> Whole => Rules.Where(r => r.IsWhole);

    public IEnumerable<NatFoundRule> Partial => Rules.Where(r => !r.IsWhole);

    /// <summary>The found rule with this canonical text, or null.</summary>
    public NatFoundRule? Find(string text)
    {
        // An index by text, not a scan: ApplyAsync looks up every desired rule, and a scan made a
        // no-op apply of 10,000 rules quadratic (35 s). Rules only grows (while the reader fills
        // it), so a count that moved means the index is stale.
        if (_byText is null || _indexed != Rules.Count)
        {
            _byText = new Dictionary<string, NatFoundRule>(Rules.Count, System.StringComparer.Ordinal);
            foreach (NatFoundRule rule in Rules)
            {
                _byText.TryAdd(rule.Text, rule);
            }
            _indexed = Rules.Count;
        }
        return _byText.GetValueOrDefault(text);
    }

    private Dictionary<string, NatFoundRule>? _byText;
    private int _indexed;
}
