using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Netfilter;

/// <summary>Receives a non-ack reply (an NLM_F_ECHO copy) to batch message <paramref name="index"/>.</summary>
internal delegate void BatchReplyHandler(int index, in NetlinkMessage message);

/// <summary>One message of a batch that the kernel refused, mapped back to what the caller wrote.</summary>
/// <param name="Index">
/// 0-based position among the batch's messages (begin/end excluded), or -1 when the kernel
/// refused the batch as a whole by answering its begin or end message (EPERM without
/// CAP_NET_ADMIN, an unknown subsystem, a stale generation).
/// </param>
/// <param name="Description">The caller's description of that message, or which framing message was refused.</param>
/// <param name="MessageOffset">Byte offset of that message's header in the datagram (0, the batch begin, for Index -1).</param>
/// <param name="Error">What the kernel said.</param>
internal readonly record struct BatchFailure(int Index, string Description, int MessageOffset, NetlinkError Error);

/// <summary>
/// An nfnetlink batch: NFNL_MSG_BATCH_BEGIN, the messages, NFNL_MSG_BATCH_END, sent in one
/// sendmsg so the kernel applies all of it or none (nftables transactions). Every message
/// carries NLM_F_ACK and its own sequence number, and a refusal is mapped back to the
/// message that caused it by that number (google/nftables getSeqToMsgMap; nft mnl_batch_extack_cb).
/// </summary>
internal sealed class NfnetlinkBatch : IDisposable
{
    private readonly NetlinkConnection _connection;
    private readonly NfnlSubsystem _subsystem;
    private readonly NetlinkWriter _writer;
    // What the caller said each message is; turned into text only when the kernel refuses one.
    private readonly List<object> _descriptions = new();
    private readonly List<int> _offsets = new();
    private readonly List<byte> _types = new();
    private readonly uint _beginSequence;
    private readonly bool _acknowledgeEach;
    private uint _firstSequence;

    /// <param name="connection">The connection that numbers and sends the batch.</param>
    /// <param name="subsystem">The nfnetlink subsystem every message belongs to.</param>
    /// <param name="initialCapacity">Bytes to reserve up front.</param>
    /// <param name="generation">When set, NFNL_BATCH_GENID: the kernel refuses the batch with ERESTART if the generation moved.</param>
    /// <param name="acknowledgeEach">
    /// True: NLM_F_ACK on every message. False: only on the last one; the others are answered
    /// only when refused, which is enough to know the outcome and much cheaper for large batches
    /// (see <see cref="NetlinkConnection.SendAcknowledgedAsync"/>).
    /// </param>
    public NfnetlinkBatch(NetlinkConnection connection, NfnlSubsystem subsystem, int initialCapacity = 16 * 1024, uint? generation = null, bool acknowledgeEach = true)
    {
        _connection = connection;
        _subsystem = subsystem;
        _acknowledgeEach = acknowledgeEach;
        _writer = new NetlinkWriter(initialCapacity);
        _beginSequence = connection.NextSequence();
        NfnetlinkWriter.BeginBatch(_writer, _beginSequence, subsystem, generation);
    }

    /// <summary>The writer, for the attributes of the open message.</summary>
    public NetlinkWriter Writer => _writer;

    /// <summary>Messages added so far.</summary>
    public int Count => _descriptions.Count;

    /// <summary>Byte offset of the header of message <paramref name="index"/>.</summary>
    public int OffsetOf(int index) => _offsets[index];

    /// <summary>The nfnetlink message type of message <paramref name="index"/>.</summary>
    public byte TypeOf(int index) => _types[index];

    /// <summary>The sequence number of message <paramref name="index"/>.</summary>
    public uint SequenceOf(int index) => _firstSequence + (uint)index;

