using System;
using System.Collections.Generic;
using System.Linq;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Operations;

namespace Netfilter.Net.Testing.Internal;

/// <summary>
/// The nftables ruleset of one fake namespace: tables, chains, sets with their elements and rules,
/// a generation, and the commit of an <see cref="NfTablesTransaction"/> with the kernel's
/// all-or-nothing semantics (the changes are made on a copy that replaces the state only when
/// every operation succeeded) and the refusals NatTable and a hand edit can meet: ENOENT for what
/// is missing, EEXIST for create and for an element with other data, EBUSY for a chain that still
/// has rules or is jumped to and a set a rule looks up, EPERM for a table another owner holds.
/// </summary>
/// <remarks>
/// Not modelled: stateful objects and flowtables (refused with <see cref="NotSupportedException"/>),
/// the validation of expressions (a rule is stored as given), set element timeouts and the order
/// the kernel dumps hash sets in (elements come back in the order they were added).
/// </remarks>
internal sealed class InMemoryRuleset
{
    private readonly object _lock = new();
    private readonly FakeFaultState _faults;
    private State _state = new();
    private uint _sequence;

    public InMemoryRuleset(FakeFaultState faults) => _faults = faults;

    /// <summary>The ruleset's generation: it grows by one with every commit that changed something.</summary>
    public uint Generation
    {
        get
        {
            lock (_lock)
            {
                return _state.Generation;
            }
        }
    }

    /// <summary>Every table, or one table of one family; elements and the rules of <paramref name="ruleChains"/> (all when null) as asked.</summary>
    public Ruleset Snapshot(NetfilterFamily family, string? table, bool withElements, IReadOnlyCollection<string>? ruleChains)
    {
        lock (_lock)
        {
            var tables = new List<Table>();
            var chains = new List<Chain>();
            var sets = new List<Set>();
            var rules = new List<Rule>();
            var elements = new Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>>();
            foreach (TableState t in _state.Tables)
            {
                if ((family != NetfilterFamily.Unspecified && t.Table.Family != family) || (table is not null && t.Table.Name != table))
                {
                    continue;
                }
                tables.Add(t.Table with { Use = (uint)t.Chains.Count, Owner = t.OwnerPort });
                foreach (ChainState c in t.Chains)
                {
                    chains.Add(c.Chain with { Use = (uint)References(t, c.Chain.Name) });
                }
                foreach (SetState s in t.Sets)
                {
                    sets.Add(s.Set);
                    if (withElements)
                    {
                        elements[(s.Set.Family, s.Set.Table, s.Set.Name)] = s.Elements.ToList();
                    }
                }
                if (ruleChains is null)
                {
                    foreach (ChainState c in t.Chains)
                    {
                        rules.AddRange(Listed(c));
                    }
                }
                else
                {
                    foreach (string name in ruleChains)
                    {
                        if (t.Chains.FirstOrDefault(c => c.Chain.Name == name) is ChainState c)
                        {
                            rules.AddRange(Listed(c));
                        }
                    }
                }
            }
            return new Ruleset(_state.Generation, tables, chains, sets, elements, rules);
        }
    }

    /// <summary>One element by key; null when the table, the set or the element does not exist.</summary>
    public SetElement? GetElement(NetfilterFamily family, string table, string set, NftData key)
    {
        lock (_lock)
        {
            return _state.Find(family, table)?.Sets.FirstOrDefault(s => s.Set.Name == set)?.Find(key);
        }
    }

