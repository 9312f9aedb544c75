using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// A NAT table as Netfilter.Net wrote it in layout 2 (before rules counted what they translate):
/// table comment "nfnet NAT table NAME layout 2", the same maps, sets and chains as layout 3 but
/// no counter anywhere (no set expression on the maps, no element counter, no <c>counter</c> in a
/// rule), and its filter chain named <c>tproxy</c>. nft 1.0.6 cannot write it from a script (it
/// parses neither a chain named <c>tproxy</c> nor the masquerade rules' concatenation with
/// <c>ct original proto-dst</c>), so it is written over netlink, piece by piece, in one
/// transaction; <see cref="Check"/> then reads it back with nft.
/// </summary>
public static class LayoutTwoTable
{
    /// <summary>Layout 2's name of the filter chain of tproxy rules.</summary>
    public const string TproxyChain = "tproxy";

    public static async Task WriteAsync(TestNamespace ns, string table, IEnumerable<NatRule> rules)
    {
        var tx = new NfTablesTransaction();
        tx.AddTable(new Table(NetfilterFamily.Inet, table) { UserData = UserData.Comment($"nfnet NAT table {table} layout 2") });
        foreach (Chain chain in NatTableLayout.ChainDefinitions(table))
        {
            tx.AddChain(chain with { Name = Layout2(chain.Name) });
        }
        foreach (Set set in NatTableLayout.SetDefinitions(table))
        {
            tx.AddSet(set with { Expressions = null });
        }
        foreach (Rule rule in NatTableLayout.RuleDefinitions(table))
        {
            tx.AddRule(rule);
        }
        foreach (NatRule rule in rules)
        {
            CompiledNatRule compiled = NatRuleCompiler.Compile(table, rule, _ => null);
            foreach (Rule r in compiled.Rules)
            {
                tx.AddRule(r with { Chain = Layout2(r.Chain), Expressions = r.Expressions.Where(e => e is not CounterExpression).ToList() });
            }
            foreach ((string set, SetElement element) in compiled.Elements)
            {
                tx.AddElements(new Set(NetfilterFamily.Inet, table, set), new[] { element with { Expressions = null } });
            }
        }
        using var client = new NfTablesClient(ns.Namespace);
        await client.CommitAsync(tx);
        Check(ns, table);
    }

    /// <summary>nft reads the table as layout 2: its comment, its tproxy chain, and no counter anywhere.</summary>
    public static void Check(TestNamespace ns, string table)
    {
        string listing = ns.Nft("list", "table", "inet", table);
        listing.Should().Contain($"comment \"nfnet NAT table {table} layout 2\"")
            .And.Contain($"chain {TproxyChain} {{")
            .And.NotContain("counter", "layout 2 counted nothing");
    }

    private static string Layout2(string chain) => chain == NatTableLayout.Tproxy ? TproxyChain : chain;
}
