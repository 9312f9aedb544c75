using System;
using System.Collections.Generic;
using System.Linq;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// The rules of a ruleset as the doctor walks them: base chains per hook in the order the kernel
/// runs them (priority, lower first), each chain's rules in order, each rule read once by
/// <see cref="RuleAnalyzer"/> and indexed so that the alternatives of a large map are found by
/// key rather than scanned.
/// </summary>
internal sealed class RulesetPaths
{
    private readonly Ruleset _ruleset;
    private readonly Dictionary<(NetfilterFamily, string, string), List<Rule>> _rulesByChain = new();
    private readonly Dictionary<(NetfilterFamily, string, string), Chain> _chains = new();
    private readonly Dictionary<Rule, IndexedAlternatives> _analysis = new(ReferenceEqualityComparer.Instance);

    public RulesetPaths(Ruleset ruleset)
    {
        _ruleset = ruleset ?? throw new ArgumentNullException(nameof(ruleset));
        foreach (Chain chain in ruleset.Chains)
        {
            _chains[(chain.Family, chain.Table, chain.Name)] = chain;
        }
        foreach (Rule rule in ruleset.Rules)
        {
            if (!_rulesByChain.TryGetValue((rule.Family, rule.Table, rule.Chain), out List<Rule>? list))
            {
                _rulesByChain[(rule.Family, rule.Table, rule.Chain)] = list = new List<Rule>();
            }
            list.Add(rule);
        }
    }

    public Ruleset Ruleset => _ruleset;

    /// <summary>The base chains that see <paramref name="family"/> packets on <paramref name="hook"/>, in the order the kernel runs them.</summary>
    /// <remarks>
    /// Chains of equal priority run in the order they were registered (nf_hook_entries_grow
    /// inserts a new hook after existing ones of the same priority), which a dump does not show:
    /// callers treat a tie with another table as "may run first".
    /// </remarks>
    public List<Chain> BaseChains(uint hook, IpFamilies family)
    {
        var chains = _ruleset.Chains
            .Where(c => c.Hook is ChainHook h && h.HookNumber == hook && Sees(c.Family, family))
            .ToList();
        // A stable sort keeps the dump order (tables in creation order) among equal priorities.
        return chains.Select((c, i) => (c, i)).OrderBy(x => x.c.Hook!.Priority).ThenBy(x => x.i).Select(x => x.c).ToList();
    }

    private static bool Sees(NetfilterFamily tableFamily, IpFamilies family) => tableFamily switch
    {
        NetfilterFamily.Inet => true,
        NetfilterFamily.IPv4 => family == IpFamilies.IPv4,
        NetfilterFamily.IPv6 => family == IpFamilies.IPv6,
        _ => false,
    };

    public Chain? FindChain(NetfilterFamily family, string table, string name) =>
        _chains.TryGetValue((family, table, name), out Chain? chain) ? chain : null;

    public IReadOnlyList<Rule> RulesOf(Chain chain) =>
        _rulesByChain.TryGetValue((chain.Family, chain.Table, chain.Name), out List<Rule>? rules) ? rules : Array.Empty<Rule>();

    /// <summary>The alternatives of <paramref name="rule"/> that some packet of <paramref name="probe"/> can take.</summary>
    public IEnumerable<RuleAlternative> Matching(Rule rule, Probe probe)
    {
        if (!_analysis.TryGetValue(rule, out IndexedAlternatives? indexed))
        {
            _analysis[rule] = indexed = new IndexedAlternatives(RuleAnalyzer.Analyze(rule, _ruleset));
        }
        return indexed.Matching(probe);
    }

    /// <summary>
    /// A rule's alternatives, with the ones for exactly one protocol and one port in a dictionary:
    /// a map of 10,000 forwards is one rule with 10,000 alternatives, and a probe needs the one or two
    /// for its key.
    /// </summary>
    private sealed class IndexedAlternatives
    {
        private readonly Dictionary<(byte Protocol, int Port), List<RuleAlternative>> _exact = new();
        private readonly List<RuleAlternative> _wide = new();
        private readonly IReadOnlyList<RuleAlternative> _all;

        public IndexedAlternatives(IReadOnlyList<RuleAlternative> all)
        {
            _all = all;
            foreach (RuleAlternative alternative in all)
            {
                PacketMatch m = alternative.Match;
                if (m.Protocols is { Count: 1 } && m.Ports.IsSinglePort)
                {
                    (byte, int) key = (m.Protocols[0], m.Ports.Ranges[0].First);
                    if (!_exact.TryGetValue(key, out List<RuleAlternative>? list))
                    {
                        _exact[key] = list = new List<RuleAlternative>();
                    }
                    list.Add(alternative);
                }
                else
                {
                    _wide.Add(alternative);
                }
            }
        }

        public IEnumerable<RuleAlternative> Matching(Probe probe)
        {
            IEnumerable<RuleAlternative> candidates;
            if (probe.FirstPort == probe.LastPort)
            {
                candidates = _exact.TryGetValue((probe.Protocol, probe.FirstPort), out List<RuleAlternative>? exact) ? exact.Concat(_wide) : _wide;
            }
            else
            {
                candidates = _all;
            }
            return candidates.Where(a => a.Match.Overlaps(probe));
        }
    }
}
