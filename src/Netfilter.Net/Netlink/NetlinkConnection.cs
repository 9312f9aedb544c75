using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Netfilter.Net.Netlink;

/// <summary>Receives the messages of a reply that are neither acks nor errors (echoes, GET answers).</summary>
internal delegate void ReplyHandler(in NetlinkMessage message);

/// <summary>Decodes one dump message; returns false to skip it.</summary>
internal delegate bool MessageDecoder<T>(in NetlinkMessage message, out T value);

/// <summary>
/// The request engine, written once: sequence numbers, port-id checks, acks, multipart dumps
/// to NLMSG_DONE (and the errno DONE may carry), NLM_F_DUMP_INTR, timeouts and cancellation.
/// Every wait for the kernel is an await on <see cref="INetlinkTransport.ReceiveAsync"/>; no
/// thread is held while the kernel has not answered. Not thread-safe: one request at a time
/// (clients serialize).
/// </summary>
internal sealed partial class NetlinkConnection : IDisposable
{
    private readonly INetlinkTransport _transport;
    private readonly ILogger _logger;
    private readonly DatagramBuffer _buffer = new();
    private uint _sequence;
    // Sequence numbers from _firstIssued up to _sequence were issued on this socket; replies
    // to those are stale (a cancelled request's tail) and skipped, anything else is an error.
    private readonly uint _firstIssued;
    private bool _dirty;

    public NetlinkConnection(INetlinkTransport transport, ILogger? logger = null, TimeSpan? timeout = null, uint? initialSequence = null)
    {
        _transport = transport;
        _logger = logger ?? NullLogger.Instance;
        Timeout = timeout ?? DefaultTimeout;
        // Like nft (seq = time(NULL)): a socket's numbers do not repeat those of a previous process.
        _sequence = initialSequence ?? (uint)(DateTimeOffset.UtcNow.ToUnixTimeSeconds() & 0x7fffffff);
        _firstIssued = _sequence + 1;
    }

    /// <summary>How long any single wait for the kernel may take.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; }

    public INetlinkTransport Transport => _transport;

    public uint PortId => _transport.PortId;

    internal ILogger Logger => _logger;

    /// <summary>False while a request or dump is under way or was abandoned part-way (its tail may still be queued).</summary>
    public bool IsClean => !_dirty;

    /// <summary>The next sequence number; never 0 (0 marks kernel-originated messages).</summary>
    public uint NextSequence()
    {
        _sequence++;
        if (_sequence == 0)
        {
            _sequence = 1;
        }
        return _sequence;
    }

