using System;
using System.Collections.Generic;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

/// <summary>
/// What the kernel holds for one NAT table, read back from a snapshot: which typed rules are
/// there (from the comments on their rules and elements) and where their pieces are, and
/// whether the fixed layout is complete.
/// </summary>
internal sealed class NatTableState
{
    public sealed class Pieces
    {
        public Pieces(NatRule rule) => Rule = rule;

        public NatRule Rule { get; }

        public List<(string Chain, ulong Handle)> Rules { get; } = new();

        public List<(string Set, SetElement Element)> Elements { get; } = new();
    }

    private NatTableState(uint generation, bool tableExists)
    {
        Generation = generation;
        TableExists = tableExists;
    }

    public uint Generation { get; }

    public bool TableExists { get; }

    /// <summary>Typed rules found, by canonical text, in the order they were found.</summary>
    public Dictionary<string, Pieces> Found { get; } = new(StringComparer.Ordinal);

    public List<string> FoundOrder { get; } = new();

    public HashSet<string> Chains { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Sets { get; } = new(StringComparer.Ordinal);

    /// <summary>Layout rules found per base chain (by their comment).</summary>
    public Dictionary<string, List<string>> LayoutRules { get; } = new(StringComparer.Ordinal);

    /// <summary>Comments in our chains that are neither layout nor a typed rule (someone else's rules).</summary>
    public List<string> Foreign { get; } = new();

    public static NatTableState Read(Ruleset snapshot, string table)
    {
        var state = new NatTableState(snapshot.Generation, snapshot.Tables.Count > 0);
        foreach (Chain chain in snapshot.Chains)
        {
            state.Chains.Add(chain.Name);
        }
        foreach (Set set in snapshot.Sets)
        {
            state.Sets.Add(set.Name);
            foreach (SetElement element in snapshot.ElementsOf(set))
            {
                string? comment = element.Comment;
                if (comment is not null && state.Take(comment) is Pieces pieces)
                {
                    pieces.Elements.Add((set.Name, element));
                }
            }
        }
        foreach (Rule rule in snapshot.Rules)
        {
            string? comment = rule.Comment;
            if (comment is null)
            {
                state.Foreign.Add($"uncommented rule in chain {rule.Chain} (handle {rule.Handle})");
                continue;
            }
            if (comment.StartsWith(NatTableLayout.LayoutCommentPrefix, StringComparison.Ordinal))
            {
                if (!state.LayoutRules.TryGetValue(rule.Chain, out List<string>? list))
                {
                    state.LayoutRules[rule.Chain] = list = new List<string>();
                }
                list.Add(comment);
                continue;
            }
            if (state.Take(comment) is Pieces pieces)
            {
                pieces.Rules.Add((rule.Chain, rule.Handle));
            }
            else
            {
                state.Foreign.Add(comment);
            }
        }
        return state;
    }

    private Pieces? Take(string comment)
    {
        if (Found.TryGetValue(comment, out Pieces? pieces))
        {
            return pieces;
        }
        if (!NatRuleParser.TryParse(comment, out NatRule? rule, out _) || rule is null)
        {
            return null;
        }
        // Key by the canonical text of the parsed rule, so equal rules always meet.
        string key = rule.ToString();
        if (!Found.TryGetValue(key, out pieces))
        {
            Found[key] = pieces = new Pieces(rule);
            FoundOrder.Add(key);
        }
        if (key != comment)
        {
            Found[comment] = pieces;
        }
        return pieces;
    }

    /// <summary>The typed rules found, each once.</summary>
    public IEnumerable<Pieces> Rules()
    {
        foreach (string key in FoundOrder)
        {
            yield return Found[key];
        }
    }

    /// <summary>True when every chain, set and layout rule of the layout is present.</summary>
    public bool LayoutComplete(string table)
    {
        foreach (Chain chain in NatTableLayout.ChainDefinitions(table))
        {
            if (!Chains.Contains(chain.Name)) return false;
        }
        foreach (Set set in NatTableLayout.SetDefinitions(table))
        {
            if (!Sets.Contains(set.Name)) return false;
        }
        foreach (Rule rule in NatTableLayout.RuleDefinitions(table))
        {
            if (!LayoutRules.TryGetValue(rule.Chain, out List<string>? list) || !list.Contains(rule.Comment!)) return false;
        }
        return true;
    }
}
