using System;
using System.Collections.Generic;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables;

/// <summary>
/// A list of ruleset changes that the kernel applies all together or not at all: one nfnetlink
/// batch, committed with <see cref="NfTablesClient.CommitAsync"/>. Operations run in the order
/// they were added; a failure names the operation (its index and description) and, for rules,
/// the expression the kernel pointed at.
/// </summary>
/// <example>
/// <code>
/// var tx = new NfTablesTransaction()
///     .AddTable(new Table(ProtocolFamily.Inet, "demo"))
///     .AddChain(new Chain(ProtocolFamily.Inet, "demo", "pre") { Hook = new ChainHook(ChainHooks.Prerouting, ChainPriorities.DestinationNat), Type = "nat", Policy = VerdictKind.Accept })
///     .AddRule(new Rule(ProtocolFamily.Inet, "demo", "pre", expressions));
/// NfTablesCommitResult result = await client.CommitAsync(tx);
/// </code>
/// </example>
public sealed partial class NfTablesTransaction
{
    private readonly List<Operation> _operations = new();

    /// <summary>The number of operations.</summary>
    public int Count => _operations.Count;

    /// <summary>The operations' descriptions, in order (as used in error messages).</summary>
    public IReadOnlyList<string> Descriptions => _operations.ConvertAll(o => o.Description);

    /// <summary>
    /// When set, the kernel refuses the whole transaction unless the ruleset generation is still
    /// this one (NFNL_BATCH_GENID): <see cref="NfTablesGenerationException"/>. Read the generation,
    /// read the ruleset, compute changes, commit with the check; on failure re-read and retry.
    /// </summary>
    public uint? ExpectedGeneration { get; set; }

    internal IReadOnlyList<Operation> Operations => _operations;

    /// <summary>Adds a table, or does nothing if it exists (nft "add table"; flags and comment are updated).</summary>
    public NfTablesTransaction AddTable(Table table) => Add(Op.Table(table, NetlinkMessageFlags.Create, NfTablesMessageType.NewTable, "add"));

    /// <summary>Creates a table; the transaction fails with EEXIST if it exists (nft "create table").</summary>
    public NfTablesTransaction CreateTable(Table table) => Add(Op.Table(table, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, NfTablesMessageType.NewTable, "create"));

    /// <summary>Deletes a table and everything in it; fails with ENOENT if absent.</summary>
    public NfTablesTransaction DeleteTable(ProtocolFamily family, string name) => Add(Op.Table(new Table(family, name), NetlinkMessageFlags.None, NfTablesMessageType.DelTable, "delete"));

    /// <summary>Deletes a table if it exists (NFT_MSG_DESTROYTABLE, kernel 6.3+; EOPNOTSUPP/EINVAL before).</summary>
    public NfTablesTransaction DestroyTable(ProtocolFamily family, string name) => Add(Op.Table(new Table(family, name), NetlinkMessageFlags.None, NfTablesMessageType.DestroyTable, "destroy"));

    /// <summary>Deletes every rule of every chain of a table (nft "flush table").</summary>
    public NfTablesTransaction FlushTable(ProtocolFamily family, string name) => Add(Op.FlushRules(family, name, null));

    /// <summary>Adds a chain, or updates it if it exists (nft "add chain").</summary>
    public NfTablesTransaction AddChain(Chain chain) => Add(Op.Chain(chain, NetlinkMessageFlags.Create, NfTablesMessageType.NewChain, "add"));

    /// <summary>Creates a chain; fails with EEXIST if it exists.</summary>
    public NfTablesTransaction CreateChain(Chain chain) => Add(Op.Chain(chain, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, NfTablesMessageType.NewChain, "create"));

    /// <summary>Deletes a chain (it must be empty and unreferenced).</summary>
    public NfTablesTransaction DeleteChain(ProtocolFamily family, string table, string name) => Add(Op.Chain(new Chain(family, table, name), NetlinkMessageFlags.None, NfTablesMessageType.DelChain, "delete"));

    /// <summary>Deletes a chain if it exists (NFT_MSG_DESTROYCHAIN, kernel 6.3+).</summary>
    public NfTablesTransaction DestroyChain(ProtocolFamily family, string table, string name) => Add(Op.Chain(new Chain(family, table, name), NetlinkMessageFlags.None, NfTablesMessageType.DestroyChain, "destroy"));

    /// <summary>Deletes every rule of a chain (nft "flush chain").</summary>
    public NfTablesTransaction FlushChain(ProtocolFamily family, string table, string name) => Add(Op.FlushRules(family, table, name));

    /// <summary>
    /// Appends a rule to its chain, or, when <see cref="Rule.Position"/> is set, adds it after
    /// the rule with that handle. The new rule's handle comes back in the commit result.
    /// </summary>
    public NfTablesTransaction AddRule(Rule rule) => Add(Op.Rule(rule, NetlinkMessageFlags.Create | NetlinkMessageFlags.Append, "add"));

