using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Conntrack.Internal;

namespace Netfilter.Net.Conntrack;

public sealed partial class ConntrackClient
{
    /// <summary>
    /// Streams conntrack events (NEW, UPDATE, DESTROY) on a socket of its own, with a large
    /// receive buffer; no thread waits while no event comes. When the kernel drops events because the
    /// buffer overflowed, the stream yields <see cref="ConntrackEventType.Lost"/> and goes on:
    /// it never stops silently. A socket failure ends it with that exception. Cancelling
    /// <paramref name="cancellationToken"/> ends the stream normally (no exception) and closes
    /// the socket.
    /// </summary>
    /// <remarks>
    /// After <see cref="ConntrackEventType.Lost"/>, re-read the table (<see cref="ListAsync"/>),
    /// or use <see cref="WatchAsync"/>, which does it for you. An event carries the tuples, id,
    /// status and what changed, not every field.
    /// </remarks>
    /// <exception cref="ArgumentException">No event type selected, or a filter that could never match.</exception>
    /// <exception cref="NetlinkException">The event socket could not be opened or joined to its groups.</exception>
    public IAsyncEnumerable<ConntrackEvent> EventsAsync(ConntrackEventOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = CheckEventOptions(options, nameof(options));
        return StreamEventsAsync(options, watch: false, cancellationToken);
    }

    /// <summary>
    /// Watches the table: subscribes to events, then yields a <see cref="ConntrackEventType.Snapshot"/>
    /// of every matching entry, then the events. After a loss it yields
    /// <see cref="ConntrackEventType.Lost"/> and then a fresh snapshot, and goes on with the events
    /// that follow it. Cancelling ends the stream normally.
    /// </summary>
    /// <remarks>
    /// <para><b>Guarantee.</b> Keep a table of entries by <see cref="ConntrackEntry.Id"/>: a
    /// <see cref="ConntrackEventType.Snapshot"/> replaces the whole table, <see cref="ConntrackEventType.New"/>
    /// and <see cref="ConntrackEventType.Update"/> add the entry or update it, <see cref="ConntrackEventType.Destroy"/>
    /// removes it (ignore <see cref="ConntrackEventType.Lost"/>: the snapshot that follows it repairs
    /// the table). Applying the items in order, the table holds exactly the kernel's matching
    /// entries each time the stream has caught up with the kernel. This needs all three event
    /// types (<see cref="ConntrackEventTypes.All"/>, the default); with fewer, entries go missing or linger.</para>
    /// <para>Why it holds across a loss: on ENOBUFS the kernel has dropped events, and the socket
    /// still holds events from before the loss. The stream closes that socket (and drops every
    /// event it had queued), subscribes a new socket, and only then reads the snapshot on the
    /// request socket. Every event yielded after the snapshot therefore happened after the new
    /// subscription, so for each entry the last one says where it stands; an entry with no later
    /// event is as the snapshot shows it. An event that happened while the snapshot was being read
    /// may already be reflected in it: applying it again changes nothing.</para>
    /// <para>Events carry the tuples, id, status and what changed, not every field: read an
    /// entry with <see cref="GetAsync"/> for the rest.</para>
    /// <para><b>One exception the kernel makes.</b> With <c>net.netfilter.nf_conntrack_events</c>
    /// at 2 (the default), an entry gets its event extension only if some ctnetlink event listener
    /// existed, anywhere on the host (the kernel has tracked listeners globally since Linux 6.3),
    /// when the entry was created. An entry created while there was none appears in a snapshot but
    /// never reports its updates or its end: it stays in a consumer's table until the next
    /// snapshot. Set <c>nf_conntrack_events</c> to 1 in the namespace (for example with
    /// <c>SysctlClient</c>) for every entry to report.</para>
    /// <para>With <see cref="ConntrackEventOptions.StreamSnapshot"/> each snapshot is streamed, entry
    /// by entry, between a <see cref="ConntrackEventType.Snapshot"/> item (which clears the table)
    /// and <see cref="ConntrackEventType.SnapshotEnd"/>: memory no longer grows with the table.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">No event type selected, or a filter that could never match.</exception>
    /// <exception cref="NetlinkException">The event socket could not be opened, or a snapshot dump failed.</exception>
    public IAsyncEnumerable<ConntrackEvent> WatchAsync(ConntrackEventOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = CheckEventOptions(options, nameof(options));
        return StreamEventsAsync(options, watch: true, cancellationToken);
    }

