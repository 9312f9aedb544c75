using System;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Routing;

/// <summary>
/// RTM_GETLINK for one interface by index, the way <c>ip route get</c> resolves the name of the
/// output interface (iproute2 ll_map.c ll_link_get): a struct ifinfomsg with the index, and
/// IFLA_EXT_MASK = RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS so the answer leaves out statistics.
/// </summary>
internal static class LinkCodec
{
    /// <summary>sizeof(struct ifinfomsg): family, pad, type (u16), index (s32), flags (u32), change (u32).</summary>
    public const int HeaderSize = 16;

    /// <summary>IFLA_IFNAME (uapi linux/if_link.h): the interface name, NUL-terminated.</summary>
    private const ushort AttributeName = 3;

    /// <summary>IFLA_EXT_MASK (uapi linux/if_link.h).</summary>
    private const ushort AttributeExtMask = 29;

    /// <summary>RTEXT_FILTER_VF (1 &lt;&lt; 0) | RTEXT_FILTER_SKIP_STATS (1 &lt;&lt; 3), uapi linux/rtnetlink.h.</summary>
    private const uint ExtMask = (1 << 0) | (1 << 3);

    /// <summary>RTM_GETLINK for <paramref name="index"/>, with NLM_F_ACK added to what ip sends so the request engine sees its end.</summary>
    public static void WriteGet(NetlinkWriter writer, uint sequence, int index)
    {
        if (index <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "an interface index is positive");
        }
        writer.BeginMessage(RoutingMessageType.GetLink, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, sequence);
        Span<byte> header = writer.Reserve(HeaderSize);
        header.Clear();
        HostOrder.WriteUInt32(header.Slice(4), (uint)index);
        writer.WriteUInt32Host(AttributeExtMask, ExtMask);
        writer.EndMessage();
    }

    /// <summary>ifi_family AF_PACKET (uapi linux/socket.h), which <c>ip link show</c> puts in its dump request.</summary>
    private const byte FamilyPacket = 17;

    /// <summary>
    /// RTM_GETLINK dump of every interface, as <c>ip -o link show</c> sends it (iproute2
    /// rtnl_linkdump_req_filter_fn): ifi_family AF_PACKET and IFLA_EXT_MASK = RTEXT_FILTER_VF.
    /// </summary>
    public static void WriteDump(NetlinkWriter writer, uint sequence)
    {
        writer.BeginMessage(RoutingMessageType.GetLink, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sequence);
        Span<byte> header = writer.Reserve(HeaderSize);
        header.Clear();
        header[0] = FamilyPacket;
        writer.WriteUInt32Host(AttributeExtMask, 1 << 0);
        writer.EndMessage();
    }

    /// <summary>The index (ifi_index) of one RTM_NEWLINK.</summary>
    public static int DecodeIndex(in NetlinkMessage message)
    {
        if (message.Payload.Length < HeaderSize)
        {
            throw new NetlinkProtocolException("RTM_NEWLINK", $"a struct ifinfomsg ({HeaderSize} bytes)", $"{message.Payload.Length} bytes");
        }
        return (int)HostOrder.ReadUInt32(message.Payload.Slice(4));
    }

    /// <summary>The name in one RTM_NEWLINK, or null when it has none.</summary>
    public static string? DecodeName(in NetlinkMessage message)
    {
        const string context = "RTM_NEWLINK";
        if (message.Payload.Length < HeaderSize)
        {
            throw new NetlinkProtocolException(context, $"a struct ifinfomsg ({HeaderSize} bytes)", $"{message.Payload.Length} bytes");
        }
        var reader = new NetlinkAttributeReader(message.Payload.Slice(HeaderSize), "IFLA");
        while (reader.TryRead(out NetlinkAttribute attribute))
        {
            if (attribute.Type == AttributeName)
            {
                return attribute.GetStringZ();
            }
        }
        return null;
    }
}
