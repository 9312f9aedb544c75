using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>
/// A scripted kernel behind <see cref="INetlinkTransport"/>. A test says "when a request with
/// sequence S arrives, answer with these steps" (<see cref="OnRequest"/>); steps are datagrams
/// built with <see cref="FakeReply"/>, silence, ENOBUFS, MSG_TRUNC or a cancellation. It records
/// everything the engine did so tests can assert on bytes and on how long it was willing to wait.
/// </summary>
/// <remarks>
/// Like the real socket, a reply is queued when the request is sent (nfnetlink answers during
/// sendmsg), and an empty queue means the wait timed out: ReceiveAsync returns -1 at once, so no test
/// sleeps. Steps queued by <see cref="Queue"/> are already waiting before any request.
/// </remarks>
internal sealed class FakeKernel : INetlinkTransport
{
    /// <summary>The port id the fake kernel assigned; <see cref="FakeReply"/> addresses replies to it by default.</summary>
    public const uint DefaultPortId = 0x4e46; // "NF"

    private readonly Queue<FakeStep> _inbox = new();
    private readonly List<Script> _scripts = new();
    private Func<FakeRequest, IEnumerable<FakeStep>>? _fallback;

    public FakeKernel(uint portId = DefaultPortId)
    {
        PortId = portId;
    }

    public uint PortId { get; }

    /// <summary>Every datagram sent, in order.</summary>
    public List<FakeRequest> Requests { get; } = new();

    /// <summary>The timeout the engine passed to each Receive call, in order.</summary>
    public List<TimeSpan> ReceiveTimeouts { get; } = new();

    /// <summary>Every size passed to EnsureReceiveBuffer.</summary>
    public List<int> ReceiveBufferRequests { get; } = new();

    /// <summary>Every size passed to EnsureSendBuffer.</summary>
    public List<int> SendBufferRequests { get; } = new();

    /// <summary>Steps still waiting to be received.</summary>
    public int Pending => _inbox.Count;

    public bool Disposed { get; private set; }

    /// <summary>When a datagram holding a message numbered <paramref name="sequence"/> arrives, queue <paramref name="answer"/> (once).</summary>
    public FakeKernel OnRequest(uint sequence, params FakeStep[] answer) =>
        AddScript(r => r.Sequences.Contains(sequence), _ => answer, $"seq {sequence}");

    /// <summary>The next datagram, whatever its numbers, is answered by <paramref name="answer"/> (once).</summary>
    public FakeKernel OnNextRequest(Func<FakeRequest, IEnumerable<FakeStep>> answer) =>
        AddScript(_ => true, answer, "next request");

    /// <summary>Requests that no script matched: acknowledge every message that asked for it (NLM_F_ACK), as the kernel does on success.</summary>
    public FakeKernel AcknowledgeUnscripted()
    {
        _fallback = r => r.Messages.Where(m => m.WantsAck).Select(m => (FakeStep)FakeReply.Ack(m.Header)).ToList();
        return this;
    }

    /// <summary>Steps that are already in the socket before the next request (a stale tail, an event).</summary>
    public FakeKernel Queue(params FakeStep[] steps)
    {
        foreach (FakeStep step in steps)
        {
            _inbox.Enqueue(step);
        }
        return this;
    }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        var request = new FakeRequest(datagram.ToArray());
        Requests.Add(request);
        Script? script = _scripts.FirstOrDefault(s => s.Matches(request));
        IEnumerable<FakeStep> steps;
        if (script is not null)
        {
            _scripts.Remove(script);
            steps = script.Answer(request);
        }
        else
        {
            steps = _fallback?.Invoke(request) ?? Array.Empty<FakeStep>();
        }
        Queue(steps.ToArray());
    }

    public ValueTask<int> ReceiveAsync(DatagramBuffer buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        ReceiveTimeouts.Add(timeout);
        cancellationToken.ThrowIfCancellationRequested();
        if (_inbox.Count == 0)
        {
            return new ValueTask<int>(-1);
        }
        return new ValueTask<int>(_inbox.Dequeue().Deliver(ref buffer.Bytes, cancellationToken));
    }

    public void EnsureSendBuffer(int bytes) => SendBufferRequests.Add(bytes);

    public void EnsureReceiveBuffer(int bytes) => ReceiveBufferRequests.Add(bytes);

    public void Dispose() => Disposed = true;

    private FakeKernel AddScript(Func<FakeRequest, bool> matches, Func<FakeRequest, IEnumerable<FakeStep>> answer, string description)
    {
        _scripts.Add(new Script(matches, answer, description));
        return this;
    }

    private sealed record Script(Func<FakeRequest, bool> Matches, Func<FakeRequest, IEnumerable<FakeStep>> Answer, string Description);
}