    internal static ConntrackEventOptions CheckEventOptions(ConntrackEventOptions? options, string parameterName)
    {
        options ??= new ConntrackEventOptions();
        if ((options.Types & ConntrackEventTypes.All) == ConntrackEventTypes.None)
        {
            throw new ArgumentException("select at least one event type (New, Update, Destroy)", parameterName);
        }
        if (options.ReceiveBufferSize <= 0)
        {
            throw new ArgumentException($"{nameof(ConntrackEventOptions.ReceiveBufferSize)} must be positive, not {options.ReceiveBufferSize}", parameterName);
        }
        if (options.QueueCapacity <= 0)
        {
            throw new ArgumentException($"{nameof(ConntrackEventOptions.QueueCapacity)} must be positive, not {options.QueueCapacity}", parameterName);
        }
        options.Filter?.Validate(parameterName);
        return options;
    }

    private async IAsyncEnumerable<ConntrackEvent> StreamEventsAsync(ConntrackEventOptions options, bool watch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribed (and queueing) before the snapshot is read: nothing falls in between.
        ConntrackEventReader reader = Subscribe(options);
        try
        {
            bool snapshotDue = watch;
            while (true)
            {
                if (snapshotDue)
                {
                    snapshotDue = false;
                    if (options.StreamSnapshot)
                    {
                        yield return ConntrackEvent.SnapshotStart;
                        IAsyncEnumerator<ConntrackEntry> entries = DumpAsync(options.Filter, cancellationToken).GetAsyncEnumerator(cancellationToken);
                        bool interrupted = false;
                        try
                        {
                            while (true)
                            {
                                bool another;
                                try
                                {
                                    another = await entries.MoveNextAsync().ConfigureAwait(false);
                                }
                                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                                {
                                    yield break;
                                }
                                catch (NetlinkDumpInterruptedException)
                                {
                                    interrupted = true;
                                    break;
                                }
                                if (!another)
                                {
                                    break;
                                }
                                yield return ConntrackEvent.ForExisting(entries.Current);
                            }
                        }
                        finally
                        {
                            await entries.DisposeAsync().ConfigureAwait(false);
                        }
                        if (interrupted)
                        {
                            // The entries handed out may mix two states of the table: like a loss,
                            // a fresh subscription and snapshot repair it.
                            yield return ConntrackEvent.Lost;
                            ConntrackEventReader stale = reader;
                            reader = null!;
                            await stale.DisposeAsync().ConfigureAwait(false);
                            reader = Subscribe(options);
                            snapshotDue = true;
                            continue;
                        }
                        yield return ConntrackEvent.SnapshotEnd;
                    }
                    else
                    {
                        IReadOnlyList<ConntrackEntry>? snapshot = await SnapshotAsync(options.Filter, cancellationToken).ConfigureAwait(false);
                        if (snapshot is null)
                        {
                            yield break;
                        }
                        yield return ConntrackEvent.ForSnapshot(snapshot);
                    }
                }
                bool more;
                try
                {
                    more = await reader.Events.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
                if (!more)
                {
                    // The reader completes normally only when it is stopped; anything else faults the channel.
                    yield break;
                }
                while (reader.Events.TryRead(out ConntrackEvent? item))
                {
                    yield return item;
                    if (watch && item.Type == ConntrackEventType.Lost)
                    {
                        // What the old socket still holds predates the loss: close it unread,
                        // subscribe anew, and only then read the snapshot (see WatchAsync).
                        ConntrackEventReader stale = reader;
                        reader = null!;
                        await stale.DisposeAsync().ConfigureAwait(false);
                        reader = Subscribe(options);
                        snapshotDue = true;
                        break;
                    }
                }
            }
        }
        finally
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private ConntrackEventReader Subscribe(ConntrackEventOptions options)
    {
        var reader = new ConntrackEventReader(_openEventSocket(options.Types, options.ReceiveBufferSize), options.Filter, options.QueueCapacity, _logger);
        reader.Start();
        // The socket has joined its groups (bind with the group mask): from here on nothing is missed.
        options.Subscribed?.Invoke();
        return reader;
    }

    private async Task<IReadOnlyList<ConntrackEntry>?> SnapshotAsync(ConntrackFilter? filter, CancellationToken cancellationToken)
    {
        try
        {
            return await ListAsync(filter, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
