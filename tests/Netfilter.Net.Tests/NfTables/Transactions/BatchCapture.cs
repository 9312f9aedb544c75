using System.IO;
using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Support;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// What nft -f sent for one script and what the kernel refused, from a capture under
/// Captures/nftables/transactions (written by native-tests/capture/capture-nft-batches.sh): the
/// batch is the sent datagram that starts with NFNL_MSG_BATCH_BEGIN, the replies are the
/// NLMSG_ERROR datagrams received after it. The rest of the capture (nft's generation and cache
/// dumps) is not part of the transaction.
/// </summary>
internal sealed class BatchCapture
{
    private const ushort BatchBegin = 0x10; // NFNL_MSG_BATCH_BEGIN, linux/netfilter/nfnetlink.h

    private BatchCapture(string name, string command, byte[] batch, List<byte[]> replies)
    {
        Name = name;
        Command = command;
        Batch = batch;
        Replies = replies;
    }

    public string Name { get; }

    /// <summary>The command that was captured.</summary>
    public string Command { get; }

    /// <summary>The datagram nft sent: batch begin, messages, batch end.</summary>
    public byte[] Batch { get; }

    /// <summary>The kernel's NLMSG_ERROR datagrams, in order.</summary>
    public IReadOnlyList<byte[]> Replies { get; }

    /// <summary>The batch's messages between begin and end.</summary>
    public List<RawMessage> Messages => RawMessage.Split(Batch);

    public static BatchCapture Load(string name)
    {
        CaptureFile capture = CaptureFile.Load($"nftables/transactions/{name}.txt");
        int batch = -1;
        for (int i = 0; i < capture.Datagrams.Count; i++)
        {
            CaptureFile.Datagram d = capture.Datagrams[i];
            if (d.Sent && TypeOf(d.Bytes) == BatchBegin)
            {
                batch = batch < 0 ? i : throw new InvalidDataException($"{capture.Path}: more than one batch");
            }
        }
        if (batch < 0)
        {
            throw new InvalidDataException($"{capture.Path}: no batch (a sent datagram that starts with NFNL_MSG_BATCH_BEGIN)");
        }
        List<byte[]> errors = capture.Datagrams.Skip(batch + 1)
            .Where(d => !d.Sent && TypeOf(d.Bytes) == NetlinkMessageType.Error)
            .Select(d => d.Bytes)
            .ToList();
        return new BatchCapture(name, capture.Command, capture.Datagrams[batch].Bytes, errors);
    }

    private static ushort TypeOf(byte[] datagram) => HostOrder.ReadUInt16(datagram.AsSpan(4));
}
