using System;
using System.Collections.Generic;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Operations;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables;

/// <summary>
/// A list of ruleset changes that the kernel applies all together or not at all: one nfnetlink
/// batch, committed with <see cref="NfTablesClient.CommitAsync"/>. Operations run in the order
/// they were added; a failure names the operation (its index and description) and, for rules,
/// the expression the kernel pointed at.
/// </summary>
/// <remarks>
/// Arguments are checked when an operation is added (an <see cref="ArgumentException"/> naming
/// the parameter): names of at most 255 bytes without NUL (NFT_NAME_MAXLEN), userdata of at most
/// 256 bytes (NFT_USERDATA_MAXLEN), a handle where one is needed and none where the kernel would
/// refuse one, non-empty element lists. So a transaction that was built is sent whole, and what
/// the kernel still refuses is reported by <see cref="NfTablesClient.CommitAsync"/>. The flags of each message are
/// those nft 1.0.6 sends for the same command, plus NLM_F_ACK on every message and NLM_F_ECHO on
/// rules (to learn the handles the kernel gives them).
/// </remarks>
/// <example>
/// <code>
/// var tx = new NfTablesTransaction()
///     .AddTable(new Table(NetfilterFamily.Inet, "demo"))
///     .AddChain(new Chain(NetfilterFamily.Inet, "demo", "pre") { Hook = new ChainHook(ChainHooks.Prerouting, ChainPriorities.DestinationNat), Type = "nat", Policy = VerdictKind.Accept })
///     .AddRule(new Rule(NetfilterFamily.Inet, "demo", "pre", expressions));
/// NfTablesCommitResult result = await client.CommitAsync(tx);
/// ulong handle = result.Handles[2];
/// </code>
/// </example>
public sealed class NfTablesTransaction
{
    private readonly List<Operation> _operations = new();

    /// <summary>The number of operations.</summary>
    public int Count => _operations.Count;

    /// <summary>The operations' descriptions, in order (as used in error messages), e.g. "add rule inet demo pre".</summary>
    public IReadOnlyList<string> Descriptions => _operations.ConvertAll(o => o.Description);

    /// <summary>
    /// When set, the kernel refuses the whole transaction unless the ruleset generation is still
    /// this one (NFNL_BATCH_GENID): <see cref="NfTablesGenerationException"/>. Read the generation
    /// (<see cref="NfTablesClient.GetGenerationAsync"/> or <see cref="Ruleset.Generation"/>),
    /// compute the changes, commit with the check; on failure re-read and retry.
    /// </summary>
    public uint? ExpectedGeneration { get; set; }

    /// <summary>
    /// Whether the kernel is asked to send back each added, inserted or replaced rule
    /// (NLM_F_ECHO) so that <see cref="NfTablesCommitResult.Handles"/> holds the handles it gave
    /// them. True by default. Set it false (when the transaction is created) for a large change
    /// whose handles nobody needs, such as recreating a saved ruleset: the kernel then builds no
    /// copy of each new rule and the commit costs less; the handles of its rules read as 0.
    /// </summary>
    public bool ReturnsHandles { get; init; } = true;

    internal IReadOnlyList<Operation> Operations => _operations;

    /// <summary>Adds a table, or updates its flags and comment if it exists (nft "add table").</summary>
    /// <exception cref="ArgumentException">The table's name is not a valid nftables name.</exception>
    public NfTablesTransaction AddTable(Table table) => Add(new TableOperation(table, TableOperation.Add));

    /// <summary>Creates a table; the transaction fails with EEXIST if it exists (nft "create table").</summary>
    /// <exception cref="ArgumentException">The table's name is not a valid nftables name.</exception>
    public NfTablesTransaction CreateTable(Table table) => Add(new TableOperation(table, TableOperation.Create));

    /// <summary>Deletes a table and everything in it; the transaction fails with ENOENT if it is absent (nft "delete table").</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid nftables name.</exception>
    public NfTablesTransaction DeleteTable(NetfilterFamily family, string name) => Add(new TableOperation(TableFor(family, name, nameof(name)), TableOperation.Delete));

    /// <summary>Deletes a table and everything in it if it exists (NFT_MSG_DESTROYTABLE, kernel 6.3+; older kernels refuse the transaction).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid nftables name.</exception>
    public NfTablesTransaction DestroyTable(NetfilterFamily family, string name) => Add(new TableOperation(TableFor(family, name, nameof(name)), TableOperation.Destroy));

    /// <summary>Deletes every rule of every chain of a table; chains and sets stay (nft "flush table").</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid nftables name.</exception>
    public NfTablesTransaction FlushTable(NetfilterFamily family, string name)
    {
        ObjectNames.Check(name, "table", nameof(name));
        return Add(RuleDeleteOperation.Flush(family, name, null));
    }

