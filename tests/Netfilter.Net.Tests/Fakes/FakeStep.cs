using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>
/// One thing the fake kernel does when the engine calls Receive: hand over a datagram, stay
/// silent (the wait times out), fail like the real socket does, or cancel the caller's token
/// while it waits.
/// </summary>
internal sealed class FakeStep
{
    private readonly byte[]? _datagram;
    private readonly Func<Exception>? _failure;
    private readonly CancellationTokenSource? _cancel;

    private FakeStep(byte[]? datagram, Func<Exception>? failure, CancellationTokenSource? cancel, string description)
    {
        _datagram = datagram;
        _failure = failure;
        _cancel = cancel;
        Description = description;
    }

    public string Description { get; }

    /// <summary>One datagram holding <paramref name="messages"/> back to back (each already padded as built).</summary>
    public static FakeStep Datagram(params byte[][] messages) =>
        new(messages.SelectMany(m => m).ToArray(), null, null, $"datagram of {messages.Length} message(s)");

    /// <summary>Exactly these bytes as one datagram, however malformed.</summary>
    public static FakeStep Raw(byte[] bytes) => new(bytes, null, null, $"raw datagram of {bytes.Length} bytes");

    /// <summary>Nothing arrives before the timeout: Receive returns -1.</summary>
    public static FakeStep Silence { get; } = new(null, null, null, "silence");

    /// <summary>The socket's receive queue overflowed (what NetlinkSocket raises on ENOBUFS).</summary>
    public static FakeStep NoBufferSpace { get; } = new(null, () => new NetlinkException(Errno.ENOBUFS, "recvmsg(netlink)"), null, "ENOBUFS");

    /// <summary>A datagram larger than the buffer was cut short (what NetlinkSocket raises on MSG_TRUNC).</summary>
    public static FakeStep Truncated { get; } = new(null, () => new NetlinkProtocolException("recvmsg(netlink)", "a datagram of at most 69631 bytes", "a truncated datagram (MSG_TRUNC)"), null, "MSG_TRUNC");

    /// <summary>Receive throws <paramref name="failure"/>, as the real socket does for an errno such as EBADF.</summary>
    public static FakeStep Fail(Exception failure) => new(null, () => failure, null, $"throws {failure.GetType().Name}");

    /// <summary>While the engine waits, <paramref name="source"/> is cancelled, as a caller on another thread would.</summary>
    public static FakeStep CancelWhileWaiting(CancellationTokenSource source) => new(null, null, source, "cancel while waiting");

    public static implicit operator FakeStep(byte[] message) => Datagram(message);

    /// <summary>Performs the step for <see cref="FakeKernel.Receive"/>.</summary>
    internal int Deliver(ref byte[] buffer, CancellationToken cancellationToken)
    {
        if (_cancel is not null)
        {
            _cancel.Cancel();
            // The real socket's poll wakes on the eventfd and throws; a token that is not the
            // caller's would leave it waiting, and then timing out.
            cancellationToken.ThrowIfCancellationRequested();
            return -1;
        }
        if (_failure is not null)
        {
            throw _failure();
        }
        if (_datagram is null)
        {
            return -1;
        }
        if (_datagram.Length > buffer.Length)
        {
            // The transport contract: a datagram that does not fit gets a larger array.
            buffer = new byte[_datagram.Length];
        }
        _datagram.CopyTo(buffer, 0);
        return _datagram.Length;
    }

    public override string ToString() => Description;
}
