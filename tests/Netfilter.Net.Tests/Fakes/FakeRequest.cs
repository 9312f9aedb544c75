using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>A datagram the engine sent to the fake kernel, split into its messages.</summary>
internal sealed class FakeRequest
{
    public FakeRequest(byte[] datagram)
    {
        Datagram = datagram;
        var reader = new NetlinkMessageReader(datagram);
        int offset = 0;
        while (reader.TryRead(out NetlinkMessage message))
        {
            Messages.Add(new SentMessage(message.Header, offset, message.Bytes.ToArray()));
            offset += NetlinkAlignment.Align(message.Bytes.Length);
        }
    }

    /// <summary>The datagram as sent.</summary>
    public byte[] Datagram { get; }

    /// <summary>Its messages in order.</summary>
    public List<SentMessage> Messages { get; } = new();

    public IEnumerable<uint> Sequences => Messages.Select(m => m.Header.Sequence);
}

/// <summary>One message of a sent datagram: header, offset in the datagram, bytes.</summary>
internal sealed record SentMessage(NetlinkMessageHeader Header, int Offset, byte[] Bytes)
{
    public bool WantsAck => (Header.Flags & NetlinkMessageFlags.Ack) != 0;
}