    /// <summary>Adds a chain, or updates it (policy, comment) if it exists (nft "add chain").</summary>
    /// <exception cref="ArgumentException">The chain's or its table's name is not a valid nftables name.</exception>
    public NfTablesTransaction AddChain(Chain chain) => Add(new ChainOperation(chain, ChainOperation.Add));

    /// <summary>Creates a chain; the transaction fails with EEXIST if it exists (nft "create chain").</summary>
    /// <exception cref="ArgumentException">The chain's or its table's name is not a valid nftables name.</exception>
    public NfTablesTransaction CreateChain(Chain chain) => Add(new ChainOperation(chain, ChainOperation.Create));

    /// <summary>Deletes a chain, which must be empty and unreferenced (nft "delete chain").</summary>
    /// <exception cref="ArgumentException">A name is not a valid nftables name.</exception>
    public NfTablesTransaction DeleteChain(NetfilterFamily family, string table, string name) => Add(new ChainOperation(ChainFor(family, table, name), ChainOperation.Delete));

    /// <summary>Deletes a chain if it exists (NFT_MSG_DESTROYCHAIN, kernel 6.3+).</summary>
    /// <exception cref="ArgumentException">A name is not a valid nftables name.</exception>
    public NfTablesTransaction DestroyChain(NetfilterFamily family, string table, string name) => Add(new ChainOperation(ChainFor(family, table, name), ChainOperation.Destroy));

    /// <summary>Deletes every rule of a chain (nft "flush chain").</summary>
    /// <exception cref="ArgumentException">A name is not a valid nftables name.</exception>
    public NfTablesTransaction FlushChain(NetfilterFamily family, string table, string name)
    {
        ObjectNames.Check(table, "table", nameof(table));
        ObjectNames.Check(name, "chain", nameof(name));
        return Add(RuleDeleteOperation.Flush(family, table, name));
    }

    /// <summary>
    /// Appends a rule to its chain (nft "add rule"), or, when <see cref="Rule.Position"/> is set,
    /// adds it right after the rule with that handle (nft "add rule ... position N"). The new
    /// rule's handle comes back in <see cref="NfTablesCommitResult.Handles"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The rule carries a <see cref="Rule.Handle"/> (use <see cref="ReplaceRule"/>, or clear it), or a name is invalid.</exception>
    public NfTablesTransaction AddRule(Rule rule) => Add(new RuleOperation(rule, RuleOperation.Add, ReturnsHandles));

    /// <summary>
    /// Inserts a rule at the start of its chain (nft "insert rule"), or, when
    /// <see cref="Rule.Position"/> is set, right before the rule with that handle
    /// (nft "insert rule ... position N"). The new rule's handle comes back in the result.
    /// </summary>
    /// <exception cref="ArgumentException">The rule carries a <see cref="Rule.Handle"/>, or a name is invalid.</exception>
    public NfTablesTransaction InsertRule(Rule rule) => Add(new RuleOperation(rule, RuleOperation.Insert, ReturnsHandles));

    /// <summary>
    /// Replaces the rule whose handle is <see cref="Rule.Handle"/> with this one, in the same
    /// place (nft "replace rule ... handle N"). The kernel gives the replacement a new handle,
    /// which comes back in the result.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="Rule.Handle"/> is 0, or a name is invalid.</exception>
    public NfTablesTransaction ReplaceRule(Rule rule) => Add(new RuleOperation(rule, RuleOperation.Replace, ReturnsHandles));

    /// <summary>Deletes the rule with <paramref name="handle"/>; the transaction fails with ENOENT if it is absent (nft "delete rule ... handle N").</summary>
    /// <exception cref="ArgumentException"><paramref name="handle"/> is 0, or a name is invalid.</exception>
    public NfTablesTransaction DeleteRule(NetfilterFamily family, string table, string chain, ulong handle) => Add(RuleDeleteOperation.Delete(family, table, chain, handle, destroy: false));

    /// <summary>Deletes the rule with <paramref name="handle"/> if it exists (NFT_MSG_DESTROYRULE, kernel 6.3+).</summary>
    /// <exception cref="ArgumentException"><paramref name="handle"/> is 0, or a name is invalid.</exception>
    public NfTablesTransaction DestroyRule(NetfilterFamily family, string table, string chain, ulong handle) => Add(RuleDeleteOperation.Delete(family, table, chain, handle, destroy: true));

