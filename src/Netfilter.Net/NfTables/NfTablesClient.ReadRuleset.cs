using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Attributes;
using Netfilter.Net.NfTables.Internal.Documents;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesClient
{
    /// <summary>
    /// Streams the whole ruleset (or one family's) into <paramref name="visitor"/>, table by
    /// table, as the kernel dumps it: memory holds one dump datagram's worth of parts and the set
    /// list of one table, never the ruleset. The order is the one a transaction recreates it in
    /// (see <see cref="RulesetVisitor"/>).
    /// </summary>
    /// <remarks>
    /// Unlike <see cref="GetRulesetAsync"/>, which reads again until it has a consistent copy,
    /// this cannot take back what the visitor already received: when the ruleset changes while it
    /// is read (the generation differs at the end), it throws once everything was visited, so a
    /// caller writing a file throws that file away and reads again.
    /// </remarks>
    /// <returns>What was visited, with the generation it was read at.</returns>
    /// <exception cref="NetlinkDumpInterruptedException">The ruleset changed while it was read: what the visitor received may mix two generations.</exception>
    /// <exception cref="NetlinkException">The kernel refused a dump (EPERM without CAP_NET_ADMIN).</exception>
    public async Task<RulesetSummary> ReadRulesetAsync(RulesetVisitor visitor, NetfilterFamily family = NetfilterFamily.Unspecified, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        var counter = new CountingVisitor(visitor);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            uint before = (await GetGenerationCoreAsync(cancellationToken).ConfigureAwait(false)).Id;
            counter.BeginRuleset(before);
            List<Table> tables = await DumpAllCoreAsync(NfTablesMessageType.GetTable, family, null, "dump NFT_MSG_GETTABLE", static (in NetlinkMessage m, out Table t) => { t = TableCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false);
            foreach (Table table in tables)
            {
                await ReadTableAsync(table, counter, cancellationToken).ConfigureAwait(false);
            }
            uint after = (await GetGenerationCoreAsync(cancellationToken).ConfigureAwait(false)).Id;
            if (after != before)
            {
                throw new NetlinkDumpInterruptedException($"read the ruleset (generation {before}, then {after})", 0, 1);
            }
            counter.EndRuleset();
        }
        finally
        {
            _gate.Release();
        }
        await counter.FlushAsync(cancellationToken).ConfigureAwait(false);
        return counter.Summary;
    }

    private async Task ReadTableAsync(Table table, CountingVisitor visitor, CancellationToken cancellationToken)
    {
        string name = table.Name;
        NetfilterFamily family = table.Family;
        visitor.VisitTable(table);
        // Each dump asks for this table only; the kernel ignores the table filter of some dumps
        // (chains, on kernels before 6.x), so the answer is filtered here too.
        await foreach (Chain chain in DumpCoreAsync(NfTablesMessageType.GetChain, family, w => w.WriteStringZ(ChainAttribute.Table, name), "dump NFT_MSG_GETCHAIN",
            static (in NetlinkMessage m, out Chain c) => { c = ChainCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false))
        {
            if (chain.Table == name && chain.Family == family)
            {
                visitor.VisitChain(chain);
                await visitor.FlushIfDueAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        await foreach (NftObject obj in DumpCoreAsync(NfTablesMessageType.GetObj, family, w => w.WriteStringZ(ObjectAttribute.Table, name), "dump NFT_MSG_GETOBJ",
            static (in NetlinkMessage m, out NftObject o) => { o = ObjectCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false))
        {
            if (obj.Table == name && obj.Family == family)
            {
                visitor.VisitObject(obj);
                await visitor.FlushIfDueAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        await foreach (Flowtable flowtable in DumpCoreAsync(NfTablesMessageType.GetFlowtable, family, w => w.WriteStringZ(FlowtableAttribute.Table, name), "dump NFT_MSG_GETFLOWTABLE",
            static (in NetlinkMessage m, out Flowtable f) => { f = FlowtableCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false))
        {
            if (flowtable.Table == name && flowtable.Family == family)
            {
                visitor.VisitFlowtable(flowtable);
                await visitor.FlushIfDueAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        // The set list is read whole (one socket serves one dump at a time): a table has few sets.
        List<Set> sets = await DumpAllCoreAsync(NfTablesMessageType.GetSet, family, w => w.WriteStringZ(SetAttribute.Table, name), "dump NFT_MSG_GETSET",
            static (in NetlinkMessage m, out Set s) => { s = SetCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false);
        foreach (Set set in sets)
        {
            if (set.Table != name || set.Family != family)
            {
                continue;
            }
            visitor.VisitSet(set);
            // ListElementsAsync streams on a socket of its own and survives a hash set's resize
            // (repeats dropped, what a disturbed walk skipped read again), so each element is
            // visited once.
            await foreach (SetElement element in ListElementsAsync(family, name, set.Name, cancellationToken).ConfigureAwait(false))
            {
                visitor.VisitElement(set, element);
                await visitor.FlushIfDueAsync(cancellationToken).ConfigureAwait(false);
            }
            visitor.EndSet(set);
        }
        await foreach (Rule rule in DumpCoreAsync(NfTablesMessageType.GetRule, family, w => w.WriteStringZ(RuleAttribute.Table, name), "dump NFT_MSG_GETRULE",
            static (in NetlinkMessage m, out Rule r) => { r = RuleCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false))
        {
            if (rule.Table == name && rule.Family == family)
            {
                visitor.VisitRule(rule);
                await visitor.FlushIfDueAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        visitor.EndTable(table);
    }

    /// <summary>One dump, streamed; the caller holds the gate.</summary>
    private IAsyncEnumerable<T> DumpCoreAsync<T>(byte type, NetfilterFamily family, Action<NetlinkWriter>? attributes, string operation, MessageDecoder<T> decoder, CancellationToken cancellationToken)
    {
        using var writer = new NetlinkWriter(256);
        uint sequence = _connection.NextSequence();
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, type, NetlinkMessageFlags.Dump, sequence, family);
        attributes?.Invoke(writer);
        writer.EndMessage();
        // The request is copied: the writer's pooled buffer goes back when this method returns.
        return _connection.DumpAsync(writer.WrittenSpan.ToArray(), sequence, operation, decoder, cancellationToken);
    }
}
