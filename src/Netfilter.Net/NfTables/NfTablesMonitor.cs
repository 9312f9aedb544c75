using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.NfTables;

/// <summary>
/// Reports ruleset changes as they are committed, by anyone (nft, iptables-nft, this library):
/// the kernel's NFNLGRP_NFTABLES notifications, decoded. It subscribes when it is created, so
/// changes made after construction are queued even before <see cref="ReadEventsAsync"/> runs:
/// create the monitor, read the ruleset, then read events, and nothing falls in between.
/// </summary>
/// <remarks>
/// Each transaction appears as its changes followed by one <see cref="NfTablesEventKind.NewGeneration"/>.
/// Events wait in a kernel-side buffer until read; when it overflows, the kernel drops them and
/// the stream yields <see cref="NfTablesEventKind.EventsLost"/>, then goes on. The monitor has its
/// own socket (a multicast socket must not be shared with requests).
/// </remarks>
/// <example>
/// <code>
/// using var monitor = new NfTablesMonitor(NetworkNamespace.FromName("router"));
/// await foreach (NfTablesEvent e in monitor.ReadEventsAsync(cancellationToken))
/// {
///     Console.WriteLine(e);   // NewRule ip nat pre handle 4 ... NewGeneration 12 (nft, pid 812)
/// }
/// </code>
/// </example>
public sealed class NfTablesMonitor : IDisposable
{
    /// <summary>The default kernel-side buffer for unread events: 8 MiB, about what a 10,000-rule transaction announces.</summary>
    public const int DefaultReceiveBufferSize = 8 * 1024 * 1024;

    private readonly NetlinkSocket _socket;
    private readonly DatagramBuffer _buffer = new();
    private int _reading;

    /// <summary>Subscribes to the ruleset changes of <paramref name="networkNamespace"/> (the caller's when null).</summary>
    /// <param name="networkNamespace">Whose ruleset to watch.</param>
    /// <param name="receiveBufferSize">
    /// Bytes the kernel may hold for events not read yet (it counts its own overhead, about 1 KiB
    /// per datagram, in them). Larger survives bigger bursts before events are lost.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="receiveBufferSize"/> is not positive.</exception>
    /// <exception cref="NetlinkException">The socket could not be opened or subscribed (EPERM: needs CAP_NET_ADMIN).</exception>
    public NfTablesMonitor(NetworkNamespace? networkNamespace = null, int receiveBufferSize = DefaultReceiveBufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(receiveBufferSize);
        _socket = NetlinkSocket.Open(NetlinkProtocol.Netfilter, networkNamespace);
        try
        {
            _socket.SetReceiveBuffer(receiveBufferSize);
            _socket.JoinGroup(NetfilterGroups.NfTables);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Streams the events, in the order the kernel sent them, until
    /// <paramref name="cancellationToken"/> is cancelled (the stream then ends normally) or the
    /// socket fails. One reader at a time.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another enumeration of this monitor is running.</exception>
    /// <exception cref="NetlinkException">The socket failed (other than by losing events, which is reported as an item).</exception>
    /// <exception cref="NetlinkProtocolException">The kernel sent a message that could not be decoded.</exception>
    public async IAsyncEnumerable<NfTablesEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("this monitor is already being read; use one reader per monitor");
        }
        try
        {
            var events = new List<NfTablesEvent>();
            while (!cancellationToken.IsCancellationRequested)
            {
                events.Clear();
                int length;
                try
                {
                    // Takes what is queued; when the socket is empty, awaits the next notification
                    // without holding a thread (the runtime's epoll engine wakes us).
                    length = await _socket.ReceiveAsync(_buffer, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
                catch (NetlinkException e) when (e.Errno == Errno.ENOBUFS)
                {
                    // The kernel could not queue some notifications (netlink_overrun): report it and go on.
                    events.Add(NfTablesEvent.Lost());
                    length = 0;
                }
                if (length > 0)
                {
                    Decode(_buffer.Bytes.AsSpan(0, length), events);
                }
                foreach (NfTablesEvent e in events)
                {
                    yield return e;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    /// <summary>Decodes every notification of one datagram into <paramref name="events"/>.</summary>
    internal static void Decode(ReadOnlySpan<byte> datagram, List<NfTablesEvent> events)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out NetlinkMessage message))
        {
            if (message.Type < NetlinkMessageType.MinType || NfnlMessageType.SubsystemOf(message.Type) != NfnlSubsystem.NfTables)
            {
                // Only nf_tables notifications travel in this group; anything else is not ours to report.
                continue;
            }
            byte type = NfnlMessageType.MessageOf(message.Type);
            events.Add(type switch
            {
                NfTablesMessageType.NewTable => NfTablesEvent.ForTable(NfTablesEventKind.NewTable, TableCodec.Decode(message)),
                NfTablesMessageType.DelTable or NfTablesMessageType.DestroyTable => NfTablesEvent.ForTable(NfTablesEventKind.DeleteTable, TableCodec.Decode(message)),
                NfTablesMessageType.NewChain => NfTablesEvent.ForChain(NfTablesEventKind.NewChain, ChainCodec.Decode(message)),
                NfTablesMessageType.DelChain or NfTablesMessageType.DestroyChain => NfTablesEvent.ForChain(NfTablesEventKind.DeleteChain, ChainCodec.Decode(message)),
                NfTablesMessageType.NewRule => NfTablesEvent.ForRule(NfTablesEventKind.NewRule, RuleCodec.Decode(message)),
                NfTablesMessageType.DelRule or NfTablesMessageType.DestroyRule => NfTablesEvent.ForRule(NfTablesEventKind.DeleteRule, RuleCodec.Decode(message)),
                NfTablesMessageType.NewSet => NfTablesEvent.ForSet(NfTablesEventKind.NewSet, SetCodec.Decode(message)),
                NfTablesMessageType.DelSet or NfTablesMessageType.DestroySet => NfTablesEvent.ForSet(NfTablesEventKind.DeleteSet, SetCodec.Decode(message)),
                NfTablesMessageType.NewSetElement => Elements(NfTablesEventKind.NewElements, message),
                NfTablesMessageType.DelSetElement or NfTablesMessageType.DestroySetElement => Elements(NfTablesEventKind.DeleteElements, message),
                NfTablesMessageType.NewGen => NfTablesEvent.ForGeneration(TableCodec.DecodeGeneration(message)),
                _ => NfTablesEvent.ForOther(type, NfGenMsg.Read(message.Payload, "nftables notification").Family, message.Payload.ToArray()),
            });
        }
    }

    private static NfTablesEvent Elements(NfTablesEventKind kind, in NetlinkMessage message)
    {
        (NetfilterFamily family, string table, string set, List<SetElement> elements) = SetElementCodec.Decode(message);
        return NfTablesEvent.ForElements(kind, family, table, set, elements);
    }

    /// <summary>Unsubscribes and closes the socket; a running <see cref="ReadEventsAsync"/> should be cancelled first.</summary>
    public void Dispose() => _socket.Dispose();
}
