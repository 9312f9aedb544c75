using System;

namespace Netfilter.Net.Netlink;

/// <summary>One message from a datagram: its header and the payload after the header.</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(NetlinkMessageHeader header, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> whole)
    {
        Header = header;
        Payload = payload;
        Bytes = whole;
    }

    public NetlinkMessageHeader Header { get; }

    /// <summary>Everything after the 16-byte header (family header and attributes).</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The whole message, header included.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public ushort Type => Header.Type;

    public NetlinkMessageFlags Flags => Header.Flags;
}
