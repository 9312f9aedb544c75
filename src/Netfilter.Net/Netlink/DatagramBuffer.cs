namespace Netfilter.Net.Netlink;

/// <summary>
/// The array a datagram is received into. A transport replaces <see cref="Bytes"/> with a
/// larger array when a datagram does not fit (it is sized by peeking, never truncated); the
/// holder exists because an async receive cannot take the array by <c>ref</c>.
/// </summary>
internal sealed class DatagramBuffer
{
    public DatagramBuffer(int size = NetlinkSocket.DefaultReceiveBufferSize) => Bytes = new byte[size];

    /// <summary>The current array; a field so that synchronous code can pass it by <c>ref</c>.</summary>
    public byte[] Bytes;
}