    /// <summary>
    /// Adds a set or map (nft "add set"), with optional initial elements. Give the set an
    /// <see cref="Set.Id"/> when rules or elements of the same transaction refer to it.
    /// </summary>
    /// <exception cref="ArgumentException">A name is invalid.</exception>
    public NfTablesTransaction AddSet(Set set, IReadOnlyCollection<SetElement>? elements = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        set = WithId(set);
        Add(new SetOperation(set, SetOperation.Add));
        return elements is { Count: > 0 } ? AddElements(set, elements) : this;
    }

    /// <summary>Creates a set or map; the transaction fails with EEXIST if it exists (nft "create set").</summary>
    /// <exception cref="ArgumentException">A name is invalid.</exception>
    public NfTablesTransaction CreateSet(Set set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return Add(new SetOperation(WithId(set), SetOperation.Create));
    }

    // The kernel requires NFTA_SET_ID on every NEWSET (nf_tables_newset): it names the set
    // within the transaction. A set given without one gets a transaction-unique id.
    private uint _nextSetId = 0x4e460000;

    private Set WithId(Set set) => set.Id is null ? set with { Id = ++_nextSetId } : set;

    /// <summary>Deletes a set or map, which must not be referenced by rules (nft "delete set").</summary>
    /// <exception cref="ArgumentException">A name is invalid.</exception>
    public NfTablesTransaction DeleteSet(NetfilterFamily family, string table, string name) => Add(new SetOperation(SetFor(family, table, name), SetOperation.Delete));

    /// <summary>Deletes a set or map if it exists (NFT_MSG_DESTROYSET, kernel 6.3+).</summary>
    /// <exception cref="ArgumentException">A name is invalid.</exception>
    public NfTablesTransaction DestroySet(NetfilterFamily family, string table, string name) => Add(new SetOperation(SetFor(family, table, name), SetOperation.Destroy));

    /// <summary>Removes every element of a set or map; the set stays (nft "flush set").</summary>
    /// <exception cref="ArgumentException">A name is invalid.</exception>
    public NfTablesTransaction FlushSet(NetfilterFamily family, string table, string name) => Add(ElementsOperation.Flush(SetFor(family, table, name)));

    /// <summary>Adds elements to a set or map; elements that exist are left as they are (nft "add element").</summary>
    /// <exception cref="ArgumentException"><paramref name="elements"/> is empty, or a name is invalid.</exception>
    public NfTablesTransaction AddElements(Set set, IReadOnlyCollection<SetElement> elements) => Add(new ElementsOperation(set, elements, ElementsOperation.Add));

    /// <summary>Adds elements; the transaction fails with EEXIST if one exists (nft "create element").</summary>
    /// <exception cref="ArgumentException"><paramref name="elements"/> is empty, or a name is invalid.</exception>
    public NfTablesTransaction CreateElements(Set set, IReadOnlyCollection<SetElement> elements) => Add(new ElementsOperation(set, elements, ElementsOperation.Create));

    /// <summary>Deletes elements (by key); the transaction fails with ENOENT if one is absent (nft "delete element").</summary>
    /// <exception cref="ArgumentException"><paramref name="elements"/> is empty (use <see cref="FlushSet"/> to remove all), or a name is invalid.</exception>
    public NfTablesTransaction DeleteElements(Set set, IReadOnlyCollection<SetElement> elements) => Add(new ElementsOperation(set, elements, ElementsOperation.Delete));

    /// <summary>Deletes the elements that exist and ignores absent ones (NFT_MSG_DESTROYSETELEM, kernel 6.3+).</summary>
    /// <exception cref="ArgumentException"><paramref name="elements"/> is empty, or a name is invalid.</exception>
    public NfTablesTransaction DestroyElements(Set set, IReadOnlyCollection<SetElement> elements) => Add(new ElementsOperation(set, elements, ElementsOperation.Destroy));

    /// <summary>
    /// Adds a stateful object (nft "add counter|quota|limit|ct helper|..."). If one of the same type
    /// and name exists, the kernel updates it where the type allows (quota, limit, ...) and keeps it otherwise.
    /// </summary>
    public NfTablesTransaction AddObject(NftObject obj) => Add(new ObjectOperation(obj, ObjectOperation.Add));

    /// <summary>Creates a stateful object; the transaction fails with EEXIST if one of the same type and name exists.</summary>
    public NfTablesTransaction CreateObject(NftObject obj) => Add(new ObjectOperation(obj, ObjectOperation.Create));

    /// <summary>Deletes the object of <paramref name="type"/> named <paramref name="name"/>; it must not be referenced (EBUSY) and must exist (ENOENT).</summary>
    public NfTablesTransaction DeleteObject(NetfilterFamily family, string table, NftObjectType type, string name) =>
        Add(new ObjectOperation(family, table, type, name ?? throw new ArgumentNullException(nameof(name)), 0, ObjectOperation.Delete));

