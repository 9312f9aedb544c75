using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Conntrack.Internal;

/// <summary>
/// Reads a conntrack event socket on a dedicated thread (its poll() may wait for hours; that
/// must not hold a thread-pool thread) and hands decoded events over a bounded channel.
/// ENOBUFS becomes a <see cref="ConntrackEventType.Lost"/> item and reading goes on; any other
/// failure completes the channel with that exception, so the consumer sees it. Dispose stops
/// the thread (cancellation wakes the poll through the socket's eventfd) and closes the socket.
/// </summary>
internal sealed class ConntrackEventReader : IDisposable
{
    private readonly INetlinkTransport _transport;
    private readonly ConntrackFilter? _filter;
    private readonly ILogger _logger;
    private readonly Channel<ConntrackEvent> _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

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
        _thread = new Thread(Run) { IsBackground = true, Name = "conntrack events" };
    }

    public ChannelReader<ConntrackEvent> Events => _channel.Reader;

    public void Start() => _thread.Start();

    /// <summary>Drops the events already queued (they predate a snapshot that is about to be taken).</summary>
    public void DiscardQueued()
    {
        while (_channel.Reader.TryRead(out _))
        {
        }
    }

    private void Run()
    {
        CancellationToken stop = _stop.Token;
        byte[] buffer = new byte[NetlinkSocket.DefaultReceiveBufferSize];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = _transport.Receive(ref buffer, Timeout.InfiniteTimeSpan, stop);
                }
                catch (NetlinkException e) when (e.Errno == Errno.ENOBUFS)
                {
                    // The kernel dropped events for this socket (netlink_overrun); the socket
                    // itself is fine and keeps receiving (pitfall 13: not a fatal error).
                    ConntrackLog.EventsLost(_logger);
                    Publish(ConntrackEvent.Lost, stop);
                    continue;
                }
                if (length < 0)
                {
                    continue;
                }
                NetlinkLog.Received(_logger, "conntrack events", length);
                var reader = new NetlinkMessageReader(buffer.AsSpan(0, length));
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
                        Publish(item!, stop);
                    }
                }
            }
            _channel.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _channel.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _channel.Writer.TryComplete(e);
        }
    }

    // Blocking on a full queue is deliberate: the consumer's pace then reaches the kernel,
    // whose buffer fills, and the loss is reported instead of memory growing without bound.
    private void Publish(ConntrackEvent item, CancellationToken stop)
    {
        while (!_channel.Writer.TryWrite(item))
        {
            ValueTask<bool> wait = _channel.Writer.WaitToWriteAsync(stop);
            bool open = wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
            if (!open)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(10));
        }
        _transport.Dispose();
        _stop.Dispose();
    }
}
