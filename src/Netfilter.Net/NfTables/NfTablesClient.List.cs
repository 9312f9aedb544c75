using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
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

    /// <summary>
    /// How many times the elements of one set are dumped again when a dump repeated elements
    /// (and so skipped as many): a hash set that the kernel is resizing, typically right after a
    /// large insert. The attempts are spaced by a growing pause (100 ms, 200 ms, ... 1 s).
    /// </summary>
    public const int ElementDumpAttempts = 10;

    /// <summary>Streams the chains of <paramref name="family"/> (all families when Unspecified), optionally of one table.</summary>
    /// <remarks>The dump runs on a socket of its own: the client's other methods may be called while it is enumerated.</remarks>
    public IAsyncEnumerable<Chain> ListChainsAsync(NetfilterFamily family = NetfilterFamily.Unspecified, string? table = null, CancellationToken cancellationToken = default) =>
        StreamAsync(NfTablesMessageType.GetChain, family, w => { if (table is not null) w.WriteStringZ(ChainAttribute.Table, table); }, "dump NFT_MSG_GETCHAIN",
            static (in NetlinkMessage m, out Chain c) => { c = ChainCodec.Decode(m); return true; }, cancellationToken);

    /// <summary>Streams the rules of <paramref name="family"/>, optionally of one table and chain.</summary>
    /// <remarks>The dump runs on a socket of its own: the client's other methods may be called while it is enumerated.</remarks>
    public IAsyncEnumerable<Rule> ListRulesAsync(NetfilterFamily family = NetfilterFamily.Unspecified, string? table = null, string? chain = null, CancellationToken cancellationToken = default) =>
        StreamAsync(NfTablesMessageType.GetRule, family, w =>
        {
            if (table is not null) w.WriteStringZ(RuleAttribute.Table, table);
            if (chain is not null) w.WriteStringZ(RuleAttribute.Chain, chain);
        }, "dump NFT_MSG_GETRULE", static (in NetlinkMessage m, out Rule r) => { r = RuleCodec.Decode(m); return true; }, cancellationToken);

    /// <summary>Streams the sets and maps of <paramref name="family"/>, optionally of one table.</summary>
    /// <remarks>The dump runs on a socket of its own: the client's other methods may be called while it is enumerated.</remarks>
    public IAsyncEnumerable<Set> ListSetsAsync(NetfilterFamily family = NetfilterFamily.Unspecified, string? table = null, CancellationToken cancellationToken = default) =>
        StreamAsync(NfTablesMessageType.GetSet, family, w => { if (table is not null) w.WriteStringZ(SetAttribute.Table, table); }, "dump NFT_MSG_GETSET",
            static (in NetlinkMessage m, out Set s) => { s = SetCodec.Decode(m); return true; }, cancellationToken);

    /// <summary>Streams the elements of one set or map, each once.</summary>
    /// <remarks>
    /// <para>The kernel dumps a set in rounds that each walk it again and skip what was sent;
    /// while a hash set is being resized (right after a large insert) that walk can repeat some
    /// elements and leave out as many others. This stream notices a repeat, drops it, and when the
    /// dump ends dumps the set again, yielding only elements not yielded yet, until a dump comes
    /// back without repeats (up to <see cref="ElementDumpAttempts"/> dumps). It remembers the
    /// identity of every element yielded (key, range end and flags) to do so.</para>
    /// <para>The dump runs on a socket of its own: the client's other methods may be called while it is enumerated.</para>
    /// </remarks>
    /// <exception cref="NetlinkException">The kernel refused the dump (ENOENT: no such table or set).</exception>
    /// <exception cref="NetlinkDumpInterruptedException">Every dump repeated elements: the set kept changing.</exception>
    public async IAsyncEnumerable<SetElement> ListElementsAsync(NetfilterFamily family, string table, string set, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(set);
        using StreamConnections.Lease lease = await _streams.LeaseAsync(cancellationToken).ConfigureAwait(false);
        NetlinkConnection connection = lease.Connection;
        using var writer = new NetlinkWriter(256);
        HashSet<SetElementWalk.Identity>? yielded = null;
        for (int attempt = 1; ; attempt++)
        {
            var walk = new SetElementWalk();
            uint sequence = WriteElementDump(writer, connection, family, table, set);
            await foreach (List<SetElement> chunk in connection.DumpAsync(writer.WrittenMemory, sequence, "dump NFT_MSG_GETSETELEM", ElementChunkDecoder, cancellationToken).ConfigureAwait(false))
            {
                foreach (SetElement element in chunk)
                {
                    // The first pass yields what it sees first; later passes only what no pass yielded.
                    if (walk.Add(element) && (yielded is null || yielded.Add(SetElementWalk.Identity.Of(element))))
                    {
                        yield return element;
                    }
                }
            }
            if (walk.Repeats == 0)
            {
                yield break;
            }
            NfTablesLog.ElementWalkDisturbed(_logger ?? NullLogger.Instance, table, set, walk.Repeats, attempt, ElementDumpAttempts);
            if (attempt >= ElementDumpAttempts)
            {
                throw ElementWalkException(table, set, sequence, attempt);
            }
            yielded ??= walk.SeenIdentities();
            await Task.Delay(ElementDumpPauseFor(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads the whole ruleset (or one family's) consistently: the generation is read before and
    /// after, and every dump is checked for NLM_F_DUMP_INTR; if anything changed underneath, the
    /// snapshot is read again, up to <see cref="SnapshotAttempts"/> times. The elements of each
    /// set are read until a dump of them repeats none (see <see cref="ListElementsAsync"/>).
    /// </summary>
    /// <exception cref="NetlinkDumpInterruptedException">The ruleset kept changing.</exception>
    public async Task<Ruleset> GetRulesetAsync(NetfilterFamily family = NetfilterFamily.Unspecified, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                uint before = (await GetGenerationCoreAsync(cancellationToken).ConfigureAwait(false)).Id;
                List<Table> tables = await DumpAllCoreAsync(NfTablesMessageType.GetTable, family, null, "dump NFT_MSG_GETTABLE", static (in NetlinkMessage m, out Table t) => { t = TableCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false);
                List<Chain> chains = await DumpAllCoreAsync(NfTablesMessageType.GetChain, family, null, "dump NFT_MSG_GETCHAIN", static (in NetlinkMessage m, out Chain c) => { c = ChainCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false);
                List<Set> sets = await DumpAllCoreAsync(NfTablesMessageType.GetSet, family, null, "dump NFT_MSG_GETSET", static (in NetlinkMessage m, out Set s) => { s = SetCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false);
                var elements = new Dictionary<(NetfilterFamily, string, string), IReadOnlyList<SetElement>>();
                foreach (Set set in sets)
                {
                    elements[(set.Family, set.Table, set.Name)] = await DumpElementsCoreAsync(set.Family, set.Table, set.Name, cancellationToken).ConfigureAwait(false);
                }
                List<Rule> rules = await DumpAllCoreAsync(NfTablesMessageType.GetRule, family, null, "dump NFT_MSG_GETRULE", static (in NetlinkMessage m, out Rule r) => { r = RuleCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false);
                List<NftObject> objects = await DumpAllCoreAsync(NfTablesMessageType.GetObj, family, null, "dump NFT_MSG_GETOBJ", static (in NetlinkMessage m, out NftObject o) => { o = ObjectCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false);
                List<Flowtable> flowtables = await DumpAllCoreAsync(NfTablesMessageType.GetFlowtable, family, null, "dump NFT_MSG_GETFLOWTABLE", static (in NetlinkMessage m, out Flowtable f) => { f = FlowtableCodec.Decode(m); return true; }, cancellationToken).ConfigureAwait(false);
                uint after = (await GetGenerationCoreAsync(cancellationToken).ConfigureAwait(false)).Id;
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

    /// <summary>
    /// The elements of one set, on the request connection (the caller holds the gate), dumped
    /// again until a dump repeats none: a dump that repeated elements also skipped as many
    /// (see <see cref="SetElementWalk"/>), so only a clean one is returned.
    /// </summary>
    private async Task<List<SetElement>> DumpElementsCoreAsync(NetfilterFamily family, string table, string set, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            List<List<SetElement>> chunks = await DumpAllCoreAsync(NfTablesMessageType.GetSetElement, family, w =>
            {
                w.WriteStringZ(SetElementListAttribute.Table, table);
                w.WriteStringZ(SetElementListAttribute.Set, set);
            }, "dump NFT_MSG_GETSETELEM", ElementChunkDecoder, cancellationToken).ConfigureAwait(false);
            var walk = new SetElementWalk();
            var all = new List<SetElement>();
            foreach (List<SetElement> chunk in chunks)
            {
                foreach (SetElement element in chunk)
                {
                    if (walk.Add(element))
                    {
                        all.Add(element);
                    }
                }
            }
            if (walk.Repeats == 0)
            {
                return all;
            }
            NfTablesLog.ElementWalkDisturbed(_logger ?? NullLogger.Instance, table, set, walk.Repeats, attempt, ElementDumpAttempts);
            if (attempt >= ElementDumpAttempts)
            {
                throw ElementWalkException(table, set, 0, attempt);
            }
            await Task.Delay(ElementDumpPauseFor(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly MessageDecoder<List<SetElement>> ElementChunkDecoder = static (in NetlinkMessage m, out List<SetElement> e) =>
    {
        e = SetElementCodec.Decode(m).Elements;
        return true;
    };

    /// <summary>The pause before the second dump of a set's elements; it grows by this much per attempt, up to ten times it.</summary>
    internal TimeSpan ElementDumpPause { get; init; } = TimeSpan.FromMilliseconds(100);

    // A resize of a large hash set takes the kernel's worker a while; give it time, not a busy loop.
    private TimeSpan ElementDumpPauseFor(int attempt) => ElementDumpPause * Math.Min(attempt, 10);

    private static NetlinkDumpInterruptedException ElementWalkException(string table, string set, uint sequence, int attempts) =>
        new("dump NFT_MSG_GETSETELEM", sequence, attempts,
            $"each of {attempts} dumps of set {table} {set} repeated elements (and so skipped as many): the set kept changing or being resized while it was dumped");

    private static uint WriteElementDump(NetlinkWriter writer, NetlinkConnection connection, NetfilterFamily family, string table, string set)
    {
        writer.Reset();
        uint sequence = connection.NextSequence();
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, NfTablesMessageType.GetSetElement, NetlinkMessageFlags.Dump, sequence, family);
        writer.WriteStringZ(SetElementListAttribute.Table, table);
        writer.WriteStringZ(SetElementListAttribute.Set, set);
        writer.EndMessage();
        return sequence;
    }

    private async Task<List<T>> DumpAllCoreAsync<T>(byte type, NetfilterFamily family, Action<NetlinkWriter>? attributes, string operation, MessageDecoder<T> decoder, CancellationToken cancellationToken)
    {
        using var writer = new NetlinkWriter(256);
        return await _connection.DumpAllAsync(sequence =>
        {
            writer.Reset();
            NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, type, NetlinkMessageFlags.Dump, sequence, family);
            attributes?.Invoke(writer);
            writer.EndMessage();
            return writer.WrittenMemory;
        }, operation, decoder, SnapshotAttempts, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One dump on a connection of its own (see <see cref="StreamConnections"/>), streamed.</summary>
    private async IAsyncEnumerable<T> StreamAsync<T>(byte type, NetfilterFamily family, Action<NetlinkWriter>? attributes, string operation, MessageDecoder<T> decoder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using StreamConnections.Lease lease = await _streams.LeaseAsync(cancellationToken).ConfigureAwait(false);
        NetlinkConnection connection = lease.Connection;
        using var writer = new NetlinkWriter(256);
        uint sequence = connection.NextSequence();
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, type, NetlinkMessageFlags.Dump, sequence, family);
        attributes?.Invoke(writer);
        writer.EndMessage();
        await foreach (T item in connection.DumpAsync(writer.WrittenMemory, sequence, operation, decoder, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
