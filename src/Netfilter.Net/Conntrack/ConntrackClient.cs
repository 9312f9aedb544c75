using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Netfilter.Net.Conntrack.Internal;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// Reads and edits the connection-tracking table of one network namespace over ctnetlink:
/// dumps (streamed or collected), get, create, update, delete, filtered deletes and flushes,
/// statistics, expectations and events. The client is safe to share, and no method holds a
/// thread while it waits for the kernel.
/// </summary>
/// <remarks>
/// <para>Requests run one at a time on the client's socket. Each streaming dump
/// (<see cref="DumpAsync"/>, <see cref="DumpAndZeroCountersAsync"/>, <see cref="DumpExpectationsAsync"/>)
/// runs on a socket of its own, so entries may be acted on as they stream: the client's other
/// methods (a delete, an update, another dump) may be called from inside the <c>await foreach</c>.</para>
/// <para>Events (<see cref="EventsAsync"/>, <see cref="WatchAsync"/>) use a socket of their own
/// and run beside requests.</para>
/// </remarks>
/// <example>
/// <code>
/// using var conntrack = new ConntrackClient(NetworkNamespace.FromName("router"));
/// await foreach (ConntrackEntry e in conntrack.DumpAsync(new ConntrackFilter { Protocol = ProtocolType.Tcp }))
///     Console.WriteLine(e.Translation?.ToString() ?? e.ToString());
/// int gone = await conntrack.DeleteForwardAsync(ProtocolType.Udp, IPAddress.Parse("203.0.113.1"), 53);
/// </code>
/// </example>
public sealed partial class ConntrackClient : IConntrackClient
{
    /// <summary>How many times <see cref="ListAsync"/> repeats a dump the kernel marked inconsistent (NLM_F_DUMP_INTR).</summary>
    public const int DumpAttempts = 3;

    private readonly NetlinkConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StreamConnections _streams;
    private readonly ILogger? _logger;
    private readonly Func<ConntrackEventTypes, int, INetlinkTransport> _openEventSocket;
    private readonly ConntrackKernelFeatures _features;

    /// <summary>Opens a client in <paramref name="networkNamespace"/> (the caller's when null).</summary>
    /// <param name="networkNamespace">Whose conntrack table to work on. Streaming dumps and event streams open their sockets in it: keep it open while the client is used (once it is disposed, event streams fail and dumps run one at a time on the client's own socket).</param>
    /// <param name="logger">Receives netlink traffic at Trace and fallbacks at Debug; nothing is logged when null.</param>
    /// <param name="timeout">The longest wait for any one answer from the kernel; 30 s when null.</param>
    /// <exception cref="NetlinkException">The netlink socket could not be opened.</exception>
    public ConntrackClient(NetworkNamespace? networkNamespace = null, ILogger? logger = null, TimeSpan? timeout = null)
        : this(NetlinkSocket.Open(NetlinkProtocol.Netfilter, networkNamespace), logger, timeout, (types, bytes) => OpenEventSocket(networkNamespace, types, bytes), ConntrackKernelFeatures.Running,
            () => NetlinkSocket.Open(NetlinkProtocol.Netfilter, networkNamespace))
    {
    }

    /// <summary>Opens a client in <paramref name="networkNamespace"/> (the caller's when null) that logs each component under its own category.</summary>
    /// <param name="networkNamespace">See the other constructor.</param>
    /// <param name="loggerFactory">Fallbacks and lost events are logged under <see cref="NetfilterLogCategories.Conntrack"/>, netlink traffic under <see cref="NetfilterLogCategories.Netlink"/> (Trace).</param>
    /// <param name="timeout">The longest wait for any one answer from the kernel; 30 s when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="loggerFactory"/> is null (pass <c>logger: null</c> to the other constructor for no logging).</exception>
    /// <exception cref="NetlinkException">The netlink socket could not be opened.</exception>
    public ConntrackClient(NetworkNamespace? networkNamespace, ILoggerFactory loggerFactory, TimeSpan? timeout = null)
        : this(OpenSocket(networkNamespace, loggerFactory), loggerFactory.CreateLogger(NetfilterLogCategories.Conntrack), loggerFactory.CreateLogger(NetfilterLogCategories.Netlink), timeout,
            (types, bytes) => OpenEventSocket(networkNamespace, types, bytes), ConntrackKernelFeatures.Running, () => NetlinkSocket.Open(NetlinkProtocol.Netfilter, networkNamespace))
    {
    }

