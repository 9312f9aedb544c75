using System.Buffers.Binary;
using System.Threading.Channels;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Conntrack;

/// <summary>
/// A scripted stand-in for the kernel end of a netlink socket: records what is sent, and
/// answers with what a script returns (datagrams, or exceptions such as ENOBUFS to raise
/// from ReceiveAsync). ReceiveAsync waits like the real socket, without holding a thread, until
/// something is queued, its timeout passes, or it is cancelled.
/// </summary>
internal sealed class ScriptedKernel : INetlinkTransport
{
    public const uint Port = 4242;
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>();

    public List<byte[]> Sent { get; } = new();

    /// <summary>Answers one sent datagram: byte[] datagrams and Exceptions, in order.</summary>
    public Func<byte[], IEnumerable<object>>? Script { get; set; }

    public bool Disposed { get; private set; }

    public uint PortId => Port;

    public void Enqueue(object datagramOrException) => _inbox.Writer.TryWrite(datagramOrException);

    public void Send(ReadOnlySpan<byte> datagram)
    {
        byte[] copy = datagram.ToArray();
        lock (Sent)
        {
            Sent.Add(copy);
        }
        foreach (object reply in Script?.Invoke(copy) ?? Array.Empty<object>())
        {
            _inbox.Writer.TryWrite(reply);
        }
    }

    public async ValueTask<int> ReceiveAsync(DatagramBuffer buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        object? item;
        while (!_inbox.Reader.TryRead(out item))
        {
            if (timeout == TimeSpan.Zero)
            {
                return -1;
            }
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                timer.CancelAfter(timeout);
            }
            try
            {
                await _inbox.Reader.WaitToReadAsync(timer.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return -1;
            }
        }
        if (item is Exception e)
        {
            throw e;
        }
        byte[] data = (byte[])item;
        if (data.Length > buffer.Bytes.Length)
        {
            buffer.Bytes = new byte[data.Length];
        }
        data.CopyTo(buffer.Bytes, 0);
        return data.Length;
    }

    public void EnsureSendBuffer(int bytes)
    {
    }

    public void EnsureReceiveBuffer(int bytes)
    {
    }

    public void Dispose() => Disposed = true;

    public static uint SequenceOf(byte[] request) => BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(8));

    /// <summary>Copies <paramref name="datagram"/> with every message's seq and port id replaced and <paramref name="addFlags"/> set.</summary>
    public static byte[] Restamp(byte[] datagram, uint sequence, NetlinkMessageFlags addFlags = NetlinkMessageFlags.None, uint port = Port)
    {
        byte[] copy = (byte[])datagram.Clone();
        int offset = 0;
        while (offset + 16 <= copy.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(offset));
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(offset + 6));
            BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset + 6), (ushort)(flags | (ushort)addFlags));
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset + 8), sequence);
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset + 12), port);
            offset += (length + 3) & ~3;
        }
        return copy;
    }

    public static byte[] Done(uint sequence) => Message(NetlinkMessageType.Done, NetlinkMessageFlags.Multi, sequence, new byte[4]);

    /// <summary>NLMSG_ERROR answering <paramref name="request"/>: an ack for errno 0.</summary>
    public static byte[] Error(byte[] request, Errno errno = Errno.None)
    {
        var payload = new byte[4 + 16];
        BinaryPrimitives.WriteInt32LittleEndian(payload, -(int)errno);
        request.AsSpan(0, 16).CopyTo(payload.AsSpan(4));
        return Message(NetlinkMessageType.Error, NetlinkMessageFlags.Capped, SequenceOf(request), payload);
    }

    public static byte[] Message(ushort type, NetlinkMessageFlags flags, uint sequence, byte[] payload, uint port = Port)
    {
        var bytes = new byte[16 + payload.Length];
        new NetlinkMessageHeader((uint)bytes.Length, type, flags, sequence, port).Write(bytes);
        payload.CopyTo(bytes, 16);
        return bytes;
    }
}
