using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables;

/// <summary>
/// Talks to nftables over NETLINK_NETFILTER in one network namespace: reads the ruleset and
/// commits transactions. The client is safe to share: requests run one at a time on its socket,
/// and every streaming dump (the <c>List*Async</c> methods that return
/// <see cref="IAsyncEnumerable{T}"/>) runs on a socket of its own, so the client's other methods
/// may be called while a dump is being enumerated. No method holds a thread while it waits for
/// the kernel.
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
    private readonly StreamConnections _streams;

    /// <summary>Opens a client in <paramref name="networkNamespace"/> (the caller's when null).</summary>
    /// <param name="networkNamespace">Where the ruleset lives. Keep it open while the client is used: streaming dumps open their sockets in it (once it is disposed, dumps run one at a time on the client's own socket, and calling the client from inside one then waits forever).</param>
    /// <param name="logger">Receives kernel changes at Information and netlink traffic at Trace; nothing is logged when null.</param>
    /// <param name="timeout">The longest wait for any one answer from the kernel; 30 s when null.</param>
    public NfTablesClient(NetworkNamespace? networkNamespace = null, ILogger? logger = null, TimeSpan? timeout = null)
        : this(NetlinkSocket.Open(NetlinkProtocol.Netfilter, networkNamespace), logger, timeout, () => NetlinkSocket.Open(NetlinkProtocol.Netfilter, networkNamespace))
    {
    }

    /// <summary>Opens a client in <paramref name="networkNamespace"/> (the caller's when null) that logs each component under its own category.</summary>
    /// <param name="networkNamespace">See the other constructor.</param>
    /// <param name="loggerFactory">Commits are logged under <see cref="NetfilterLogCategories.NfTables"/> (Information), netlink traffic under <see cref="NetfilterLogCategories.Netlink"/> (Trace).</param>
    /// <param name="timeout">The longest wait for any one answer from the kernel; 30 s when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="loggerFactory"/> is null (pass <c>logger: null</c> to the other constructor for no logging).</exception>
    public NfTablesClient(NetworkNamespace? networkNamespace, ILoggerFactory loggerFactory, TimeSpan? timeout = null)
        : this(OpenSocket(networkNamespace, loggerFactory),
            loggerFactory.CreateLogger(NetfilterLogCategories.NfTables), loggerFactory.CreateLogger(NetfilterLogCategories.Netlink), timeout,
            () => NetlinkSocket.Open(NetlinkProtocol.Netfilter, networkNamespace))
    {
    }

    /// <summary>The request socket, once the factory is known not to be null (arguments are evaluated in order: nothing is opened for a bad call).</summary>
    private static NetlinkSocket OpenSocket(NetworkNamespace? networkNamespace, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return NetlinkSocket.Open(NetlinkProtocol.Netfilter, networkNamespace);
    }

    /// <param name="transport">The request socket (commits, gets, whole-ruleset reads).</param>
    /// <param name="logger">See the public constructor.</param>
    /// <param name="timeout">See the public constructor.</param>
    /// <param name="openStreamTransport">Opens a socket for a streaming dump; null runs dumps on <paramref name="transport"/>.</param>
    internal NfTablesClient(INetlinkTransport transport, ILogger? logger = null, TimeSpan? timeout = null, Func<INetlinkTransport>? openStreamTransport = null)
        : this(transport, logger, logger, timeout, openStreamTransport)
    {
    }

    /// <param name="transport">The request socket.</param>
    /// <param name="logger">What the client itself logs (commits).</param>
    /// <param name="netlinkLogger">What its netlink connections log (traffic).</param>
    /// <param name="timeout">See the public constructor.</param>
    /// <param name="openStreamTransport">Opens a socket for a streaming dump.</param>
    private NfTablesClient(INetlinkTransport transport, ILogger? logger, ILogger? netlinkLogger, TimeSpan? timeout, Func<INetlinkTransport>? openStreamTransport)
    {
        _logger = logger;
        _connection = new NetlinkConnection(transport, netlinkLogger, timeout);
        _streams = new StreamConnections(openStreamTransport is null ? null : () => new NetlinkConnection(openStreamTransport(), netlinkLogger, timeout), _connection, _gate);
    }

    internal NetlinkConnection Connection => _connection;

    /// <summary>Reads the current ruleset generation (NFT_MSG_GETGEN).</summary>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <see cref="Errno.EPERM"/> without CAP_NET_ADMIN.</exception>
    public async Task<RulesetGeneration> GetGenerationAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await GetGenerationCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    internal async Task<RulesetGeneration> GetGenerationCoreAsync(CancellationToken cancellationToken)
    {
        using var writer = new NetlinkWriter(64);
        uint sequence = _connection.NextSequence();
        NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, NfTablesMessageType.GetGen, NetlinkMessageFlags.Ack, sequence, NetfilterFamily.Unspecified);
        writer.EndMessage();
        RulesetGeneration? generation = null;
        await _connection.ExecuteAsync(writer.WrittenMemory, sequence, "get NFT_MSG_GETGEN", (in NetlinkMessage message) =>
        {
            if (NfnlMessageType.MessageOf(message.Type) == NfTablesMessageType.NewGen)
            {
                generation = TableCodec.DecodeGeneration(message);
            }
        }, cancellationToken).ConfigureAwait(false);
        return generation ?? throw new NetlinkProtocolException("get NFT_MSG_GETGEN", "an NFT_MSG_NEWGEN reply", "only an ack");
    }

    /// <summary>Streams the tables of <paramref name="family"/> (every family when <see cref="NetfilterFamily.Unspecified"/>).</summary>
    /// <remarks>The dump runs on a socket of its own: the client's other methods may be called while it is enumerated.</remarks>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    /// <exception cref="NetlinkDumpInterruptedException">The tables changed during the dump.</exception>
    public IAsyncEnumerable<Table> ListTablesAsync(NetfilterFamily family = NetfilterFamily.Unspecified, CancellationToken cancellationToken = default) =>
        StreamAsync(NfTablesMessageType.GetTable, family, null, "dump NFT_MSG_GETTABLE", static (in NetlinkMessage m, out Table t) =>
        {
            t = TableCodec.Decode(m);
            return true;
        }, cancellationToken);

    /// <summary>Closes the netlink sockets. Tables owned by this client (<see cref="TableFlags.Owner"/>, without <see cref="TableFlags.Persist"/>) are gone when it returns.</summary>
    public void Dispose()
    {
        DeleteOwnedTables();
        _connection.Dispose();
        _streams.Dispose();
        _gate.Dispose();
    }
}
