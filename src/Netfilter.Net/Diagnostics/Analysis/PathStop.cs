using Netfilter.Net.NfTables;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// A place where a probe's packets are (or may be) taken away: a rule alternative that drops,
/// rejects or translates them, or a base chain whose policy drops them.
/// </summary>
/// <param name="BaseChain">The base chain the packet was in (a jumped-to chain's rule is reported with its base chain).</param>
/// <param name="Alternative">The rule (and map element) that acts; null for the base chain's policy.</param>
/// <param name="Definite">True when every packet of the probe is taken; false when only some may be (other conditions, partial port overlap).</param>
/// <param name="SamePriority">True when the base chain has the same priority as ours and belongs to another table: which runs first depends on registration order.</param>
internal sealed record PathStop(Chain BaseChain, RuleAlternative? Alternative, bool Definite, bool SamePriority)
{
    /// <summary>"table ip nat chain PREROUTING handle 4: tcp dport 2222 iptables DNAT" or "policy drop of table inet filter chain input".</summary>
    public string Description => Alternative is RuleAlternative a
        ? $"{a.Where}: {a.Match} {a.Action}"
        : $"the policy drop of table {RuleAlternative.FamilyName(BaseChain.Family)} {BaseChain.Table} chain {BaseChain.Name}";
}
