using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Support;

/// <summary>
/// A kernel that answers from a script: each step is the request the library must send (compared
/// whole, except seq and port id) and the reply messages to return, one per datagram, with their
/// seq and port id rewritten to answer that request (every message of a multi-message datagram). Used to replay captures of ip and ss.
/// </summary>
internal sealed class ReplayTransport : INetlinkTransport
{
    private readonly Queue<(byte[]? ExpectedRequest, IReadOnlyList<byte[]> Replies)> _steps = new();
    private readonly Queue<byte[]> _pending = new();

    public uint PortId => 4242;

    public List<byte[]> Sent { get; } = new();

    /// <summary>Adds a step; a null request accepts whatever is sent.</summary>
    public ReplayTransport Expect(byte[]? request, IEnumerable<byte[]> replies)
    {
        _steps.Enqueue((request, replies.ToList()));
        return this;
    }

    /// <summary>An NLMSG_DONE carrying <paramref name="errno"/> (negative) as its int payload, like a dump that failed part-way.</summary>
    public static byte[] Done(int errno = 0)
    {
        byte[] message = new byte[20];
        new NetlinkMessageHeader(20, NetlinkMessageType.Done, NetlinkMessageFlags.Multi, 0, 0).Write(message);
        HostOrder.WriteUInt32(message.AsSpan(16), unchecked((uint)errno));
        return message;
    }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        Sent.Add(datagram.ToArray());
        if (_steps.Count == 0)
        {
            throw new Xunit.Sdk.XunitException($"the library sent an unexpected request: {CaptureFile.Hex(datagram)}");
        }
        (byte[]? expected, IReadOnlyList<byte[]> replies) = _steps.Dequeue();
        if (expected is not null)
        {
            CaptureFile.ShouldEqualIgnoringSequence(datagram, expected, "request sent by the library vs the captured one");
        }
        uint sequence = NetlinkMessageHeader.Read(datagram).Sequence;
        foreach (byte[] reply in replies)
        {
            byte[] copy = reply.ToArray();
            // A reply datagram may hold several messages (a dump): re-address each.
            for (int offset = 0; offset + NetlinkAlignment.MessageHeaderLength <= copy.Length;)
            {
                HostOrder.WriteUInt32(copy.AsSpan(offset + 8), sequence);
                HostOrder.WriteUInt32(copy.AsSpan(offset + 12), PortId);
                offset += NetlinkAlignment.Align((int)HostOrder.ReadUInt32(copy.AsSpan(offset)));
            }
            _pending.Enqueue(copy);
        }
    }

    public ValueTask<int> ReceiveAsync(DatagramBuffer buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_pending.TryDequeue(out byte[]? datagram))
        {
            return new ValueTask<int>(-1);
        }
        if (datagram.Length > buffer.Bytes.Length)
        {
            buffer.Bytes = new byte[datagram.Length];
        }
        datagram.CopyTo(buffer.Bytes, 0);
        return new ValueTask<int>(datagram.Length);
    }

    public void EnsureSendBuffer(int bytes) { }

    public void EnsureReceiveBuffer(int bytes) { }

    public void Dispose() { }

    /// <summary>True when every step ran and every reply was read.</summary>
    public bool Finished => _steps.Count == 0 && _pending.Count == 0;
}
