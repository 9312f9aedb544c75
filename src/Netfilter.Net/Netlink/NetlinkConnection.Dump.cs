using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Netfilter.Net.Netlink;

internal sealed partial class NetlinkConnection
{
    /// <summary>
    /// Sends a dump request (NLM_F_DUMP) and streams the decoded messages until NLMSG_DONE.
    /// Memory is bounded by one datagram's worth of decoded items. An errno in DONE or an
    /// NLMSG_ERROR raises <see cref="NetlinkException"/>; NLM_F_DUMP_INTR on any message is
    /// remembered and raises <see cref="NetlinkDumpInterruptedException"/> after DONE, so a
    /// caller that consumed everything learns that it was inconsistent.
    /// </summary>
    public async IAsyncEnumerable<T> DumpAsync<T>(ReadOnlyMemory<byte> request, uint sequence, string operation, MessageDecoder<T> decoder, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await PrepareForRequestAsync(cancellationToken).ConfigureAwait(false);
        NetlinkLog.Sent(_logger, operation, 1, request.Length, sequence, sequence);
        _transport.Send(request.Span);
        _dirty = true;
        var batch = new List<T>();
        bool interrupted = false;
        bool done = false;
        while (!done)
        {
            batch.Clear();
            int length = await ReceiveDumpDatagramAsync(sequence, operation, cancellationToken).ConfigureAwait(false);
            done = ReadDumpDatagram(length, sequence, operation, decoder, batch, ref interrupted);
            foreach (T item in batch)
            {
                yield return item;
            }
        }
        _dirty = false;
        if (interrupted)
        {
            throw new NetlinkDumpInterruptedException(operation, sequence, 1);
        }
    }

    /// <summary>
    /// Runs a whole dump into a list, retrying up to <paramref name="attempts"/> times while
    /// the kernel marks it interrupted (NLM_F_DUMP_INTR). Never returns a partial answer.
    /// </summary>
    public async Task<List<T>> DumpAllAsync<T>(Func<uint, ReadOnlyMemory<byte>> buildRequest, string operation, MessageDecoder<T> decoder, int attempts, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            await PrepareForRequestAsync(cancellationToken).ConfigureAwait(false);
            uint sequence = NextSequence();
            ReadOnlyMemory<byte> request = buildRequest(sequence);
            NetlinkLog.Sent(_logger, operation, 1, request.Length, sequence, sequence);
            _transport.Send(request.Span);
            _dirty = true;
            var items = new List<T>();
            bool interrupted = false;
            bool done = false;
            while (!done)
            {
                int length = await ReceiveDumpDatagramAsync(sequence, operation, cancellationToken).ConfigureAwait(false);
                done = ReadDumpDatagram(length, sequence, operation, decoder, items, ref interrupted);
            }
            _dirty = false;
            if (!interrupted)
            {
                return items;
            }
            NetlinkLog.DumpInterrupted(_logger, operation, attempt, attempts);
            if (attempt >= attempts)
            {
                throw new NetlinkDumpInterruptedException(operation, sequence, attempt);
            }
        }
    }

    private async ValueTask<int> ReceiveDumpDatagramAsync(uint sequence, string operation, CancellationToken cancellationToken)
    {
        int length = await _transport.ReceiveAsync(_buffer, Timeout, cancellationToken).ConfigureAwait(false);
        if (length < 0)
        {
            throw new NetlinkException(Errno.ETIMEDOUT, operation, sequence, detail: $"the dump did not continue within {Timeout.TotalSeconds:0.#} s");
        }
        NetlinkLog.Received(_logger, operation, length);
        return length;
    }

    /// <summary>Decodes one received datagram of a dump into <paramref name="items"/>; true once NLMSG_DONE was seen. Synchronous: the messages are spans into the receive buffer.</summary>
    private bool ReadDumpDatagram<T>(int length, uint sequence, string operation, MessageDecoder<T> decoder, List<T> items, ref bool interrupted)
    {
        var reader = new NetlinkMessageReader(_buffer.Bytes.AsSpan(0, length));
        while (reader.TryRead(out NetlinkMessage message))
        {
            if (!IsOurs(message.Header, sequence, sequence, operation))
            {
                continue;
            }
            if ((message.Flags & NetlinkMessageFlags.DumpInterrupted) != 0)
            {
                interrupted = true;
            }
            switch (message.Type)
            {
                case NetlinkMessageType.Noop:
                    continue;
                case NetlinkMessageType.Done:
                    ThrowIfDoneCarriesError(message, operation, sequence);
                    // Anything after DONE in the same datagram belongs to nobody; stop here.
                    return true;
                case NetlinkMessageType.Error:
                    NetlinkError error = NetlinkError.Decode(message);
                    if (error.IsAck)
                    {
                        // An ack for a dump (NLM_F_ACK was set) ends it like DONE.
                        return true;
                    }
                    NetlinkLog.KernelError(_logger, operation, error.Errno, sequence, error.Message);
                    _dirty = false;
                    throw new NetlinkException(error.Errno, operation, sequence, error.Message, error.Offset);
                case NetlinkMessageType.Overrun:
                    throw new NetlinkException(Errno.ENOBUFS, operation, sequence, detail: "the kernel reported NLMSG_OVERRUN");
            }
            if (decoder(message, out T value))
            {
                items.Add(value);
            }
            if ((message.Flags & NetlinkMessageFlags.Multi) == 0)
            {
                // A single, non-multipart answer is complete by itself.
                return true;
            }
        }
        return false;
    }

    // NLMSG_DONE carries an int: 0, or the negative errno of a dump that failed part-way
    // (mdlayher checkMessage; netlink_dump's dump_done_errno).
    private void ThrowIfDoneCarriesError(in NetlinkMessage message, string operation, uint sequence)
    {
        if (message.Payload.Length < 4)
        {
            return;
        }
        int code = HostOrder.ReadInt32(message.Payload);
        if (code < 0)
        {
            string? text = null;
            if ((message.Flags & NetlinkMessageFlags.AckTlvs) != 0 && message.Payload.Length > 4)
            {
                var tlvs = new NetlinkAttributeReader(message.Payload.Slice(4), "NLMSG_DONE extended ack");
                while (tlvs.TryRead(out NetlinkAttribute attribute))
                {
                    if (attribute.Type == 1)
                    {
                        text = attribute.GetString();
                    }
                }
            }
            _dirty = false;
            throw new NetlinkException((Errno)(-code), operation, sequence, text, detail: "the dump failed part-way (errno in NLMSG_DONE)");
        }
    }
}
