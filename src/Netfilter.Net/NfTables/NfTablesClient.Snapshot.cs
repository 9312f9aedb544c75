using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Attributes;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesClient
{
    /// <summary>
    /// Reads one table consistently (its chains, sets with elements, and rules), with the
    /// generation it was read at. The cost depends on that table only, not on the rest of the
    /// ruleset. A table that does not exist gives an empty snapshot (no tables).
    /// </summary>
    /// <exception cref="NetlinkDumpInterruptedException">The ruleset kept changing while it was read.</exception>
    public Task<Ruleset> GetTableSnapshotAsync(NetfilterFamily family, string table, CancellationToken cancellationToken = default) =>
        TableSnapshotAsync(family, table, withElements: true, ruleChains: null, cancellationToken);

    /// <summary>
    /// Like <see cref="GetTableSnapshotAsync"/> but without set elements and with the rules of
    /// <paramref name="ruleChains"/> only: a cheap look at a table's structure whose cost does not
    /// grow with the number of elements.
    /// </summary>
    internal Task<Ruleset> GetLayoutSnapshotAsync(NetfilterFamily family, string table, IReadOnlyCollection<string> ruleChains, CancellationToken cancellationToken = default) =>
        TableSnapshotAsync(family, table, withElements: false, ruleChains, cancellationToken);

    /// <summary>Test hook: runs in a table snapshot right after the table dump, where another writer's change makes the next dumps answer ENOENT.</summary>
    internal Func<CancellationToken, Task>? AfterSnapshotTableDump { get; set; }

    private async Task<Ruleset> TableSnapshotAsync(NetfilterFamily family, string table, bool withElements, IReadOnlyCollection<string>? ruleChains, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        if (family == NetfilterFamily.Unspecified)
        {
            throw new ArgumentException("a table is identified by its family and name: give the family", nameof(family));
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                uint before = (await GetGenerationCoreAsync(cancellationToken).ConfigureAwait(false)).Id;
                List<Table> tables = await DumpAllCoreAsync(NfTablesMessageType.GetTable, family, null, "dump NFT_MSG_GETTABLE", static (in NetlinkMessage m, out Table t) => { t = TableCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false);
                tables.RemoveAll(t => t.Name != table);
                if (AfterSnapshotTableDump is { } hook)
                {
                    await hook(cancellationToken).ConfigureAwait(false);
                }
                var chains = new List<Chain>();
                var sets = new List<Set>();
                var rules = new List<Rule>();
                var elements = new Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>>();
                // A table, chain or set deleted between two of these dumps answers ENOENT: that is
                // a change under the read like any other, so it is retried (the generation moved)
                // instead of surfacing as a bare "no such file or directory".
                bool vanished = false;
                try
                {
                    if (tables.Count > 0)
                    {
                        chains = await DumpAllCoreAsync(NfTablesMessageType.GetChain, family, w => w.WriteStringZ(ChainAttribute.Table, table), "dump NFT_MSG_GETCHAIN", static (in NetlinkMessage m, out Chain c) => { c = ChainCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false);
                        sets = await DumpAllCoreAsync(NfTablesMessageType.GetSet, family, w => w.WriteStringZ(SetAttribute.Table, table), "dump NFT_MSG_GETSET", static (in NetlinkMessage m, out Set s) => { s = SetCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false);
                        foreach (Set set in withElements ? sets : new List<Set>())
                        {
                            elements[(set.Family, set.Table, set.Name)] = await DumpElementsCoreAsync(family, table, set.Name, cancellationToken).ConfigureAwait(false);
                        }
                        if (ruleChains is null)
                        {
                            rules = await DumpAllCoreAsync(NfTablesMessageType.GetRule, family, w => w.WriteStringZ(RuleAttribute.Table, table), "dump NFT_MSG_GETRULE", static (in NetlinkMessage m, out Rule r) => { r = RuleCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            foreach (string chain in ruleChains)
                            {
                                if (!chains.Exists(c => c.Name == chain))
                                {
                                    continue;
                                }
                                rules.AddRange(await DumpAllCoreAsync(NfTablesMessageType.GetRule, family, w =>
                                {
                                    w.WriteStringZ(RuleAttribute.Table, table);
                                    w.WriteStringZ(RuleAttribute.Chain, chain);
                                }, "dump NFT_MSG_GETRULE", static (in NetlinkMessage m, out Rule r) => { r = RuleCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false));
                            }
                        }
                    }
                }
                catch (NetfilterException e) when (e.Errno == Errno.ENOENT)
                {
                    vanished = true;
                }
                uint after = (await GetGenerationCoreAsync(cancellationToken).ConfigureAwait(false)).Id;
                if (before == after && !vanished)
                {
                    return new Ruleset(after, tables, chains, sets, elements, rules);
                }
                if (attempt >= SnapshotAttempts)
                {
                    throw new NetlinkDumpInterruptedException($"snapshot of table {FamilyNames.Of(family)} {table}", 0, attempt);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
