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
    public static NfTablesTransaction Recreate(Ruleset ruleset) => Recreate(ruleset, new NfTablesTransaction());

    /// <summary>
    /// Appends to <paramref name="into"/> the operations of <see cref="Recreate(Ruleset)"/>, after
    /// what it already holds: e.g. deletes of the tables being replaced, so that replacing them is
    /// one atomic transaction (what <c>nfnet ruleset restore</c> does).
    /// </summary>
    /// <returns><paramref name="into"/>.</returns>
    public static NfTablesTransaction Recreate(Ruleset ruleset, NfTablesTransaction into)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        ArgumentNullException.ThrowIfNull(into);
        NfTablesTransaction tx = into;
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
        // A dynset that binds a set without a size gives it size 65535 (nft_dynset_init), and the
        // dump then carries that size. Sent back, a size makes the kernel pick a fixed-size backend
        // that cannot be updated from the packet path, and the dynset is refused (EOPNOTSUPP). Leave
        // that implied size out: binding the dynset sets it again.
        var dynsetTargets = new HashSet<(ProtocolFamily, string, string)>();
        foreach (Rule rule in ruleset.Rules)
        {
            foreach (Expressions.NftExpression expression in rule.Expressions)
            {
                if (expression is Expressions.DynsetExpression dynset)
                {
                    dynsetTargets.Add((rule.Family, rule.Table, dynset.Set));
                }
            }
        }
        uint setId = 1;
        foreach (Set set in ruleset.Sets)
        {
            Set fresh = set with { Handle = 0, Id = setId++ };
            if (fresh.Size == DynsetImpliedSize && fresh.ConcatFieldLengths is null && dynsetTargets.Contains((set.Family, set.Table, set.Name)))
            {
                fresh = fresh with { Size = null };
            }
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

    /// <summary>The size the kernel gives a set that a dynset binds when it had none (nft_dynset_init).</summary>
    private const uint DynsetImpliedSize = 0xffff;
}