    /// <summary>Deletes the object of <paramref name="type"/> with <paramref name="handle"/>.</summary>
    public NfTablesTransaction DeleteObject(NetfilterFamily family, string table, NftObjectType type, ulong handle) =>
        Add(new ObjectOperation(family, table, type, null, handle, ObjectOperation.Delete));

    /// <summary>Deletes the object if it exists (NFT_MSG_DESTROYOBJ, kernel 6.3+).</summary>
    public NfTablesTransaction DestroyObject(NetfilterFamily family, string table, NftObjectType type, string name) =>
        Add(new ObjectOperation(family, table, type, name ?? throw new ArgumentNullException(nameof(name)), 0, ObjectOperation.Destroy));

    /// <summary>Adds a flowtable (nft "add flowtable"); an existing one of the same name gets the new devices added.</summary>
    public NfTablesTransaction AddFlowtable(Flowtable flowtable) => Add(new FlowtableOperation(flowtable, FlowtableOperation.Add));

    /// <summary>Creates a flowtable; the transaction fails with EEXIST if one of the same name exists.</summary>
    public NfTablesTransaction CreateFlowtable(Flowtable flowtable) => Add(new FlowtableOperation(flowtable, FlowtableOperation.Create));

    /// <summary>Deletes the flowtable named <paramref name="name"/> (no rule may refer to it).</summary>
    public NfTablesTransaction DeleteFlowtable(NetfilterFamily family, string table, string name) =>
        Add(new FlowtableOperation(family, table, name ?? throw new ArgumentNullException(nameof(name)), 0, FlowtableOperation.Delete));

    /// <summary>Deletes the flowtable with <paramref name="handle"/>.</summary>
    public NfTablesTransaction DeleteFlowtable(NetfilterFamily family, string table, ulong handle) =>
        Add(new FlowtableOperation(family, table, null, handle, FlowtableOperation.Delete));

    /// <summary>Deletes the flowtable if it exists (NFT_MSG_DESTROYFLOWTABLE, kernel 6.3+).</summary>
    public NfTablesTransaction DestroyFlowtable(NetfilterFamily family, string table, string name) =>
        Add(new FlowtableOperation(family, table, name ?? throw new ArgumentNullException(nameof(name)), 0, FlowtableOperation.Destroy));

    /// <summary>
    /// A transaction that recreates <paramref name="ruleset"/> (for example in another namespace,
    /// or after a flush): table by table, the table, its chains, stateful objects and flowtables,
    /// its sets with their elements, then its rules in kernel order. Kernel-assigned state is left
    /// out: handles, positions, use counts, NFT_CHAIN_BASE (implied by the hook), the owner flag
    /// (the new owner is whoever commits), and the set size a dynset implied. An element's time
    /// left (<see cref="SetElement.Expiration"/>) is kept where the kernel takes it back (see
    /// <see cref="SetElement.Expiration"/>), so timers continue instead of restarting.
    /// </summary>
    public static NfTablesTransaction Recreate(Ruleset ruleset) => Recreate(ruleset, new NfTablesTransaction());

    /// <summary>
    /// Appends to <paramref name="into"/> the operations of <see cref="Recreate(Ruleset)"/>, after
    /// what it already holds: e.g. deletes of the tables being replaced, so that replacing them is
    /// one atomic transaction (what <see cref="RulesetDocument.RestoreAsync"/> does).
    /// </summary>
    /// <returns><paramref name="into"/>.</returns>
    public static NfTablesTransaction Recreate(Ruleset ruleset, NfTablesTransaction into)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        ArgumentNullException.ThrowIfNull(into);
        ruleset.Accept(new RulesetRecreator(into));
        return into;
    }

    /// <summary>Puts <paramref name="operation"/> in the place of the operation at <paramref name="index"/> (a recreated set whose size turns out to be implied).</summary>
    internal void ReplaceOperation(int index, Operation operation) => _operations[index] = operation;

    private NfTablesTransaction Add(Operation operation)
    {
        _operations.Add(operation);
        return this;
    }

    private static Table TableFor(NetfilterFamily family, string name, string parameter)
    {
        ObjectNames.Check(name, "table", parameter);
        return new Table(family, name);
    }

    private static Chain ChainFor(NetfilterFamily family, string table, string name)
    {
        ObjectNames.Check(table, "table", nameof(table));
        ObjectNames.Check(name, "chain", nameof(name));
        return new Chain(family, table, name);
    }

    private static Set SetFor(NetfilterFamily family, string table, string name)
    {
        ObjectNames.Check(table, "table", nameof(table));
        ObjectNames.Check(name, "set", nameof(name));
        return new Set(family, table, name);
    }
}
