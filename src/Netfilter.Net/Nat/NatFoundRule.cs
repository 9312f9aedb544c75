using System.Collections.Generic;
using System.Net;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Nat;

/// <summary>
/// One typed rule found in the kernel (by the comment on its pieces), next to what it compiles
/// to: the pieces present, those missing and those that carry its comment without being part of
/// it. Whole when nothing is missing and nothing unexpected carries its comment.
/// </summary>
internal sealed class NatFoundRule
{
    public NatFoundRule(NatRule rule) => Rule = rule;

    public NatRule Rule { get; }

    /// <summary>The comment text all its pieces carry (the rule's canonical text).</summary>
    public string Text => Rule.ToString();

    /// <summary>What the rule compiles to (hairpin rules with the network found in the kernel, when one was found).</summary>
    public CompiledNatRule Expected { get; set; } = null!;

    /// <summary>The hairpin network its hairpin rules match in the kernel, if any were found.</summary>
    public IPNetwork? HairpinNetwork { get; set; }

    /// <summary>Elements found carrying the rule's comment.</summary>
    public List<(string Set, SetElement Element)> Elements { get; } = new();

    /// <summary>Rules found carrying the rule's comment (with their handles).</summary>
    public List<Rule> Rules { get; } = new();

    /// <summary>Expected elements that are not there.</summary>
    public List<(string Set, SetElement Element)> MissingElements { get; } = new();

    /// <summary>Expected rules that are not there.</summary>
    public List<Rule> MissingRules { get; } = new();

    /// <summary>Elements carrying the rule's comment that it does not compile to.</summary>
    public List<(string Set, SetElement Element)> UnexpectedElements { get; } = new();

    /// <summary>Rules carrying the rule's comment that it does not compile to.</summary>
    public List<Rule> UnexpectedRules { get; } = new();

    /// <summary>Every expected piece is present and nothing else carries the rule's comment.</summary>
    public bool IsWhole => MissingElements.Count == 0 && MissingRules.Count == 0 && UnexpectedElements.Count == 0 && UnexpectedRules.Count == 0;

    /// <summary>A whole hairpin forward whose connected network is no longer the one its hairpin rules match.</summary>
    public bool IsStale { get; set; }

    /// <summary>What is missing and what is unexpected, in nft's words.</summary>
    public List<string> Problems()
    {
        var problems = new List<string>();
        foreach ((string set, SetElement element) in MissingElements)
        {
            problems.Add($"missing element {NatElementText.Format(set, element)} in {SetWord(set)} {set}");
        }
        foreach (Rule rule in MissingRules)
        {
            problems.Add($"missing rule in chain {rule.Chain}");
        }
        foreach ((string set, SetElement element) in UnexpectedElements)
        {
            problems.Add($"unexpected element {NatElementText.Format(set, element)} in {SetWord(set)} {set}");
        }
        foreach (Rule rule in UnexpectedRules)
        {
            problems.Add($"unexpected rule handle {rule.Handle} in chain {rule.Chain}");
        }
        return problems;
    }

    /// <summary>
    /// The counters of the pieces that translate the rule's own claim, summed: elements of the
    /// counted maps and rules of the counted chains (<see cref="NatTableLayout.CountedSets"/>,
    /// <see cref="NatTableLayout.CountedChains"/>). Null figures when none of them has a counter.
    /// </summary>
    public NatRuleStatistics Statistics()
    {
        ulong? packets = null, bytes = null;
        void Add(IReadOnlyList<NftExpression>? expressions)
        {
            if (expressions is null)
            {
                return;
            }
            foreach (NftExpression expression in expressions)
            {
                if (expression is CounterExpression counter)
                {
                    packets = (packets ?? 0) + (counter.Packets ?? 0);
                    bytes = (bytes ?? 0) + (counter.Bytes ?? 0);
                }
            }
        }
        foreach ((string set, SetElement element) in Elements)
        {
            if (NatTableLayout.IsCounted(set))
            {
                Add(element.Expressions);
            }
        }
        foreach (Rule rule in Rules)
        {
            if (System.Array.IndexOf(NatTableLayout.CountedChains, rule.Chain) >= 0)
            {
                Add(rule.Expressions);
            }
        }
        return new NatRuleStatistics(Rule, packets, bytes);
    }

    internal static string SetWord(string set) => set is NatTableLayout.Masq4 or NatTableLayout.Masq6 ? "set" : "map";
}
