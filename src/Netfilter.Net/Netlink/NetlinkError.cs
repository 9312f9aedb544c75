using System;

namespace Netfilter.Net.Netlink;

/// <summary>
/// A decoded NLMSG_ERROR: the errno (0 for an ack), the header of the request it answers, and
/// the extended-ack TLVs when NLM_F_ACK_TLVS is set. The echoed request is the header alone
/// when NLM_F_CAPPED is set, otherwise the whole request (uapi struct nlmsgerr).
/// </summary>
internal readonly record struct NetlinkError(int ErrorCode, NetlinkMessageHeader Request, string? Message, uint? Offset)
{
    // enum nlmsgerr_attrs
    private const ushort AttrMsg = 1;
    private const ushort AttrOffs = 2;

    /// <summary>True for an ack (errno 0).</summary>
    public bool IsAck => ErrorCode == 0;

    /// <summary>The positive errno.</summary>
    public Errno Errno => (Errno)(-ErrorCode);

    public static NetlinkError Decode(in NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload;
        const int minimum = 4 + NetlinkAlignment.MessageHeaderLength;
        if (payload.Length < minimum)
        {
            throw new NetlinkProtocolException("NLMSG_ERROR", $"at least {minimum} bytes (errno + echoed nlmsghdr)", $"{payload.Length}");
        }
        int code = HostOrder.ReadInt32(payload);
        if (code > 0)
        {
            throw new NetlinkProtocolException("NLMSG_ERROR", "an errno of 0 or below", code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        NetlinkMessageHeader request = NetlinkMessageHeader.Read(payload.Slice(4));
        string? text = null;
        uint? offset = null;
        if ((message.Flags & NetlinkMessageFlags.AckTlvs) != 0)
        {
            int echoed = NetlinkAlignment.MessageHeaderLength;
            if ((message.Flags & NetlinkMessageFlags.Capped) == 0)
            {
                // The whole request is echoed: its own nlmsg_len says where the TLVs start, so
                // it must at least cover its header and fit in what follows the errno.
                if (request.Length < NetlinkAlignment.MessageHeaderLength || request.Length > (uint)(payload.Length - 4))
                {
                    throw new NetlinkProtocolException("NLMSG_ERROR", $"an echoed request of {NetlinkAlignment.MessageHeaderLength} to {payload.Length - 4} bytes", $"nlmsg_len {request.Length}");
                }
                echoed = NetlinkAlignment.Align((int)request.Length);
            }
            int tlvStart = 4 + echoed;
            if (tlvStart > payload.Length)
            {
                throw new NetlinkProtocolException("NLMSG_ERROR", $"an echoed request of {echoed} bytes", $"{payload.Length - 4} bytes after errno");
            }
            var reader = new NetlinkAttributeReader(payload.Slice(tlvStart), "NLMSG_ERROR extended ack");
            while (reader.TryRead(out NetlinkAttribute attribute))
            {
                switch (attribute.Type)
                {
                    case AttrMsg:
                        text = attribute.GetString();
                        break;
                    case AttrOffs:
                        offset = attribute.GetUInt32Host();
                        break;
                }
            }
        }
        return new NetlinkError(code, request, text, offset);
    }
}