    /// <summary>
    /// Inserts a rule at the start of its chain, or, when <see cref="Rule.Position"/> is set,
    /// before the rule with that handle.
    /// </summary>
    public NfTablesTransaction InsertRule(Rule rule) => Add(Op.Rule(rule, NetlinkMessageFlags.Create, "insert"));

    /// <summary>Replaces the rule whose handle is <see cref="Rule.Handle"/> (which must be set).</summary>
    public NfTablesTransaction ReplaceRule(Rule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Handle == 0)
        {
            throw new ArgumentException("replacing a rule needs the handle of the rule to replace (Rule.Handle)", nameof(rule));
        }
        return Add(Op.Rule(rule, NetlinkMessageFlags.Replace, "replace"));
    }

    /// <summary>Deletes the rule with <paramref name="handle"/>.</summary>
    public NfTablesTransaction DeleteRule(ProtocolFamily family, string table, string chain, ulong handle) => Add(Op.DeleteRule(family, table, chain, handle, NfTablesMessageType.DelRule, "delete"));

    /// <summary>Deletes the rule with <paramref name="handle"/> if it exists (NFT_MSG_DESTROYRULE, kernel 6.3+).</summary>
    public NfTablesTransaction DestroyRule(ProtocolFamily family, string table, string chain, ulong handle) => Add(Op.DeleteRule(family, table, chain, handle, NfTablesMessageType.DestroyRule, "destroy"));

    /// <summary>Adds a set or map, with optional initial elements (nft "add set").</summary>
    public NfTablesTransaction AddSet(Set set, IReadOnlyCollection<SetElement>? elements = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        // The kernel requires NFTA_SET_ID on NEWSET (it names the set within the transaction).
        set = set.Id is null ? set with { Id = NextSetId() } : set;
        Add(Op.Set(set, NetlinkMessageFlags.Create, NfTablesMessageType.NewSet, "add"));
        return elements is { Count: > 0 } ? AddElements(set, elements) : this;
    }

    /// <summary>Creates a set or map; fails with EEXIST if it exists.</summary>
    public NfTablesTransaction CreateSet(Set set)
    {
        ArgumentNullException.ThrowIfNull(set);
        set = set.Id is null ? set with { Id = NextSetId() } : set;
        return Add(Op.Set(set, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, NfTablesMessageType.NewSet, "create"));
    }

    private uint _nextSetId = 0x4e460000; // "NF": ids the caller is unlikely to pick by hand

    private uint NextSetId() => ++_nextSetId;

    /// <summary>Deletes a set or map (it must not be referenced by rules).</summary>
    public NfTablesTransaction DeleteSet(ProtocolFamily family, string table, string name) => Add(Op.Set(new Set(family, table, name), NetlinkMessageFlags.None, NfTablesMessageType.DelSet, "delete"));

    /// <summary>Deletes a set if it exists (NFT_MSG_DESTROYSET, kernel 6.3+).</summary>
    public NfTablesTransaction DestroySet(ProtocolFamily family, string table, string name) => Add(Op.Set(new Set(family, table, name), NetlinkMessageFlags.None, NfTablesMessageType.DestroySet, "destroy"));

    /// <summary>Removes every element of a set (nft "flush set").</summary>
    public NfTablesTransaction FlushSet(ProtocolFamily family, string table, string name) => Add(Op.Elements(new Set(family, table, name), Array.Empty<SetElement>(), NfTablesMessageType.DelSetElement, NetlinkMessageFlags.None, "flush"));

    /// <summary>Adds elements to a set or map (existing equal elements are kept: nft "add element").</summary>
    public NfTablesTransaction AddElements(Set set, IReadOnlyCollection<SetElement> elements) => Add(Op.Elements(set, elements, NfTablesMessageType.NewSetElement, NetlinkMessageFlags.Create, "add"));

    /// <summary>Adds elements; fails with EEXIST if one exists (nft "create element").</summary>
    public NfTablesTransaction CreateElements(Set set, IReadOnlyCollection<SetElement> elements) => Add(Op.Elements(set, elements, NfTablesMessageType.NewSetElement, NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl, "create"));

    /// <summary>Deletes elements (by key) from a set or map; fails with ENOENT if one is absent.</summary>
    public NfTablesTransaction DeleteElements(Set set, IReadOnlyCollection<SetElement> elements) => Add(Op.Elements(set, elements, NfTablesMessageType.DelSetElement, NetlinkMessageFlags.None, "delete"));

    /// <summary>Deletes elements that exist, ignoring absent ones (NFT_MSG_DESTROYSETELEM, kernel 6.3+).</summary>
    public NfTablesTransaction DestroyElements(Set set, IReadOnlyCollection<SetElement> elements) => Add(Op.Elements(set, elements, NfTablesMessageType.DestroySetElement, NetlinkMessageFlags.None, "destroy"));

    private NfTablesTransaction Add(Operation operation)
    {
        _operations.Add(operation);
        return this;
    }
}
