using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// nf_tables as <see cref="Fakes.FakeKernel.OnEveryRequest"/> models it for the transaction tests:
/// given a sent batch, the datagrams the kernel answers with, addressed to port <see cref="PortId"/>.
/// </summary>
internal static class NfTablesKernelModels
{
    /// <summary>The port id the models address their replies to: give the <see cref="Fakes.FakeKernel"/> this one.</summary>
    public const uint PortId = 0x4242;

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
                    replies.Add(KernelReplies.RuleEcho(m, PortId, next++));
                }
            }
            foreach (RawMessage m in messages)
            {
                if ((m.Flags & RawMessage.FlagAck) != 0)
                {
                    replies.Add(KernelReplies.Ack(m, PortId));
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
                replies.Add(KernelReplies.Ack(messages[i], PortId));
            }
        }
        return replies;
    };
}