    /// <summary>Opens the next message; write its attributes through <see cref="Writer"/>, then call <see cref="EndMessage"/>.</summary>
    /// <param name="type">The message type within the batch's subsystem.</param>
    /// <param name="flags">Flags besides NLM_F_REQUEST and NLM_F_ACK, which every message gets.</param>
    /// <param name="family">The nfgenmsg family.</param>
    /// <param name="description">
    /// What the message does, for errors: a string, or any object whose ToString() says it
    /// (called only if the kernel refuses the message, so large batches build no strings).
    /// </param>
    public uint BeginMessage(byte type, NetlinkMessageFlags flags, NetfilterFamily family, object description)
    {
        uint sequence = _connection.NextSequence();
        if (_descriptions.Count == 0)
        {
            _firstSequence = sequence;
        }
        else if (sequence != _firstSequence + (uint)_descriptions.Count)
        {
            throw new InvalidOperationException("batch sequence numbers must be consecutive; do not use the connection while building a batch");
        }
        _offsets.Add(_writer.Length);
        _descriptions.Add(description);
        _types.Add(type);
        NfnetlinkWriter.BeginMessage(_writer, _subsystem, type, _acknowledgeEach ? flags | NetlinkMessageFlags.Ack : flags, sequence, family);
        return sequence;
    }

    public void EndMessage() => _writer.EndMessage();

    /// <summary>
    /// Sends the batch and waits for every message's ack. Returns the refusals (empty on success).
    /// Replies other than acks (NLM_F_ECHO copies) go to <paramref name="onReply"/> with their index.
    /// </summary>
    public async Task<List<BatchFailure>> CommitAsync(string operation, BatchReplyHandler? onReply, CancellationToken cancellationToken)
    {
        if (_descriptions.Count == 0)
        {
            return new List<BatchFailure>();
        }
        if (!_acknowledgeEach)
        {
            // Ask for an ack on the last message only: nlmsg_flags is the u16 at offset 6.
            Span<byte> flags = _writer.BufferAt(_offsets[^1] + 6, 2);
            HostOrder.WriteUInt16(flags, (ushort)(HostOrder.ReadUInt16(flags) | (ushort)NetlinkMessageFlags.Ack));
        }
        uint endSequence = _connection.NextSequence();
        NfnetlinkWriter.EndBatch(_writer, endSequence, _subsystem);
        uint first = _firstSequence;
        uint last = _firstSequence + (uint)_descriptions.Count - 1;
        ReplyHandler? handler = onReply is null ? null : (in NetlinkMessage m) => onReply((int)(m.Header.Sequence - first), m);
        List<NetlinkError> errors = await _connection.SendAcknowledgedAsync(_writer.WrittenMemory, first, last, operation, handler, cancellationToken, (_beginSequence, endSequence), onlyLastAcknowledged: !_acknowledgeEach).ConfigureAwait(false);
        var failures = new List<BatchFailure>(errors.Count);
        foreach (NetlinkError error in errors)
        {
            uint index = error.Request.Sequence - first;
            if (index >= (uint)_descriptions.Count)
            {
                string which = error.Request.Sequence == endSequence ? "NFNL_MSG_BATCH_END" : "NFNL_MSG_BATCH_BEGIN";
                failures.Add(new BatchFailure(-1, $"the batch as a whole (the kernel refused {which})", 0, error));
                continue;
            }
            failures.Add(new BatchFailure((int)index, _descriptions[(int)index].ToString() ?? string.Empty, _offsets[(int)index], error));
        }
        failures.Sort((a, b) => a.Index.CompareTo(b.Index));
        return failures;
    }

    /// <summary>
    /// Sends the batch and waits for nothing. nfnetlink runs a batch inside the sendmsg that carries
    /// it, so the kernel has applied or refused it when this returns; a refusal is only queued on
    /// the socket, unread. For a socket about to be closed (see NfTablesClient.Dispose).
    /// </summary>
    public void SendWithoutAnswers()
    {
        if (_descriptions.Count == 0)
        {
            return;
        }
        NfnetlinkWriter.EndBatch(_writer, _connection.NextSequence(), _subsystem);
        _connection.Transport.Send(_writer.WrittenMemory.Span);
    }

    public void Dispose() => _writer.Dispose();
}
