using System;

namespace Netfilter.Net.Routing;

/// <summary>struct rtmsg (uapi linux/rtnetlink.h): the fixed header of RTM_*ROUTE messages, 12 bytes.</summary>
internal readonly record struct RouteHeader(byte Family, byte DestinationLength, byte SourceLength, byte Tos, byte Table, byte Protocol, byte Scope, byte Type, uint Flags)
{
    /// <summary>sizeof(struct rtmsg).</summary>
    public const int Size = 12;

    public static RouteHeader Read(ReadOnlySpan<byte> payload, string context)
    {
        if (payload.Length < Size)
        {
            throw new NetlinkProtocolException(context, $"a struct rtmsg ({Size} bytes)", $"{payload.Length} bytes");
        }
        return new RouteHeader(payload[0], payload[1], payload[2], payload[3], payload[4], payload[5], payload[6], payload[7], Netlink.HostOrder.ReadUInt32(payload.Slice(8)));
    }

    public void Write(Span<byte> destination)
    {
        destination[0] = Family;
        destination[1] = DestinationLength;
        destination[2] = SourceLength;
        destination[3] = Tos;
        destination[4] = Table;
        destination[5] = Protocol;
        destination[6] = Scope;
        destination[7] = Type;
        Netlink.HostOrder.WriteUInt32(destination.Slice(8), Flags);
    }
}