    /// <summary>
    /// Sends <paramref name="request"/> and waits until every message numbered
    /// <paramref name="firstSequence"/>..<paramref name="lastSequence"/> (each sent with
    /// NLM_F_ACK) is acknowledged or refused. Other replies go to <paramref name="onReply"/>.
    /// Returns the refusals, in arrival order; an empty list means every message succeeded.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <c>framing</c>: for an nfnetlink batch, the sequence numbers of its NFNL_MSG_BATCH_BEGIN
    /// and _END. They are not acked, but the kernel refuses a whole batch by answering its begin
    /// message: EPERM without CAP_NET_ADMIN (nfnetlink_rcv), an unknown subsystem or a stale
    /// generation (nfnetlink_rcv_batch). Such a refusal is returned like the others.
    /// </para>
    /// <para>
    /// With <paramref name="onlyLastAcknowledged"/>, only the last message carries NLM_F_ACK: the
    /// others are answered only if refused (the kernel always reports an error), and the answer
    /// to the last one ends the wait, since the kernel handles the messages of a datagram in
    /// order and answers in that order (netlink_rcv_skb; nfnetlink_rcv_batch's error list). One
    /// ack instead of one per message spares the kernel an skb and us two system calls per message.
    /// </para>
    /// </remarks>
    public async Task<List<NetlinkError>> SendAcknowledgedAsync(ReadOnlyMemory<byte> request, uint firstSequence, uint lastSequence, string operation, ReplyHandler? onReply, CancellationToken cancellationToken, (uint Begin, uint End)? framing = null, bool onlyLastAcknowledged = false)
    {
        await PrepareForRequestAsync(cancellationToken).ConfigureAwait(false);
        int messages = checked((int)(lastSequence - firstSequence + 1));
        var state = new AcknowledgementState(firstSequence, lastSequence, onlyLastAcknowledged ? 1 : messages, onlyLastAcknowledged, framing);
        // Everything the kernel answers a batch with is queued during sendmsg, before we read
        // any of it, so it must all fit in the receive buffer or it is dropped (ENOBUFS). Any
        // message may be refused, so that is one answer per message even when only one is acked.
        _transport.EnsureReceiveBuffer(ReceiveBufferFor(messages, request.Length));
        NetlinkLog.Sent(_logger, operation, state.Expected, request.Length, firstSequence, lastSequence);
        _transport.Send(request.Span);
        _dirty = true;
        while (state.Outstanding > 0)
        {
            // Once the kernel has refused something, whatever it still has to say was queued
            // during sendmsg (nfnetlink runs the batch synchronously), so stop when the socket
            // is empty rather than wait for acks that a fatal error may have cancelled.
            TimeSpan wait = state.Errors.Count > 0 ? TimeSpan.Zero : Timeout;
            int length = await _transport.ReceiveAsync(_buffer, wait, cancellationToken).ConfigureAwait(false);
            if (length < 0)
            {
                if (state.Errors.Count > 0)
                {
                    break;
                }
                throw new NetlinkException(Errno.ETIMEDOUT, operation, firstSequence, detail: $"no answer from the kernel within {Timeout.TotalSeconds:0.#} s for {state.Outstanding} of {state.Expected} message(s)");
            }
            NetlinkLog.Received(_logger, operation, length);
            ReadAcknowledgements(length, operation, onReply, state);
        }
        _dirty = false;
        return state.Errors;
    }

    /// <summary>What a wait for acknowledgements has seen so far.</summary>
    private sealed class AcknowledgementState
    {
        public AcknowledgementState(uint first, uint last, int expected, bool onlyLast, (uint Begin, uint End)? framing)
        {
            First = first;
            Last = last;
            Expected = expected;
            Outstanding = expected;
            OnlyLast = onlyLast;
            Framing = framing;
            Answered = new bool[expected];
        }

        public uint First { get; }
        public uint Last { get; }
        public int Expected { get; }
        public bool OnlyLast { get; }
        public (uint Begin, uint End)? Framing { get; }
        public bool[] Answered { get; }
        public int Outstanding { get; set; }
        public List<NetlinkError> Errors { get; } = new();
    }

    // Synchronous on purpose: the messages are spans into the receive buffer, which cannot live across an await.
    private void ReadAcknowledgements(int length, string operation, ReplyHandler? onReply, AcknowledgementState state)
    {
        var reader = new NetlinkMessageReader(_buffer.Bytes.AsSpan(0, length));
        while (reader.TryRead(out NetlinkMessage message))
        {
            if (state.Framing is { } frame && (message.Header.Sequence == frame.Begin || message.Header.Sequence == frame.End))
            {
                CheckPortId(message.Header, operation);
                if (message.Type == NetlinkMessageType.Error)
                {
                    NetlinkError refusal = NetlinkError.Decode(message);
                    if (!refusal.IsAck)
                    {
                        NetlinkLog.KernelError(_logger, operation, refusal.Errno, message.Header.Sequence, refusal.Message);
                        state.Errors.Add(refusal);
                    }
                }
                continue;
            }
            if (!IsOurs(message.Header, state.First, state.Last, operation))
            {
                continue;
            }
            switch (message.Type)
            {
                case NetlinkMessageType.Noop:
                    break;
                case NetlinkMessageType.Error:
                    NetlinkError error = NetlinkError.Decode(message);
                    int index = state.OnlyLast ? (message.Header.Sequence == state.Last ? 0 : -1) : (int)(message.Header.Sequence - state.First);
                    if (index >= 0 && !state.Answered[index])
                    {
                        state.Answered[index] = true;
                        state.Outstanding--;
                    }
                    if (!error.IsAck)
                    {
                        NetlinkLog.KernelError(_logger, operation, error.Errno, message.Header.Sequence, error.Message);
                        state.Errors.Add(error);
                    }
                    break;
                case NetlinkMessageType.Overrun:
                    throw new NetlinkException(Errno.ENOBUFS, operation, message.Header.Sequence, detail: "the kernel reported NLMSG_OVERRUN");
                default:
                    onReply?.Invoke(message);
                    break;
            }
        }
    }

