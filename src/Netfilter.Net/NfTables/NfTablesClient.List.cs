using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Attributes;
using Netfilter.Net.NfTables.Objects;

namespace Netfilter.Net.NfTables;

public sealed partial class NfTablesClient
{
    /// <summary>How many times a snapshot is re-read when the ruleset changes while it is read.</summary>
    public const int SnapshotAttempts = 10;

    /// <summary>Streams the chains of <paramref name="family"/> (all families when Unspecified), optionally of one table.</summary>
    public IAsyncEnumerable<Chain> ListChainsAsync(ProtocolFamily family = ProtocolFamily.Unspecified, string? table = null, CancellationToken cancellationToken = default) =>
        StreamAsync(NfTablesMessageType.GetChain, family, w => { if (table is not null) w.WriteStringZ(ChainAttribute.Table, table); }, "dump NFT_MSG_GETCHAIN",
            static (in NetlinkMessage m, out Chain c) => { c = ChainCodec.Decode(m); return true; }, cancellationToken);

    /// <summary>Streams the rules of <paramref name="family"/>, optionally of one table and chain.</summary>
    public IAsyncEnumerable<Rule> ListRulesAsync(ProtocolFamily family = ProtocolFamily.Unspecified, string? table = null, string? chain = null, CancellationToken cancellationToken = default) =>
        StreamAsync(NfTablesMessageType.GetRule, family, w =>
        {
            if (table is not null) w.WriteStringZ(RuleAttribute.Table, table);
            if (chain is not null) w.WriteStringZ(RuleAttribute.Chain, chain);
        }, "dump NFT_MSG_GETRULE", static (in NetlinkMessage m, out Rule r) => { r = RuleCodec.Decode(m); return true; }, cancellationToken);

    /// <summary>Streams the sets and maps of <paramref name="family"/>, optionally of one table.</summary>
    public IAsyncEnumerable<Set> ListSetsAsync(ProtocolFamily family = ProtocolFamily.Unspecified, string? table = null, CancellationToken cancellationToken = default) =>
        StreamAsync(NfTablesMessageType.GetSet, family, w => { if (table is not null) w.WriteStringZ(SetAttribute.Table, table); }, "dump NFT_MSG_GETSET",
            static (in NetlinkMessage m, out Set s) => { s = SetCodec.Decode(m); return true; }, cancellationToken);

    /// <summary>Streams the elements of one set or map.</summary>
    public async IAsyncEnumerable<SetElement> ListElementsAsync(ProtocolFamily family, string table, string set, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(set);
        await foreach (List<SetElement> chunk in StreamAsync(NfTablesMessageType.GetSetElement, family, w =>
        {
            w.WriteStringZ(SetElementListAttribute.Table, table);
            w.WriteStringZ(SetElementListAttribute.Set, set);
        }, "dump NFT_MSG_GETSETELEM", static (in NetlinkMessage m, out List<SetElement> e) => { e = SetElementCodec.Decode(m).Elements; return true; }, cancellationToken).ConfigureAwait(false))
        {
            foreach (SetElement element in chunk)
            {
                yield return element;
            }
        }
    }

    /// <summary>
    /// Reads the whole ruleset (or one family's) consistently: the generation is read before and
    /// after, and every dump is checked for NLM_F_DUMP_INTR; if anything changed underneath, the
    /// snapshot is read again, up to <see cref="SnapshotAttempts"/> times.
    /// </summary>
    /// <exception cref="NetlinkDumpInterruptedException">The ruleset kept changing.</exception>
    public async Task<Ruleset> GetRulesetAsync(ProtocolFamily family = ProtocolFamily.Unspecified, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                uint before = GetGenerationCore(cancellationToken).Id;
                List<Table> tables = DumpAllCore(NfTablesMessageType.GetTable, family, null, "dump NFT_MSG_GETTABLE", static (in NetlinkMessage m, out Table t) => { t = TableCodec.Decode(m); return true; }, cancellationToken);
                List<Chain> chains = DumpAllCore(NfTablesMessageType.GetChain, family, null, "dump NFT_MSG_GETCHAIN", static (in NetlinkMessage m, out Chain c) => { c = ChainCodec.Decode(m); return true; }, cancellationToken);
                List<Set> sets = DumpAllCore(NfTablesMessageType.GetSet, family, null, "dump NFT_MSG_GETSET", static (in NetlinkMessage m, out Set s) => { s = SetCodec.Decode(m); return true; }, cancellationToken);
                var elements = new Dictionary<(ProtocolFamily, string, string), IReadOnlyList<SetElement>>();
                foreach (Set set in sets)
                {
                    List<List<SetElement>> chunks = DumpAllCore(NfTablesMessageType.GetSetElement, set.Family, w =>
                    {
                        w.WriteStringZ(SetElementListAttribute.Table, set.Table);
                        w.WriteStringZ(SetElementListAttribute.Set, set.Name);
                    }, "dump NFT_MSG_GETSETELEM", static (in NetlinkMessage m, out List<SetElement> e) => { e = SetElementCodec.Decode(m).Elements; return true; }, cancellationToken);
                    var all = new List<SetElement>();
                    foreach (List<SetElement> chunk in chunks)
                    {
                        all.AddRange(chunk);
                    }
                    elements[(set.Family, set.Table, set.Name)] = all;
                }
                List<Rule> rules = DumpAllCore(NfTablesMessageType.GetRule, family, null, "dump NFT_MSG_GETRULE", static (in NetlinkMessage m, out Rule r) => { r = RuleCodec.Decode(m); return true; }, cancellationToken);
                List<NftObject> objects = DumpAllCore(NfTablesMessageType.GetObj, family, null, "dump NFT_MSG_GETOBJ", static (in NetlinkMessage m, out NftObject o) => { o = ObjectCodec.Decode(m); return true; }, cancellationToken);
                List<Flowtable> flowtables = DumpAllCore(NfTablesMessageType.GetFlowtable, family, null, "dump NFT_MSG_GETFLOWTABLE", static (in NetlinkMessage m, out Flowtable f) => { f = FlowtableCodec.Decode(m); return true; }, cancellationToken);
                uint after = GetGenerationCore(cancellationToken).Id;
                if (before == after)
                {
                    return new Ruleset(after, tables, chains, sets, elements, rules, objects, flowtables);
                }
                if (attempt >= SnapshotAttempts)
                {
                    throw new NetlinkDumpInterruptedException("ruleset snapshot", 0, attempt);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private List<T> DumpAllCore<T>(byte type, ProtocolFamily family, Action<NetlinkWriter>? attributes, string operation, MessageDecoder<T> decoder, CancellationToken cancellationToken)
    {
        using var writer = new NetlinkWriter(256);
        return _connection.DumpAll(sequence =>
        {
            writer.Reset();
            NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, type, NetlinkMessageFlags.Dump, sequence, family);
            attributes?.Invoke(writer);
            writer.EndMessage();
            return writer.WrittenMemory;
        }, operation, decoder, SnapshotAttempts, cancellationToken);
    }

    private async IAsyncEnumerable<T> StreamAsync<T>(byte type, ProtocolFamily family, Action<NetlinkWriter>? attributes, string operation, MessageDecoder<T> decoder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var writer = new NetlinkWriter(256);
            uint sequence = _connection.NextSequence();
            NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, type, NetlinkMessageFlags.Dump, sequence, family);
            attributes?.Invoke(writer);
            writer.EndMessage();
            await foreach (T item in _connection.DumpAsync(writer.WrittenMemory, sequence, operation, decoder, cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
