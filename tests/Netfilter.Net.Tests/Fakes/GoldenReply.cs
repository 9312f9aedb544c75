using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>Replays a captured kernel reply to a test's own request: rewrites sequence and port id, nothing else.</summary>
internal static class GoldenReply
{
    /// <summary>
    /// A copy of <paramref name="datagram"/> whose messages carry <paramref name="sequence"/> and
    /// <paramref name="portId"/> (0 for an event the kernel multicasts) and <paramref name="addFlags"/>
    /// besides their own; an NLMSG_ERROR's echoed request header gets the same sequence.
    /// </summary>
    public static byte[] Readdress(byte[] datagram, uint sequence, uint portId = FakeKernel.DefaultPortId, NetlinkMessageFlags addFlags = NetlinkMessageFlags.None)
    {
        byte[] copy = datagram.ToArray();
        int offset = 0;
        while (offset + NetlinkAlignment.MessageHeaderLength <= copy.Length)
        {
            Span<byte> message = copy.AsSpan(offset);
            int length = (int)HostOrder.ReadUInt32(message);
            HostOrder.WriteUInt32(message.Slice(8), sequence);
            HostOrder.WriteUInt32(message.Slice(12), portId);
            HostOrder.WriteUInt16(message.Slice(6), (ushort)(HostOrder.ReadUInt16(message.Slice(6)) | (ushort)addFlags));
            if (HostOrder.ReadUInt16(message.Slice(4)) == NetlinkMessageType.Error && length >= 36)
            {
                HostOrder.WriteUInt32(message.Slice(20 + 8), sequence);
            }
            offset += NetlinkAlignment.Align(length);
        }
        return copy;
    }
}
