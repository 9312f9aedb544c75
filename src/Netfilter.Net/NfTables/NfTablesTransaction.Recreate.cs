using System;
using System.Collections.Generic;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesTransaction
{
    /// <summary>
    /// A transaction that recreates <paramref name="ruleset"/> (for example in another namespace,
    /// or after a flush): tables, then chains, then stateful objects and flowtables, then sets with
    /// their elements, then rules in kernel order. Kernel-assigned state is left out: handles, positions, use counts,
    /// NFT_CHAIN_BASE (implied by the hook) and the owner flag (the new owner is whoever commits).
    /// </summary>
    public static NfTablesTransaction Recreate(Ruleset ruleset)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        var tx = new NfTablesTransaction();
        foreach (Table table in ruleset.Tables)
        {
            tx.AddTable(table with { Handle = 0, Use = 0, Owner = null, Flags = table.Flags & ~(TableFlags.Owner | TableFlags.Persist) });
        }
        foreach (Chain chain in ruleset.Chains)
        {
            uint? flags = chain.Flags is uint f ? f & ~1u : null;
            tx.AddChain(chain with { Handle = 0, Use = 0, Id = null, Flags = flags == 0 ? null : flags });
        }
        // Objects and flowtables before sets and rules: object-map elements and objref/flow_offload
        // expressions refer to them by name.
        foreach (NftObject obj in ruleset.Objects)
        {
            tx.AddObject(obj with { Handle = 0, Use = 0 });
        }
        foreach (Flowtable flowtable in ruleset.Flowtables)
        {
            tx.AddFlowtable(flowtable with { Handle = 0, Use = 0 });
        }
        uint setId = 1;
        foreach (Set set in ruleset.Sets)
        {
            Set fresh = set with { Handle = 0, Id = setId++ };
            IReadOnlyList<SetElement> elements = ruleset.ElementsOf(set);
            var copies = new List<SetElement>(elements.Count);
            foreach (SetElement element in elements)
            {
                // Expiration is the time left, which the kernel computes; it cannot be sent back.
                copies.Add(element with { Expiration = null });
            }
            tx.AddSet(fresh, copies);
        }
        foreach (Rule rule in ruleset.Rules)
        {
            tx.AddRule(rule with { Handle = 0, Position = null, Id = null });
        }
        return tx;
    }
}
