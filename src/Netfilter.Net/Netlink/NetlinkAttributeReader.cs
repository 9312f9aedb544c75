using System;

namespace Netfilter.Net.Netlink;

/// <summary>
/// Walks the attributes in a span without copying. Every attribute is returned, known or not;
/// a header or length that runs past the span raises <see cref="NetlinkProtocolException"/>.
/// The padding after the last attribute may be missing (mdlayher v1.11.1: event datagrams can
/// end unaligned).
/// </summary>
internal ref struct NetlinkAttributeReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _context;
    private int _offset;

    public NetlinkAttributeReader(ReadOnlySpan<byte> data, string context)
    {
        _data = data;
        _context = context;
        _offset = 0;
    }

    /// <summary>Reads the next attribute; false at the end of the span.</summary>
    public bool TryRead(out NetlinkAttribute attribute)
    {
        int remaining = _data.Length - _offset;
        if (remaining == 0)
        {
            attribute = default;
            return false;
        }
        if (remaining < NetlinkAlignment.AttributeHeaderLength)
        {
            throw new NetlinkProtocolException($"{_context} at byte {_offset}", $"an attribute header ({NetlinkAlignment.AttributeHeaderLength} bytes)", $"{remaining} trailing bytes");
        }
        ReadOnlySpan<byte> rest = _data.Slice(_offset);
        int length = HostOrder.ReadUInt16(rest);
        ushort type = HostOrder.ReadUInt16(rest.Slice(2));
        if (length < NetlinkAlignment.AttributeHeaderLength || length > remaining)
        {
            throw new NetlinkProtocolException($"{_context} attribute {type & NetlinkAttribute.TypeMask} at byte {_offset}", $"nla_len between {NetlinkAlignment.AttributeHeaderLength} and {remaining}", $"{length}");
        }
        attribute = new NetlinkAttribute(type, rest.Slice(NetlinkAlignment.AttributeHeaderLength, length - NetlinkAlignment.AttributeHeaderLength), _offset, _context);
        _offset += Math.Min(NetlinkAlignment.Align(length), remaining);
        return true;
    }
}