    /// <summary>Commits <paramref name="transaction"/> for the socket <paramref name="port"/> (whose owned tables it may change), all or nothing.</summary>
    public NfTablesCommitResult Commit(NfTablesTransaction transaction, uint port)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        lock (_lock)
        {
            uint sequence = ++_sequence;
            if (transaction.Count == 0)
            {
                return FakeErrors.CommitResult(Array.Empty<ulong>(), 0);
            }
            if (_faults.NetAdminDenied)
            {
                throw FakeErrors.BatchDenied(sequence);
            }
            if (transaction.ExpectedGeneration is uint expected && _faults.TakeLostRace())
            {
                // Another writer committed first: the generation moves on, and the check fails as the kernel's does.
                _state.Generation++;
            }
            if (transaction.ExpectedGeneration is uint wanted && wanted != _state.Generation)
            {
                throw FakeErrors.GenerationChanged(wanted, sequence);
            }
            if (_faults.TakeRefusal() is FakeRefusal refusal)
            {
                int index = Math.Clamp(refusal.OperationIndex, 0, transaction.Count - 1);
                throw FakeErrors.Refused(transaction, index, refusal.Errno, refusal.KernelMessage, sequence);
            }
            State next = _state.Clone();
            var handles = new ulong[transaction.Count];
            IReadOnlyList<Operation> operations = transaction.Operations;
            for (int i = 0; i < operations.Count; i++)
            {
                Errno? refused = Apply(next, operations[i], port, out handles[i]);
                if (refused is Errno errno)
                {
                    throw FakeErrors.Refused(transaction, i, errno, null, sequence);
                }
            }
            next.Generation = _state.Generation + 1;
            _state = next;
            return FakeErrors.CommitResult(handles, operations.Count);
        }
    }

    /// <summary>Deletes the tables owned by <paramref name="port"/>, as the kernel does when the owning socket closes.</summary>
    public void Release(uint port)
    {
        lock (_lock)
        {
            if (_state.Tables.RemoveAll(t => t.OwnerPort == port) > 0)
            {
                _state.Generation++;
            }
        }
    }

    private static IEnumerable<Rule> Listed(ChainState chain)
    {
        ulong? previous = null;
        foreach (Rule rule in chain.Rules)
        {
            yield return rule with { Position = previous };
            previous = rule.Handle;
        }
    }

    /// <summary>Applies one operation to <paramref name="state"/>; the errno the kernel would refuse it with, or null.</summary>
    private static Errno? Apply(State state, Operation operation, uint port, out ulong handle)
    {
        handle = 0;
        switch (operation)
        {
            case TableOperation op:
                return ApplyTable(state, op, port);
            case ChainOperation op:
                return ApplyChain(state, op, port);
            case RuleOperation op:
                return ApplyRule(state, op, port, out handle);
            case RuleDeleteOperation op:
                return ApplyRuleDelete(state, op, port);
            case SetOperation op:
                return ApplySet(state, op, port);
            case ElementsOperation op:
                return ApplyElements(state, op, port);
            default:
                throw new NotSupportedException($"the in-memory kernel of Netfilter.Net.Testing does not model '{operation.Description}' (stateful objects and flowtables are not modelled)");
        }
    }

    private static Errno? ApplyTable(State state, TableOperation op, uint port)
    {
        Table table = op.Table;
        TableState? existing = state.Find(table.Family, table.Name);
        if (op.Kind == TableOperation.Add || op.Kind == TableOperation.Create)
        {
            if (existing is not null)
            {
                if (op.Kind == TableOperation.Create)
                {
                    return Errno.EEXIST;
                }
                if (!existing.MayChange(port))
                {
                    return Errno.EPERM;
                }
                // nf_tables_updtable: the owner flag cannot be added or taken away.
                if (((existing.Table.Flags ^ table.Flags) & TableFlags.Owner) != 0)
                {
                    return Errno.EOPNOTSUPP;
                }
                existing.Table = existing.Table with { Flags = table.Flags };
                return null;
            }
            bool owned = (table.Flags & TableFlags.Owner) != 0;
            state.Tables.Add(new TableState(table with { Handle = ++state.TableHandles, Use = 0, Owner = null }) { OwnerPort = owned ? port : null });
            return null;
        }
        if (existing is null)
        {
            return op.Kind == TableOperation.Destroy ? null : Errno.ENOENT;
        }
        if (!existing.MayChange(port))
        {
            return Errno.EPERM;
        }
        state.Tables.Remove(existing);
        return null;
    }

    private static Errno? ApplyChain(State state, ChainOperation op, uint port)
    {
        Chain chain = op.Chain;
        TableState? table = state.Find(chain.Family, chain.Table);
        bool destroy = op.Kind == ChainOperation.Destroy;
        if (table is null)
        {
            return destroy ? null : Errno.ENOENT;
        }
        if (!table.MayChange(port))
        {
            return Errno.EPERM;
        }
        ChainState? existing = table.Chains.FirstOrDefault(c => c.Chain.Name == chain.Name);
        if (op.Kind == ChainOperation.Add || op.Kind == ChainOperation.Create)
        {
            if (existing is not null)
            {
                if (op.Kind == ChainOperation.Create)
                {
                    return Errno.EEXIST;
                }
                if (chain.Policy is VerdictKind policy)
                {
                    existing.Chain = existing.Chain with { Policy = policy };
                }
                return null;
            }
            table.Chains.Add(new ChainState(chain with { Handle = ++table.Handles, Id = null, Use = 0, Flags = chain.Hook is null ? chain.Flags : (chain.Flags ?? 0) | 1 }));
            return null;
        }
        if (existing is null)
        {
            return destroy ? null : Errno.ENOENT;
        }
        if (existing.Rules.Count > 0 || References(table, chain.Name) > 0)
        {
            return Errno.EBUSY;
        }
        table.Chains.Remove(existing);
        return null;
    }

    private static Errno? ApplyRule(State state, RuleOperation op, uint port, out ulong handle)
    {
        handle = 0;
        Rule rule = op.Rule;
        TableState? table = state.Find(rule.Family, rule.Table);
        if (table is null)
        {
            return Errno.ENOENT;
        }
        if (!table.MayChange(port))
        {
            return Errno.EPERM;
        }
        ChainState? chain = table.Chains.FirstOrDefault(c => c.Chain.Name == rule.Chain);
        if (chain is null)
        {
            return Errno.ENOENT;
        }
        // What the rule names must exist: the sets it looks up and the chains it jumps to.
        foreach (NftExpression expression in rule.Expressions)
        {
            string? set = expression switch
            {
                LookupExpression l => l.Set,
                DynsetExpression d => d.Set,
                _ => null,
            };
            if (set is not null && !set.Contains('%') && !table.Sets.Any(s => s.Set.Name == set))
            {
                return Errno.ENOENT;
            }
            if (expression is ImmediateExpression { Verdict: { Kind: VerdictKind.Jump or VerdictKind.Goto, Chain: string target } } && !table.Chains.Any(c => c.Chain.Name == target))
            {
                return Errno.ENOENT;
            }
        }
        Rule stored = rule with { Handle = ++table.Handles, Position = null, Id = null };
        if (op.Kind == RuleOperation.Replace)
        {
            int at = chain.Rules.FindIndex(r => r.Handle == rule.Handle);
            if (at < 0)
            {
                return Errno.ENOENT;
            }
            chain.Rules[at] = stored;
        }
        else if (rule.Position is ulong position)
        {
            int at = chain.Rules.FindIndex(r => r.Handle == position);
            if (at < 0)
            {
                return Errno.ENOENT;
            }
            chain.Rules.Insert(op.Kind == RuleOperation.Insert ? at : at + 1, stored);
        }
        else if (op.Kind == RuleOperation.Insert)
        {
            chain.Rules.Insert(0, stored);
        }
        else
        {
            chain.Rules.Add(stored);
        }
        handle = stored.Handle;
        return null;
    }

    private static Errno? ApplyRuleDelete(State state, RuleDeleteOperation op, uint port)
    {
        TableState? table = state.Find(op.Family, op.TableName);
        if (table is null)
        {
            return op.IsDestroy ? null : Errno.ENOENT;
        }
        if (!table.MayChange(port))
        {
            return Errno.EPERM;
        }
        if (op.ChainName is null)
        {
            foreach (ChainState c in table.Chains)
            {
                c.Rules.Clear();
            }
            return null;
        }
        ChainState? chain = table.Chains.FirstOrDefault(c => c.Chain.Name == op.ChainName);
        if (chain is null)
        {
            return op.IsDestroy ? null : Errno.ENOENT;
        }
        if (op.Handle == 0)
        {
            chain.Rules.Clear();
            return null;
        }
        int removed = chain.Rules.RemoveAll(r => r.Handle == op.Handle);
        return removed == 0 && !op.IsDestroy ? Errno.ENOENT : null;
    }

    private static Errno? ApplySet(State state, SetOperation op, uint port)
    {
        Set set = op.Set;
        TableState? table = state.Find(set.Family, set.Table);
        bool destroy = op.Kind == SetOperation.Destroy;
        if (table is null)
        {
            return destroy ? null : Errno.ENOENT;
        }
        if (!table.MayChange(port))
        {
            return Errno.EPERM;
        }
        SetState? existing = table.Sets.FirstOrDefault(s => s.Set.Name == set.Name);
        if (op.Kind == SetOperation.Add || op.Kind == SetOperation.Create)
        {
            if (existing is not null)
            {
                // nf_tables_newset: an existing set is kept only when it is the same kind of set.
                Set have = existing.Set;
                bool same = have.Flags == set.Flags && have.KeyType == set.KeyType && have.KeyLength == set.KeyLength
                    && have.DataType == set.DataType && have.DataLength == set.DataLength && have.ObjectType == set.ObjectType;
                return op.Kind == SetOperation.Create || !same ? Errno.EEXIST : null;
            }
            table.Sets.Add(new SetState(set with { Handle = ++table.Handles, Id = null }));
            return null;
        }
        if (existing is null)
        {
            return destroy ? null : Errno.ENOENT;
        }
        if (table.Chains.Any(c => c.Rules.Any(r => r.Expressions.Any(e => e is LookupExpression l && l.Set == set.Name || e is DynsetExpression d && d.Set == set.Name))))
        {
            return Errno.EBUSY;
        }
        table.Sets.Remove(existing);
        return null;
    }

    private static Errno? ApplyElements(State state, ElementsOperation op, uint port)
    {
        TableState? table = state.Find(op.Set.Family, op.Set.Table);
        bool destroy = op.Kind == ElementsOperation.Destroy;
        if (table is null)
        {
            return destroy ? null : Errno.ENOENT;
        }
        if (!table.MayChange(port))
        {
            return Errno.EPERM;
        }
        SetState? set = table.Sets.FirstOrDefault(s => s.Set.Name == op.Set.Name);
        if (set is null)
        {
            return destroy ? null : Errno.ENOENT;
        }
        if (op.IsFlush)
        {
            set.Clear();
            return null;
        }
        bool adding = op.Kind == ElementsOperation.Add || op.Kind == ElementsOperation.Create;
        foreach (SetElement element in op.Elements)
        {
            SetElement? existing = set.Find(element.Key);
            if (adding)
            {
                if (existing is not null)
                {
                    // nft_add_set_elem: the same element again is fine without NLM_F_EXCL; other data is EEXIST.
                    if (op.Kind == ElementsOperation.Create || !Equals(existing.Data, element.Data) || !Equals(existing.Verdict, element.Verdict))
                    {
                        return Errno.EEXIST;
                    }
                    continue;
                }
                set.Add(element with { Expiration = null });
            }
            else if (existing is null)
            {
                if (!destroy)
                {
                    return Errno.ENOENT;
                }
            }
            else
            {
                set.Remove(element.Key);
            }
        }
        return null;
    }

    /// <summary>How many rules of <paramref name="table"/> jump or go to <paramref name="chain"/>.</summary>
    private static int References(TableState table, string chain) =>
        table.Chains.Sum(c => c.Rules.Count(r => r.Expressions.Any(e => e is ImmediateExpression { Verdict: { Kind: VerdictKind.Jump or VerdictKind.Goto } v } && v.Chain == chain)));

    private sealed class State
    {
        public uint Generation { get; set; } = 1;

        public ulong TableHandles { get; set; }

        public List<TableState> Tables { get; private init; } = new();

        public TableState? Find(NetfilterFamily family, string name) => Tables.FirstOrDefault(t => t.Table.Family == family && t.Table.Name == name);

        public State Clone() => new()
        {
            Generation = Generation,
            TableHandles = TableHandles,
            Tables = Tables.Select(t => t.Clone()).ToList(),
        };
    }

    private sealed class TableState
    {
        public TableState(Table table) => Table = table;

        public Table Table { get; set; }

        /// <summary>The socket that owns the table (NFT_TABLE_F_OWNER), if any.</summary>
        public uint? OwnerPort { get; init; }

        public ulong Handles { get; set; }

        public List<ChainState> Chains { get; private init; } = new();

        public List<SetState> Sets { get; private init; } = new();

        /// <summary>nf_tables: a table owned by one socket refuses every other socket's changes (EPERM).</summary>
        public bool MayChange(uint port) => OwnerPort is null || OwnerPort == port;

        public TableState Clone() => new(Table)
        {
            OwnerPort = OwnerPort,
            Handles = Handles,
            Chains = Chains.Select(c => new ChainState(c.Chain) { Rules = new List<Rule>(c.Rules) }).ToList(),
            Sets = Sets.Select(s => s.Clone()).ToList(),
        };
    }

    private sealed class ChainState
    {
        public ChainState(Chain chain) => Chain = chain;

        public Chain Chain { get; set; }

        public List<Rule> Rules { get; init; } = new();
    }

    private sealed class SetState
    {
        private readonly Dictionary<NftData, SetElement> _byKey;

        public SetState(Set set)
            : this(set, new List<SetElement>())
        {
        }

        private SetState(Set set, List<SetElement> elements)
        {
            Set = set;
            Elements = elements;
            _byKey = elements.ToDictionary(e => e.Key);
        }

        public Set Set { get; }

        public List<SetElement> Elements { get; }

        public SetElement? Find(NftData key) => _byKey.TryGetValue(key, out SetElement? element) ? element : null;

        public void Add(SetElement element)
        {
            Elements.Add(element);
            _byKey[element.Key] = element;
        }

        public void Remove(NftData key)
        {
            if (_byKey.Remove(key))
            {
                Elements.RemoveAll(e => e.Key.Equals(key));
            }
        }

        public void Clear()
        {
            Elements.Clear();
            _byKey.Clear();
        }

        public SetState Clone() => new(Set, new List<SetElement>(Elements));
    }
}
