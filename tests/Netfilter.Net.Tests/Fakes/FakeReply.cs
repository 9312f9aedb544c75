using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>
/// Builds the messages a kernel sends, byte for byte as net/netlink/af_netlink.c lays them out
/// (netlink_ack, netlink_dump_done). Each returns one message, padded to 4 bytes unless asked
/// not to; <see cref="FakeStep.Datagram"/> puts several in one datagram.
/// </summary>
internal static class FakeReply
{
    /// <summary>Any message: header (nlmsg_len = 16 + payload), payload, padding.</summary>
    public static byte[] Message(ushort type, NetlinkMessageFlags flags, uint sequence, ReadOnlySpan<byte> payload, uint portId = FakeKernel.DefaultPortId, bool pad = true)
    {
        int length = NetlinkAlignment.MessageHeaderLength + payload.Length;
        var bytes = new byte[pad ? NetlinkAlignment.Align(length) : length];
        new NetlinkMessageHeader((uint)length, type, flags, sequence, portId).Write(bytes);
        payload.CopyTo(bytes.AsSpan(NetlinkAlignment.MessageHeaderLength));
        return bytes;
    }

    /// <summary>
    /// An ack (NLMSG_ERROR, error 0). The kernel always caps an ack to the request header
    /// (netlink_ack: NLM_F_CAPPED unless err and !NETLINK_F_CAP_ACK).
    /// </summary>
    public static byte[] Ack(uint sequence, uint portId = FakeKernel.DefaultPortId) =>
        Ack(new NetlinkMessageHeader(NetlinkAlignment.MessageHeaderLength + 4, NetlinkMessageType.MinType, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence, 0), portId);

    /// <summary>An ack echoing <paramref name="request"/>'s header.</summary>
    public static byte[] Ack(NetlinkMessageHeader request, uint portId = FakeKernel.DefaultPortId) =>
        ErrorMessage(request.Sequence, 0, EchoHeader(request), NetlinkMessageFlags.Capped, Array.Empty<byte>(), portId);

    /// <summary>
    /// A refusal. <paramref name="capped"/> echoes only the request header (NETLINK_CAP_ACK);
    /// otherwise <paramref name="request"/> (the whole request message) is echoed. Text and offset
    /// become NLMSGERR_ATTR_MSG / _OFFS TLVs with NLM_F_ACK_TLVS.
    /// </summary>
    public static byte[] Error(uint sequence, Errno errno, string? text = null, uint? offset = null, bool capped = true, byte[]? request = null, uint portId = FakeKernel.DefaultPortId)
    {
        byte[] echoed = request ?? EchoHeader(new NetlinkMessageHeader(NetlinkAlignment.MessageHeaderLength + 4, NetlinkMessageType.MinType, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence, 0));
        if (capped)
        {
            echoed = echoed.AsSpan(0, NetlinkAlignment.MessageHeaderLength).ToArray();
        }
        byte[] tlvs = ExtendedAck(text, offset);
        NetlinkMessageFlags flags = (capped ? NetlinkMessageFlags.Capped : 0) | (tlvs.Length > 0 ? NetlinkMessageFlags.AckTlvs : 0);
        return ErrorMessage(sequence, -(int)errno, echoed, flags, tlvs, portId);
    }

    /// <summary>NLMSG_DONE with NLM_F_MULTI and its int: 0, or -errno for a dump that failed part-way (with the text as an NLMSGERR_ATTR_MSG TLV).</summary>
    public static byte[] Done(uint sequence, Errno errno = Errno.None, string? text = null, NetlinkMessageFlags extraFlags = 0, uint portId = FakeKernel.DefaultPortId)
    {
        byte[] tlvs = ExtendedAck(text, null);
        var payload = new byte[4 + tlvs.Length];
        HostOrder.WriteUInt32(payload, unchecked((uint)-(int)errno));
        tlvs.CopyTo(payload, 4);
        NetlinkMessageFlags flags = NetlinkMessageFlags.Multi | extraFlags | (tlvs.Length > 0 ? NetlinkMessageFlags.AckTlvs : 0);
        return Message(NetlinkMessageType.Done, flags, sequence, payload, portId);
    }

    /// <summary>One item of a multipart dump: type 0x0a00 (an nfnetlink-looking type) and a 4-byte host-order value the tests decode.</summary>
    public static byte[] DumpItem(uint sequence, int value, NetlinkMessageFlags extraFlags = 0, uint portId = FakeKernel.DefaultPortId)
    {
        var payload = new byte[4];
        HostOrder.WriteUInt32(payload, (uint)value);
        return Message(ItemType, NetlinkMessageFlags.Multi | extraFlags, sequence, payload, portId);
    }

    /// <summary>NLMSG_OVERRUN.</summary>
    public static byte[] Overrun(uint sequence) => Message(NetlinkMessageType.Overrun, 0, sequence, Array.Empty<byte>());

    /// <summary>NLMSG_NOOP.</summary>
    public static byte[] Noop(uint sequence) => Message(NetlinkMessageType.Noop, 0, sequence, Array.Empty<byte>());

    /// <summary>The message type <see cref="DumpItem"/> uses.</summary>
    public const ushort ItemType = 0x0a00;

    /// <summary>Decodes a <see cref="DumpItem"/>.</summary>
    public static bool DecodeItem(in NetlinkMessage message, out int value)
    {
        value = (int)HostOrder.ReadUInt32(message.Payload);
        return true;
    }

    /// <summary>The NLMSGERR_ATTR_MSG / NLMSGERR_ATTR_OFFS TLVs, as netlink_ack writes them.</summary>
    public static byte[] ExtendedAck(string? text, uint? offset)
    {
        var tlvs = new List<byte>();
        if (text is not null)
        {
            tlvs.AddRange(Attribute(KernelConstants.NlmsgerrAttrMsg, Encoding.UTF8.GetBytes(text + "\0")));
        }
        if (offset is uint off)
        {
            var value = new byte[4];
            HostOrder.WriteUInt32(value, off);
            tlvs.AddRange(Attribute(KernelConstants.NlmsgerrAttrOffs, value));
        }
        return tlvs.ToArray();
    }

    /// <summary>One attribute, padded.</summary>
    public static byte[] Attribute(ushort type, ReadOnlySpan<byte> payload)
    {
        int length = NetlinkAlignment.AttributeHeaderLength + payload.Length;
        var bytes = new byte[NetlinkAlignment.Align(length)];
        HostOrder.WriteUInt16(bytes, (ushort)length);
        HostOrder.WriteUInt16(bytes.AsSpan(2), type);
        payload.CopyTo(bytes.AsSpan(NetlinkAlignment.AttributeHeaderLength));
        return bytes;
    }

    private static byte[] EchoHeader(NetlinkMessageHeader request)
    {
        var bytes = new byte[NetlinkAlignment.MessageHeaderLength];
        request.Write(bytes);
        return bytes;
    }

    private static byte[] ErrorMessage(uint sequence, int code, byte[] echoed, NetlinkMessageFlags flags, byte[] tlvs, uint portId)
    {
        var payload = new byte[4 + NetlinkAlignment.Align(echoed.Length) + tlvs.Length];
        HostOrder.WriteUInt32(payload, unchecked((uint)code));
        echoed.CopyTo(payload, 4);
        tlvs.CopyTo(payload, 4 + NetlinkAlignment.Align(echoed.Length));
        return Message(NetlinkMessageType.Error, flags, sequence, payload, portId);
    }
}
