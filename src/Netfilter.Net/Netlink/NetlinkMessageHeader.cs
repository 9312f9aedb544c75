using System;

namespace Netfilter.Net.Netlink;

/// <summary>struct nlmsghdr, always in host byte order.</summary>
internal readonly record struct NetlinkMessageHeader(uint Length, ushort Type, NetlinkMessageFlags Flags, uint Sequence, uint PortId)
{
    public static NetlinkMessageHeader Read(ReadOnlySpan<byte> source) => new(
        HostOrder.ReadUInt32(source),
        HostOrder.ReadUInt16(source.Slice(4)),
        (NetlinkMessageFlags)HostOrder.ReadUInt16(source.Slice(6)),
        HostOrder.ReadUInt32(source.Slice(8)),
        HostOrder.ReadUInt32(source.Slice(12)));

    public void Write(Span<byte> destination)
    {
        HostOrder.WriteUInt32(destination, Length);
        HostOrder.WriteUInt16(destination.Slice(4), Type);
        HostOrder.WriteUInt16(destination.Slice(6), (ushort)Flags);
        HostOrder.WriteUInt32(destination.Slice(8), Sequence);
        HostOrder.WriteUInt32(destination.Slice(12), PortId);
    }
}
