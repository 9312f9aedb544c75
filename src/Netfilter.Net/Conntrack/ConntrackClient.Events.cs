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
    /// receive buffer, read by a dedicated thread. When the kernel drops events because the
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
    /// <see cref="ConntrackEventType.Lost"/>, drops the events queued before it, and yields a
    /// fresh snapshot. Events that arrive while a snapshot is read may already be reflected in
    /// it: apply them idempotently (by tuple and id). Cancelling ends the stream normally.
    /// </summary>
    /// <exception cref="ArgumentException">No event type selected, or a filter that could never match.</exception>
    /// <exception cref="NetlinkException">The event socket could not be opened, or a snapshot dump failed.</exception>
    public IAsyncEnumerable<ConntrackEvent> WatchAsync(ConntrackEventOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = CheckEventOptions(options, nameof(options));
        return StreamEventsAsync(options, watch: true, cancellationToken);
    }

    private static ConntrackEventOptions CheckEventOptions(ConntrackEventOptions? options, string parameterName)
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
        using var reader = new ConntrackEventReader(_openEventSocket(options.Types, options.ReceiveBufferSize), options.Filter, options.QueueCapacity, _logger);
        reader.Start();
        if (watch)
        {
            IReadOnlyList<ConntrackEntry>? snapshot = await SnapshotAsync(options.Filter, cancellationToken).ConfigureAwait(false);
            if (snapshot is null)
            {
                yield break;
            }
            yield return ConntrackEvent.ForSnapshot(snapshot);
        }
        while (true)
        {
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
                    reader.DiscardQueued();
                    IReadOnlyList<ConntrackEntry>? snapshot = await SnapshotAsync(options.Filter, cancellationToken).ConfigureAwait(false);
                    if (snapshot is null)
                    {
                        yield break;
                    }
                    yield return ConntrackEvent.ForSnapshot(snapshot);
                }
            }
        }
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
