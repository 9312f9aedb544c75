using System.Buffers.Binary;
using System.Text;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// Builds the datagrams the kernel answers with, in the kernel's layout (uapi netlink.h
/// struct nlmsgerr, enum nlmsgerr_attrs; nfnetlink nfgenmsg), so the scripted transport can play
/// a kernel. The layouts are checked against a real capture in
/// <see cref="ErrorMappingTests"/> (Captures/nftables/transactions/refused-jump.txt).
/// </summary>
internal static class KernelReplies
{
    private const ushort AttrMsg = 1;  // NLMSGERR_ATTR_MSG
    private const ushort AttrOffs = 2; // NLMSGERR_ATTR_OFFS

    /// <summary>An ack (error 0) for <paramref name="request"/>, capped (NETLINK_CAP_ACK is on for our sockets).</summary>
    public static byte[] Ack(RawMessage request, uint portId) => Error(request, portId, 0);

    /// <summary>
    /// NLMSG_ERROR for <paramref name="request"/>: -<paramref name="errno"/>, the echoed header
    /// (the whole request unless <paramref name="capped"/>), then the extended-ack TLVs if any.
    /// </summary>
    public static byte[] Error(RawMessage request, uint portId, int errno, string? text = null, uint? offset = null, bool capped = true)
    {
        var tlvs = new List<byte>();
        if (text is not null)
        {
            Attribute(tlvs, AttrMsg, Encoding.ASCII.GetBytes(text + "\0"));
        }
        if (offset is uint off)
        {
            var value = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(value, off);
            Attribute(tlvs, AttrOffs, value);
        }
        byte[] echoed = capped ? request.Bytes.AsSpan(0, RawMessage.HeaderLength).ToArray() : request.Bytes;
        var payload = new List<byte>();
        var code = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(code, -errno);
        payload.AddRange(code);
        payload.AddRange(echoed);
        while (payload.Count % 4 != 0) payload.Add(0);
        payload.AddRange(tlvs);
        ushort flags = (ushort)((capped ? RawMessage.FlagCapped : 0) | (tlvs.Count > 0 ? RawMessage.FlagAckTlvs : 0));
        return Message(RawMessage.NlmsgError, flags, request.Sequence, portId, payload.ToArray());
    }

    /// <summary>
    /// The NLM_F_ECHO copy of an added rule: nfgenmsg, NFTA_RULE_TABLE (1), NFTA_RULE_CHAIN (2)
    /// and the new NFTA_RULE_HANDLE (3) (the kernel's copy has more; the library reads only the handle).
    /// </summary>
    public static byte[] RuleEcho(RawMessage request, uint portId, ulong handle)
    {
        byte[] source = request.Payload;
        var payload = new List<byte>(source.AsSpan(0, 4).ToArray());
        for (int at = 4; at + 4 <= source.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(source.AsSpan(at));
            int type = BinaryPrimitives.ReadUInt16LittleEndian(source.AsSpan(at + 2)) & 0x3fff;
            if (type is 1 or 2)
            {
                Attribute(payload, (ushort)type, source.AsSpan(at + 4, length - 4).ToArray());
            }
            at += (length + 3) & ~3;
        }
        var value = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, handle);
        Attribute(payload, 3, value);
        return Message(request.Type, 0, request.Sequence, portId, payload.ToArray());
    }

    /// <summary>NFT_MSG_NEWGEN: the answer to NFT_MSG_GETGEN, with NFTA_GEN_ID (1).</summary>
    public static byte[] Generation(RawMessage request, uint portId, uint generation)
    {
        var payload = new List<byte> { 0, 0, (byte)(generation >> 8), (byte)generation };
        var value = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, generation);
        Attribute(payload, 1, value);
        return Message(RawMessage.NfTables | 15, 0, request.Sequence, portId, payload.ToArray());
    }

    /// <summary>NLMSG_DONE ending a dump (errno 0).</summary>
    public static byte[] Done(RawMessage request, uint portId, ushort extraFlags = 0) =>
        Message(3, (ushort)(RawMessage.FlagMulti | extraFlags), request.Sequence, portId, new byte[4]);

    /// <summary>One multipart dump message of <paramref name="type"/> carrying <paramref name="payload"/>.</summary>
    public static byte[] DumpPart(RawMessage request, uint portId, ushort type, byte[] payload, ushort extraFlags = 0) =>
        Message(type, (ushort)(RawMessage.FlagMulti | extraFlags), request.Sequence, portId, payload);

    public static byte[] Message(ushort type, ushort flags, uint sequence, uint portId, byte[] payload)
    {
        int length = RawMessage.HeaderLength + payload.Length;
        var bytes = new byte[(length + 3) & ~3];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), portId);
        payload.CopyTo(bytes, RawMessage.HeaderLength);
        return bytes;
    }

    /// <summary>Appends a netlink attribute (host-order header, 4-byte padding).</summary>
    public static void Attribute(List<byte> target, ushort type, byte[] value)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), type);
        target.AddRange(header);
        target.AddRange(value);
        while (target.Count % 4 != 0) target.Add(0);
    }

    /// <summary>A NUL-terminated string attribute.</summary>
    public static void StringAttribute(List<byte> target, ushort type, string value) => Attribute(target, type, Encoding.UTF8.GetBytes(value + "\0"));
}