    /// <summary>
    /// The kernel's accounting unit for one ack or refusal: each is its own skb, charged to the
    /// receive buffer at its truesize (a small skb is about 768 bytes on x86-64, more with an
    /// extended-ack text), not at the 36 bytes of the message.
    /// </summary>
    internal const int ReplyTrueSize = 1024;

    /// <summary>
    /// Receive-buffer bytes for the answers to <paramref name="messages"/> messages sent in a
    /// datagram of <paramref name="requestLength"/> bytes: one ack or refusal per message (nft
    /// mnl_batch_talk reserves 1 KiB per command too), plus NLM_F_ECHO copies, which are about
    /// as large as what was sent and travel in page-sized skbs (twice the request covers their
    /// overhead), plus slack for anything else queued.
    /// </summary>
    internal static int ReceiveBufferFor(int messages, int requestLength)
    {
        long bytes = (long)messages * ReplyTrueSize + 2L * requestLength + 256 * 1024;
        // sk_rcvbuf is an int the kernel doubles; stay well inside it.
        return (int)Math.Min(bytes, int.MaxValue / 4);
    }

    /// <summary>Sends one request with NLM_F_ACK and throws if the kernel refuses it.</summary>
    public async Task ExecuteAsync(ReadOnlyMemory<byte> request, uint sequence, string operation, ReplyHandler? onReply, CancellationToken cancellationToken)
    {
        List<NetlinkError> errors = await SendAcknowledgedAsync(request, sequence, sequence, operation, onReply, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            NetlinkError e = errors[0];
            throw new NetlinkException(e.Errno, operation, sequence, e.Message, e.Offset);
        }
    }

    /// <summary>
    /// True when a reply belongs to the request numbered <paramref name="first"/>..<paramref name="last"/>.
    /// Replies to earlier requests on this socket are skipped; anything else is a protocol error.
    /// </summary>
    private bool IsOurs(in NetlinkMessageHeader header, uint first, uint last, string operation)
    {
        CheckPortId(header, operation);
        if (header.Sequence >= first && header.Sequence <= last)
        {
            return true;
        }
        if (header.Sequence >= _firstIssued && header.Sequence < first)
        {
            NetlinkLog.SkippedStale(_logger, operation, header.Sequence);
            return false;
        }
        throw new NetlinkProtocolException($"{operation} reply", $"sequence {first}" + (last != first ? $"..{last}" : string.Empty), $"{header.Sequence}, which answers no request of this socket");
    }

    private void CheckPortId(in NetlinkMessageHeader header, string operation)
    {
        if (header.PortId != 0 && header.PortId != _transport.PortId)
        {
            throw new NetlinkProtocolException($"{operation} reply seq {header.Sequence}", $"port id {_transport.PortId}", $"{header.PortId}");
        }
    }

    /// <summary>
    /// After a cancelled or failed request the socket may still hold its tail (or a dump may be
    /// half-read). Read it all away so the next request starts clean.
    /// </summary>
    private async ValueTask PrepareForRequestAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_dirty)
        {
            return;
        }
        // A partially read dump continues to produce data as it is read; a bounded number of
        // reads drains even a large one. TimeSpan.Zero: only what is queued, no waiting.
        for (int i = 0; i < 1_000_000; i++)
        {
            if (await _transport.ReceiveAsync(_buffer, TimeSpan.Zero, cancellationToken).ConfigureAwait(false) < 0)
            {
                break;
            }
        }
        _dirty = false;
    }

    public void Dispose() => _transport.Dispose();
}
