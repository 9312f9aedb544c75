using System.Collections.Generic;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal.Operations;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// The visitor behind <see cref="NfTablesTransaction.Recreate(Ruleset, NfTablesTransaction)"/>: appends, part by
/// part, the operations that recreate what it visits, so a ruleset streamed from a document
/// becomes a transaction without an intermediate copy. Optionally deletes first each table
/// that already exists (a restore replaces the tables it names).
/// </summary>
internal sealed class RulesetRecreator : RulesetVisitor
{
    /// <summary>The size the kernel gives a set that a dynset binds when it had none (nft_dynset_init).</summary>
    private const uint DynsetImpliedSize = 0xffff;

    private readonly NfTablesTransaction _tx;
    private readonly IReadOnlySet<(NetfilterFamily, string)>? _existing;
    // Sets sent with size 65535, by (family, table, name): the index of their operation.
    private readonly Dictionary<(NetfilterFamily, string, string), (int Index, Set Set)> _impliedSize = new();
    private readonly List<SetElement> _elements = new();
    private uint _setId;

    /// <param name="into">Where the operations go.</param>
    /// <param name="existing">Tables that exist now: each one visited is deleted before it is recreated.</param>
    public RulesetRecreator(NfTablesTransaction into, IReadOnlySet<(NetfilterFamily, string)>? existing = null)
    {
        _tx = into;
        _existing = existing;
    }

    /// <summary>How many existing tables were deleted to be recreated.</summary>
    public int Replaced { get; private set; }

    public override void VisitTable(Table table)
    {
        if (_existing is not null && _existing.Contains((table.Family, table.Name)))
        {
            _tx.DeleteTable(table.Family, table.Name);
            Replaced++;
        }
        _tx.AddTable(table with { Handle = 0, Use = 0, Owner = null, Flags = table.Flags & ~(TableFlags.Owner | TableFlags.Persist) });
    }

    public override void VisitChain(Chain chain)
    {
        uint? flags = chain.Flags is uint f ? f & ~1u : null;
        _tx.AddChain(chain with { Handle = 0, Use = 0, Id = null, Flags = flags == 0 ? null : flags });
    }

    // Objects and flowtables come before sets and rules: object-map elements and objref or
    // flow_offload expressions name them.
    public override void VisitObject(NftObject obj) => _tx.AddObject(obj with { Handle = 0, Use = 0 });

    public override void VisitFlowtable(Flowtable flowtable) => _tx.AddFlowtable(flowtable with { Handle = 0, Use = 0 });

    public override void VisitSet(Set set) => _elements.Clear();

    public override void VisitElement(Set set, SetElement element) => _elements.Add(WithExpiration(set, element));

    public override void EndSet(Set set)
    {
        Set fresh = set with { Handle = 0, Id = ++_setId };
        int index = _tx.Count;
        _tx.AddSet(fresh, _elements.ToArray());
        _elements.Clear();
        if (fresh.Size == DynsetImpliedSize)
        {
            _impliedSize[(set.Family, set.Table, set.Name)] = (index, fresh);
        }
    }

    public override void VisitRule(Rule rule)
    {
        foreach (NftExpression expression in rule.Expressions)
        {
            // A dynset that binds a set without a size gives it size 65535 (nft_dynset_init),
            // and the dump then carries that size. Sent back, a size makes the kernel pick a
            // fixed-size backend (nft_hash) that the packet path cannot update, and the dynset
            // is refused with EOPNOTSUPP, concatenated keys or not. Leave that implied size
            // out: binding the dynset sets it again. The set's operation is already in the
            // transaction (sets come before rules), so it is replaced in place.
            if (DynsetExpression.TargetSetOf(expression) is string target
                && _impliedSize.Remove((rule.Family, rule.Table, target), out (int Index, Set Set) sized))
            {
                _tx.ReplaceOperation(sized.Index, new SetOperation(sized.Set with { Size = null }, SetOperation.Add));
            }
        }
        _tx.AddRule(rule with { Handle = 0, Position = null, Id = null });
    }

    /// <summary>
    /// The element as it goes back: with the time it had left where the kernel takes it on
    /// creation (nft_add_set_elem: the set has the timeout flag and the element a nonzero
    /// timeout of its own or from the set), without it where the kernel would refuse it.
    /// </summary>
    private static SetElement WithExpiration(Set set, SetElement element)
    {
        if (element.Expiration is not ulong left)
        {
            return element;
        }
        bool accepted = (set.Flags & SetFlags.Timeout) != 0 && (element.Timeout ?? set.Timeout ?? 0) > 0;
        if (!accepted)
        {
            return element with { Expiration = null };
        }
        // The kernel reads an expiration of 0 as "the full timeout" (nft_set_elem_init): an
        // element read with no time left comes back with the least there is, not the most.
        return left == 0 ? element with { Expiration = 1 } : element;
    }
}
