using System.Collections.Generic;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

/// <summary>What one typed rule becomes in the kernel: rules in the NAT table's regular chains and elements in its maps.</summary>
internal sealed class CompiledNatRule
{
    public CompiledNatRule(NatRule source) => Source = source;

    public NatRule Source { get; }

    /// <summary>Rules, each already carrying the typed rule's text as its comment.</summary>
    public List<Rule> Rules { get; } = new();

    /// <summary>Elements by map or set name, each with the typed rule's text as its comment.</summary>
    public List<(string Set, SetElement Element)> Elements { get; } = new();
}