    /// <param name="transport">The request socket.</param>
    /// <param name="logger">See the public constructor.</param>
    /// <param name="timeout">See the public constructor.</param>
    /// <param name="openEventSocket">Opens and subscribes an event socket.</param>
    /// <param name="features">What the running kernel filters itself.</param>
    /// <param name="openStreamTransport">Opens a socket for a streaming dump; null runs dumps on <paramref name="transport"/> (one scripted transport, in unit tests).</param>
    internal ConntrackClient(INetlinkTransport transport, ILogger? logger = null, TimeSpan? timeout = null, Func<ConntrackEventTypes, int, INetlinkTransport>? openEventSocket = null, ConntrackKernelFeatures? features = null, Func<INetlinkTransport>? openStreamTransport = null)
        : this(transport, logger, logger, timeout, openEventSocket, features, openStreamTransport)
    {
    }

    /// <param name="transport">The request socket.</param>
    /// <param name="logger">What the client itself logs (fallbacks, lost events).</param>
    /// <param name="netlinkLogger">What its netlink connections log (traffic).</param>
    /// <param name="timeout">See the public constructor.</param>
    /// <param name="openEventSocket">Opens and subscribes an event socket.</param>
    /// <param name="features">What the running kernel filters itself.</param>
    /// <param name="openStreamTransport">Opens a socket for a streaming dump.</param>
    private ConntrackClient(INetlinkTransport transport, ILogger? logger, ILogger? netlinkLogger, TimeSpan? timeout, Func<ConntrackEventTypes, int, INetlinkTransport>? openEventSocket, ConntrackKernelFeatures? features, Func<INetlinkTransport>? openStreamTransport)
    {
        _logger = logger;
        _connection = new NetlinkConnection(transport, netlinkLogger, timeout);
        _streams = new StreamConnections(openStreamTransport is null ? null : () => new NetlinkConnection(openStreamTransport(), netlinkLogger, timeout), _connection, _gate);
        _openEventSocket = openEventSocket ?? ((_, _) => throw new NotSupportedException("this client was built without an event socket factory"));
        _features = features ?? ConntrackKernelFeatures.All;
    }

    internal NetlinkConnection Connection => _connection;

    internal ConntrackKernelFeatures Features => _features;

    private async Task<T> ExclusiveAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The request socket, once the factory is known not to be null (arguments are evaluated in order: nothing is opened for a bad call).</summary>
    private static NetlinkSocket OpenSocket(NetworkNamespace? networkNamespace, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return NetlinkSocket.Open(NetlinkProtocol.Netfilter, networkNamespace);
    }

    private static INetlinkTransport OpenEventSocket(NetworkNamespace? networkNamespace, ConntrackEventTypes types, int receiveBufferBytes)
    {
        NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Netfilter, networkNamespace);
        try
        {
            // A dedicated socket: ENOBUFS on a multicast socket means events were lost, which
            // must not be confused with the replies of requests (ti-mo errConnIsMulticast).
            socket.SetReceiveBuffer(receiveBufferBytes);
            if ((types & ConntrackEventTypes.New) != 0)
            {
                socket.JoinGroup(NetfilterGroups.ConntrackNew);
            }
            if ((types & ConntrackEventTypes.Update) != 0)
            {
                socket.JoinGroup(NetfilterGroups.ConntrackUpdate);
            }
            if ((types & ConntrackEventTypes.Destroy) != 0)
            {
                socket.JoinGroup(NetfilterGroups.ConntrackDestroy);
            }
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Closes the netlink socket. Event streams already running keep their own socket until they end.</summary>
    public void Dispose()
    {
        _connection.Dispose();
        _streams.Dispose();
        _gate.Dispose();
    }
}
