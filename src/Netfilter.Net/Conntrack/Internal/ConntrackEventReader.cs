using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>
/// Reads a conntrack event socket and hands decoded events over a bounded channel. The read
/// loop awaits the socket (it may wait for hours) without holding any thread. ENOBUFS becomes a
/// <see cref="ConntrackEventType.Lost"/> item and reading goes on; any other failure completes
/// the channel with that exception, so the consumer sees it. Disposing stops the loop, waits
/// for it to end and closes the socket, discarding whatever the kernel still had queued on it.
/// </summary>
internal sealed class ConntrackEventReader : IAsyncDisposable
{
    private readonly INetlinkTransport _transport;
    private readonly ConntrackFilter? _filter;
    private readonly ILogger _logger;
    private readonly Channel<ConntrackEvent> _channel;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ConntrackEventReader(INetlinkTransport transport, ConntrackFilter? filter, int capacity, ILogger? logger)
    {
        _transport = transport;
        _filter = filter is null || filter.IsEmpty ? null : filter;
        _logger = logger ?? NullLogger.Instance;
        _channel = Channel.CreateBounded<ConntrackEvent>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<ConntrackEvent> Events => _channel.Reader;

    public void Start() => _loop = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        var buffer = new DatagramBuffer();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = await _transport.ReceiveAsync(buffer, Timeout.InfiniteTimeSpan, stop).ConfigureAwait(false);
                }
                catch (NetlinkException e) when (e.Errno == Errno.ENOBUFS)
                {
                    // The kernel dropped events for this socket (netlink_overrun); the socket
                    // itself is fine and keeps receiving (pitfall 13: not a fatal error).
                    ConntrackLog.EventsLost(_logger);
                    await PublishAsync(ConntrackEvent.Lost, stop).ConfigureAwait(false);
                    continue;
                }
                if (length < 0)
                {
                    continue;
                }
                NetlinkLog.Received(_logger, "conntrack events", length);
                foreach (ConntrackEvent item in Decode(buffer.Bytes, length))
                {
                    await PublishAsync(item, stop).ConfigureAwait(false);
                }
            }
            _channel.Writer.TryComplete();
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException)
        {
            _channel.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _channel.Writer.TryComplete(e);
        }
    }

    // Synchronous: the messages are spans into the receive buffer.
    private System.Collections.Generic.List<ConntrackEvent> Decode(byte[] datagram, int length)
    {
        var items = new System.Collections.Generic.List<ConntrackEvent>();
        var reader = new NetlinkMessageReader(datagram.AsSpan(0, length));
        while (reader.TryRead(out NetlinkMessage message))
        {
            if (message.Type == NetlinkMessageType.Error)
            {
                NetlinkError error = NetlinkError.Decode(message);
                if (!error.IsAck)
                {
                    throw new NetlinkException(error.Errno, "receive conntrack events", message.Header.Sequence, error.Message, error.Offset);
                }
                continue;
            }
            if (ConntrackEventDecoder.TryDecode(message, out ConntrackEvent? item) && (_filter is null || _filter.Matches(item!.Entry!)))
            {
                items.Add(item!);
            }
        }
        return items;
    }

    // Waiting on a full queue is deliberate: the consumer's pace then reaches the kernel,
    // whose buffer fills, and the loss is reported instead of memory growing without bound.
    private ValueTask PublishAsync(ConntrackEvent item, CancellationToken stop) =>
        _channel.Writer.TryWrite(item) ? ValueTask.CompletedTask : _channel.Writer.WriteAsync(item, stop);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _transport.Dispose();
        _stop.Dispose();
    }
}
