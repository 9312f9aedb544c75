using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// A small scripted kernel behind <see cref="INetlinkTransport"/>: every datagram sent is
/// recorded and handed to <see cref="Kernel"/>, whose answers are queued and returned one
/// datagram per receive, as a netlink socket does. An empty queue is a timeout (-1) at once.
/// Local to the transaction tests (the shared FakeKernel lives on another branch).
/// </summary>
internal sealed class ScriptedTransport : INetlinkTransport
{
    private readonly Queue<byte[]> _inbox = new();

    public ScriptedTransport(Func<byte[], IEnumerable<byte[]>> kernel) => Kernel = kernel;

    /// <summary>Given a sent datagram, the datagrams the kernel answers with.</summary>
    public Func<byte[], IEnumerable<byte[]>> Kernel { get; set; }

    public uint PortId => 0x4242;

    public List<byte[]> Sent { get; } = new();

    /// <summary>The largest receive buffer the engine asked for.</summary>
    public int ReceiveBufferRequested { get; private set; }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        byte[] copy = datagram.ToArray();
        Sent.Add(copy);
        foreach (byte[] reply in Kernel(copy))
        {
            _inbox.Enqueue(reply);
        }
    }

    public ValueTask<int> ReceiveAsync(DatagramBuffer buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_inbox.TryDequeue(out byte[]? datagram))
        {
            return new ValueTask<int>(-1);
        }
        if (datagram.Length > buffer.Bytes.Length)
        {
            buffer.Bytes = new byte[datagram.Length];
        }
        datagram.CopyTo(buffer.Bytes, 0);
        return new ValueTask<int>(datagram.Length);
    }

    public void EnsureSendBuffer(int bytes)
    {
    }

    public void EnsureReceiveBuffer(int bytes) => ReceiveBufferRequested = Math.Max(ReceiveBufferRequested, bytes);

    public void Dispose()
    {
    }

    /// <summary>
    /// A kernel that applies every batch: echoes each NFT_MSG_NEWRULE sent with NLM_F_ECHO (with
    /// handles from <paramref name="firstHandle"/> up), then acks each message sent with
    /// NLM_F_ACK, one datagram each, in that order (nf_tables_commit notifies before
    /// nfnetlink_rcv_batch delivers the acks).
    /// </summary>
    public static Func<byte[], IEnumerable<byte[]>> Accepting(ulong firstHandle = 100)
    {
        ulong next = firstHandle;
        return datagram =>
        {
            List<RawMessage> messages = RawMessage.Split(datagram);
            var replies = new List<byte[]>();
            foreach (RawMessage m in messages)
            {
                if (m.NfTablesMessage == 6 && (m.Flags & RawMessage.FlagEcho) != 0)
                {
                    replies.Add(KernelReplies.RuleEcho(m, 0x4242, next++));
                }
            }
            foreach (RawMessage m in messages)
            {
                if ((m.Flags & RawMessage.FlagAck) != 0)
                {
                    replies.Add(KernelReplies.Ack(m, 0x4242));
                }
            }
            return replies;
        };
    }

    /// <summary>
    /// A kernel that refuses the batch messages <paramref name="refuse"/> picks (by index among the
    /// messages between begin and end): errors for those, acks for the rest, no echoes (the
    /// transaction was aborted), in message order as nfnl_err_deliver sends them.
    /// </summary>
    public static Func<byte[], IEnumerable<byte[]>> Refusing(Func<int, RawMessage, byte[]?> refuse) => datagram =>
    {
        List<RawMessage> messages = RawMessage.Split(datagram);
        var replies = new List<byte[]>();
        for (int i = 1; i < messages.Count - 1; i++)
        {
            byte[]? error = refuse(i - 1, messages[i]);
            if (error is not null)
            {
                replies.Add(error);
            }
            else if ((messages[i].Flags & RawMessage.FlagAck) != 0)
            {
                replies.Add(KernelReplies.Ack(messages[i], 0x4242));
            }
        }
        return replies;
    };
}
