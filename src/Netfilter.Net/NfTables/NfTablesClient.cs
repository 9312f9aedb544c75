using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables;

/// <summary>
/// Talks to nftables over NETLINK_NETFILTER in one network namespace: reads the ruleset and
/// commits transactions. One request runs at a time; the client is safe to share.
/// </summary>
/// <example>
/// <code>
/// using var nft = new NfTablesClient(NetworkNamespace.FromName("router"));
/// RulesetGeneration gen = await nft.GetGenerationAsync();
/// await foreach (Table table in nft.ListTablesAsync()) Console.WriteLine(table.Name);
/// </code>
/// </example>
public sealed partial class NfTablesClient : IDisposable
{
    private readonly NetlinkConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger? _logger;

    /// <summary>Opens a client in <paramref name="networkNamespace"/> (the caller's when null).</summary>
    /// <param name="networkNamespace">Where the ruleset lives.</param>
    /// <param name="logger">Receives kernel changes at Information and netlink traffic at Trace; nothing is logged when null.</param>
    /// <param name="timeout">The longest wait for any one answer from the kernel; 30 s when null.</param>
    public NfTablesClient(NetworkNamespace? networkNamespace = null, ILogger? logger = null, TimeSpan? timeout = null)
        : this(NetlinkSocket.Open(NetlinkProtocol.Netfilter, networkNamespace), logger, timeout)
    {
    }

    internal NfTablesClient(INetlinkTransport transport, ILogger? logger = null, TimeSpan? timeout = null)
    {
        _logger = logger;
        _connection = new NetlinkConnection(transport, logger, timeout);
    }

    internal NetlinkConnection Connection => _connection;

    /// <summary>Reads the current ruleset generation (NFT_MSG_GETGEN).</summary>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <see cref="Errno.EPERM"/> without CAP_NET_ADMIN.</exception>
    public async Task<RulesetGeneration> GetGenerationAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return GetGenerationCore(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    internal RulesetGeneration GetGenerationCore(CancellationToken cancellationToken)
    {
        using var writer = new NetlinkWriter(64);
        uint sequence = _connection.NextSequence();
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, NfTablesMessageType.GetGen, NetlinkMessageFlags.Ack, sequence, ProtocolFamily.Unspecified);
        writer.EndMessage();
        RulesetGeneration? generation = null;
        _connection.Execute(writer.WrittenSpan, sequence, "get NFT_MSG_GETGEN", (in NetlinkMessage message) =>
        {
            if (NfnlMessageType.MessageOf(message.Type) == NfTablesMessageType.NewGen)
            {
                generation = TableCodec.DecodeGeneration(message);
            }
        }, cancellationToken);
        return generation ?? throw new NetlinkProtocolException("get NFT_MSG_GETGEN", "an NFT_MSG_NEWGEN reply", "only an ack");
    }

    /// <summary>Streams the tables of <paramref name="family"/> (every family when <see cref="ProtocolFamily.Unspecified"/>).</summary>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    /// <exception cref="NetlinkDumpInterruptedException">The tables changed during the dump.</exception>
    public async IAsyncEnumerable<Table> ListTablesAsync(ProtocolFamily family = ProtocolFamily.Unspecified, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var writer = new NetlinkWriter(64);
            uint sequence = _connection.NextSequence();
            NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, NfTablesMessageType.GetTable, NetlinkMessageFlags.Dump, sequence, family);
            writer.EndMessage();
            await foreach (Table table in _connection.DumpAsync(writer.WrittenMemory, sequence, "dump NFT_MSG_GETTABLE", static (in NetlinkMessage m, out Table t) =>
            {
                t = TableCodec.Decode(m);
                return true;
            }, cancellationToken).ConfigureAwait(false))
            {
                yield return table;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the netlink socket. Tables owned by this client (<see cref="TableFlags.Owner"/>) disappear with it.</summary>
    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }
}
