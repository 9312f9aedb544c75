using System;
using System.Net;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Routing;

/// <summary>
/// RTM_GETADDR dumps and RTM_NEWADDR replies (uapi linux/if_addr.h):
/// <code>
/// struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; }   then IFA_* attributes
/// </code>
/// </summary>
internal static class AddressCodec
{
    /// <summary>RTM_NEWADDR.</summary>
    public const ushort NewAddress = 20;
    /// <summary>RTM_GETADDR.</summary>
    public const ushort GetAddress = 22;

    private const int HeaderLength = 8;   // sizeof(struct ifaddrmsg)
    private const ushort IfaAddress = 1;  // IFA_ADDRESS
    private const ushort IfaLocal = 2;    // IFA_LOCAL
    private const ushort IfaLabel = 3;    // IFA_LABEL

    public static void WriteDump(NetlinkWriter writer, uint sequence, NetfilterFamily family)
    {
        writer.BeginMessage(GetAddress, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, sequence);
        Span<byte> header = writer.Reserve(HeaderLength);
        // AF_INET (2) and AF_INET6 (10) have the same numbers as NFPROTO_IPV4/IPV6.
        header[0] = (byte)family;
        writer.EndMessage();
    }

    public static InterfaceAddress Decode(in NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.Length < HeaderLength)
        {
            throw new NetlinkProtocolException("RTM_NEWADDR", $"an ifaddrmsg header ({HeaderLength} bytes)", $"{payload.Length} bytes");
        }
        int prefix = payload[1];
        int index = (int)HostOrder.ReadUInt32(payload.Slice(4));
        IPAddress? address = null, local = null;
        string? label = null;
        var reader = new NetlinkAttributeReader(payload.Slice(HeaderLength), "IFA");
        while (reader.TryRead(out NetlinkAttribute a))
        {
            switch (a.Type)
            {
                case IfaAddress: address = ReadAddress(a); break;
                case IfaLocal: local = ReadAddress(a); break;
                case IfaLabel: label = a.GetString(); break;
            }
        }
        IPAddress chosen = local ?? address ?? throw new NetlinkProtocolException("RTM_NEWADDR", "IFA_ADDRESS or IFA_LOCAL", "neither");
        return new InterfaceAddress(index, label, chosen, prefix);
    }

    private static IPAddress ReadAddress(in NetlinkAttribute attribute)
    {
        if (attribute.Payload.Length is not (4 or 16))
        {
            throw new NetlinkProtocolException($"IFA attribute {attribute.Type}", "4 or 16 bytes", $"{attribute.Payload.Length}");
        }
        return new IPAddress(attribute.Payload);
    }
}
