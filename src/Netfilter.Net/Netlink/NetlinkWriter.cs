using System;
using System.Buffers;

namespace Netfilter.Net.Netlink;

/// <summary>
/// Builds one or more netlink messages into a single pooled buffer, ready for one sendmsg.
/// Messages and attributes are padded to 4 bytes as they are written; nested attributes are
/// scopes whose length is patched when they end (libmnl's nest_start/nest_end).
/// </summary>
/// <remarks>
/// Byte order is chosen by the caller at every integer write: the method names say
/// <c>BigEndian</c> or <c>Host</c>. There is no default.
/// </remarks>
internal sealed partial class NetlinkWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;
    private int _messageStart = -1;
    private int _messageCount;

    public NetlinkWriter(int initialCapacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 64));
    }

    /// <summary>Bytes written so far (all complete messages plus the one being written).</summary>
    public int Length => _length;

    /// <summary>Number of messages begun.</summary>
    public int MessageCount => _messageCount;

    /// <summary>The encoded datagram.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>The encoded datagram as memory (valid until the next write or Dispose).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>Offset of the header of the message being written; -1 when none is open.</summary>
    public int CurrentMessageOffset => _messageStart;

    /// <summary>Starts a message; its length is fixed by <see cref="EndMessage"/>.</summary>
    public int BeginMessage(ushort type, NetlinkMessageFlags flags, uint sequence, uint portId = 0)
    {
        if (_messageStart >= 0)
        {
            throw new InvalidOperationException("A netlink message is already open; end it first.");
        }
        _messageStart = _length;
        _messageCount++;
        Span<byte> header = Reserve(NetlinkAlignment.MessageHeaderLength);
        new NetlinkMessageHeader(0, type, flags, sequence, portId).Write(header);
        return _messageStart;
    }

    /// <summary>Ends the open message: pads it to 4 bytes and writes nlmsg_len.</summary>
    public void EndMessage()
    {
        if (_messageStart < 0)
        {
            throw new InvalidOperationException("No netlink message is open.");
        }
        PadToAlignment();
        HostOrder.WriteUInt32(_buffer.AsSpan(_messageStart), (uint)(_length - _messageStart));
        _messageStart = -1;
    }

    /// <summary>Drops everything written.</summary>
    public void Reset()
    {
        _length = 0;
        _messageStart = -1;
        _messageCount = 0;
    }

    /// <summary>Appends raw bytes (a family header such as nfgenmsg), padded to 4 bytes.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        PadToAlignment();
    }

    /// <summary>Reserves <paramref name="count"/> bytes at the end and returns them zeroed.</summary>
    internal Span<byte> Reserve(int count)
    {
        EnsureCapacity(_length + count);
        Span<byte> span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }

    internal void PadToAlignment()
    {
        int aligned = NetlinkAlignment.Align(_length);
        if (aligned != _length)
        {
            Reserve(aligned - _length);
        }
    }

    internal Span<byte> BufferAt(int offset, int count) => _buffer.AsSpan(offset, count);

    private void EnsureCapacity(int required)
    {
        if (required <= _buffer.Length)
        {
            return;
        }
        int size = Math.Max(required, _buffer.Length * 2);
        byte[] bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = Array.Empty<byte>();
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
