using System.Net;

namespace Netfilter.Net.Sockets;

/// <summary>
/// One UDP datagram received by <see cref="UdpOriginalDestination.Receive"/>: how many bytes of
/// it landed in the caller's buffer, who sent it, and where it was going before TPROXY (or
/// REDIRECT/DNAT) diverted it to this socket.
/// </summary>
public readonly struct ReceivedDatagram
{
    internal ReceivedDatagram(int length, IPEndPoint sender, IPEndPoint originalDestination, bool isTruncated)
    {
        Length = length;
        Sender = sender;
        OriginalDestination = originalDestination;
        IsTruncated = isTruncated;
    }

    /// <summary>The number of payload bytes written to the buffer.</summary>
    public int Length { get; }

    /// <summary>The client that sent the datagram (an IPv4-mapped IPv6 address for IPv4 clients of a dual-stack socket, as <see cref="System.Net.Sockets.Socket.ReceiveFrom(byte[], ref EndPoint)"/> reports them).</summary>
    public IPEndPoint Sender { get; }

    /// <summary>
    /// The address and port the client sent the datagram to. For TPROXY this is the remote server
    /// the client meant; a proxy answers from it with a transparent socket bound to it
    /// (<see cref="TransparentSocket.Enable"/>, then Bind). IPv4 for IPv4 datagrams, also on a
    /// dual-stack socket.
    /// </summary>
    public IPEndPoint OriginalDestination { get; }

    /// <summary>True when the datagram was longer than the buffer and its end was discarded (MSG_TRUNC).</summary>
    public bool IsTruncated { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Length} bytes from {Sender} to {OriginalDestination}{(IsTruncated ? " (truncated)" : string.Empty)}";
}
