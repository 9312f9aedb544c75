using System;

namespace Netfilter.Net.Netlink;

/// <summary>
/// Walks the messages of one datagram without copying. A length that is shorter than a header
/// or runs past the datagram raises <see cref="NetlinkProtocolException"/>; a missing final
/// padding is tolerated.
/// </summary>
internal ref struct NetlinkMessageReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public NetlinkMessageReader(ReadOnlySpan<byte> datagram)
    {
        _data = datagram;
        _offset = 0;
    }

    public bool TryRead(out NetlinkMessage message)
    {
        int remaining = _data.Length - _offset;
        if (remaining == 0)
        {
            message = default;
            return false;
        }
        if (remaining < NetlinkAlignment.MessageHeaderLength)
        {
            throw new NetlinkProtocolException($"netlink datagram at byte {_offset}", $"a message header ({NetlinkAlignment.MessageHeaderLength} bytes)", $"{remaining} trailing bytes");
        }
        ReadOnlySpan<byte> rest = _data.Slice(_offset);
        NetlinkMessageHeader header = NetlinkMessageHeader.Read(rest);
        if (header.Length < NetlinkAlignment.MessageHeaderLength || header.Length > (uint)remaining)
        {
            throw new NetlinkProtocolException($"netlink message type {header.Type} at byte {_offset}", $"nlmsg_len between {NetlinkAlignment.MessageHeaderLength} and {remaining}", $"{header.Length}");
        }
        int length = (int)header.Length;
        message = new NetlinkMessage(header, rest.Slice(NetlinkAlignment.MessageHeaderLength, length - NetlinkAlignment.MessageHeaderLength), rest.Slice(0, length));
        _offset += Math.Min(NetlinkAlignment.Align(length), remaining);
        return true;
    }
}
