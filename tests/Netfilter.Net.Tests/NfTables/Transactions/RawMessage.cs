using System.IO;
using System.Buffers.Binary;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>One netlink message cut out of a datagram, header fields decoded (host order, x86-64: little-endian).</summary>
internal sealed record RawMessage(int Offset, uint Length, ushort Type, ushort Flags, uint Sequence, uint PortId, byte[] Bytes)
{
    public const int HeaderLength = 16;

    // uapi netlink.h
    public const ushort NlmsgError = 2;
    public const ushort FlagRequest = 0x01;
    public const ushort FlagMulti = 0x02;
    public const ushort FlagAck = 0x04;
    public const ushort FlagEcho = 0x08;
    public const ushort FlagDumpInterrupted = 0x10;
    public const ushort FlagCapped = 0x100;
    public const ushort FlagAckTlvs = 0x200;

    // uapi nfnetlink.h: NFNL_MSG_BATCH_BEGIN / _END; NFNL_SUBSYS_NFTABLES << 8
    public const ushort BatchBegin = 0x10;
    public const ushort BatchEnd = 0x11;
    public const ushort NfTables = 0x0a00;

    /// <summary>Everything after the 16-byte header (nfgenmsg + attributes for nfnetlink).</summary>
    public byte[] Payload => Bytes.AsSpan(HeaderLength).ToArray();

    /// <summary>The nftables message number (NFT_MSG_*), or the raw type for others.</summary>
    public int NfTablesMessage => (Type & 0xff00) == NfTables ? Type & 0xff : -1;

    public static List<RawMessage> Split(ReadOnlySpan<byte> datagram)
    {
        var messages = new List<RawMessage>();
        int offset = 0;
        while (offset + HeaderLength <= datagram.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(datagram.Slice(offset));
            if (length < HeaderLength || offset + length > datagram.Length)
            {
                throw new InvalidDataException($"message at {offset} claims {length} bytes; datagram has {datagram.Length - offset} left");
            }
            messages.Add(new RawMessage(
                offset,
                length,
                BinaryPrimitives.ReadUInt16LittleEndian(datagram.Slice(offset + 4)),
                BinaryPrimitives.ReadUInt16LittleEndian(datagram.Slice(offset + 6)),
                BinaryPrimitives.ReadUInt32LittleEndian(datagram.Slice(offset + 8)),
                BinaryPrimitives.ReadUInt32LittleEndian(datagram.Slice(offset + 12)),
                datagram.Slice(offset, (int)length).ToArray()));
            offset += ((int)length + 3) & ~3;
        }
        if (offset != datagram.Length)
        {
            throw new InvalidDataException($"{datagram.Length - offset} trailing bytes after the last message");
        }
        return messages;
    }

    /// <summary>
    /// A copy of an NLMSG_ERROR with a new sequence number and port id, in its own header and in
    /// the request header it echoes (the kernel echoes our request, so both carry our number).
    /// </summary>
    public static byte[] ErrorWithSequence(byte[] error, uint sequence, uint portId)
    {
        byte[] copy = WithSequence(error, sequence, portId);
        // struct nlmsgerr { int error; struct nlmsghdr msg; }: msg.nlmsg_seq is at 16 + 4 + 8.
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(HeaderLength + 4 + 8), sequence);
        return copy;
    }

    /// <summary>A copy of a whole message with new sequence number and port id.</summary>
    public static byte[] WithSequence(byte[] message, uint sequence, uint portId)
    {
        byte[] copy = (byte[])message.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(8), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(12), portId);
        return copy;
    }
}
