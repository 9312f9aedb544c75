using System.Globalization;

namespace Netfilter.Net.NfTables;

/// <summary>How much of a ruleset a read, save or restore went through, and the generation it was read at.</summary>
/// <param name="Generation">The ruleset generation the parts were read at (from the kernel or from the document; 0 when unknown).</param>
/// <param name="Tables">Tables.</param>
/// <param name="Chains">Chains.</param>
/// <param name="Objects">Stateful objects.</param>
/// <param name="Flowtables">Flowtables.</param>
/// <param name="Sets">Sets and maps, anonymous ones included.</param>
/// <param name="Elements">Set and map elements.</param>
/// <param name="Rules">Rules.</param>
public sealed record RulesetSummary(uint Generation, int Tables, int Chains, int Objects, int Flowtables, int Sets, long Elements, int Rules)
{
    /// <summary>"2 tables, 5 chains, 1 set, 10 elements, 7 rules", with objects and flowtables when there are any.</summary>
    public override string ToString()
    {
        string text = $"{Count(Tables, "table")}, {Count(Chains, "chain")}, {Count(Sets, "set")}, {Count(Elements, "element")}, {Count(Rules, "rule")}";
        if (Objects > 0)
        {
            text += ", " + Count(Objects, "object");
        }
        if (Flowtables > 0)
        {
            text += ", " + Count(Flowtables, "flowtable");
        }
        return text;
    }

    private static string Count(long n, string what) => n == 1 ? $"1 {what}" : n.ToString(CultureInfo.InvariantCulture) + $" {what}s";
}
