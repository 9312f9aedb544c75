using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>
/// The unit tests' one kernel behind <see cref="INetlinkTransport"/>. A test says "when a request
/// with sequence S arrives, answer with these steps" (<see cref="OnRequest"/>), "the next request
/// must be this captured one; answer with its captured replies" (<see cref="ExpectRequest"/>), or
/// gives a model that answers every request (<see cref="OnEveryRequest"/>:
/// a kernel that accepts or refuses batches, dumps a table). Steps are datagrams built with
/// <see cref="FakeReply"/>, silence, ENOBUFS, MSG_TRUNC, any failure or a cancellation. It records
/// everything the engine did so tests can assert on bytes and on how long it was willing to wait.
/// </summary>
/// <remarks>
/// Like the real socket, a reply is queued when the request is sent (nfnetlink answers during
/// sendmsg), and an empty queue means a bounded wait timed out: ReceiveAsync returns -1 at once, so
/// no test sleeps. An unbounded wait (an event stream's) holds no thread until a step is queued or
/// the caller cancels, as the real socket does. Steps queued by <see cref="Queue"/> are already
/// waiting before any request, or arrive later from another thread (events).
/// </remarks>
internal sealed class FakeKernel : INetlinkTransport
{
    /// <summary>The port id the fake kernel assigned; <see cref="FakeReply"/> addresses replies to it by default.</summary>
    public const uint DefaultPortId = 0x4e46; // "NF"

    private readonly object _gate = new();
    private readonly Queue<FakeStep> _inbox = new();
    private readonly List<Script> _scripts = new();
    private Func<FakeRequest, IEnumerable<FakeStep>>? _fallback;
    private TaskCompletionSource? _arrival;

    public FakeKernel(uint portId = DefaultPortId)
    {
        PortId = portId;
    }

    public uint PortId { get; }

    /// <summary>Every datagram sent, in order.</summary>
    public List<FakeRequest> Requests { get; } = new();

    /// <summary>The bytes of every datagram sent, in order.</summary>
    public IReadOnlyList<byte[]> Sent
    {
        get
        {
            lock (_gate)
            {
                return Requests.Select(r => r.Datagram).ToList();
            }
        }
    }

    /// <summary>The timeout the engine passed to each Receive call, in order.</summary>
    public List<TimeSpan> ReceiveTimeouts { get; } = new();

    /// <summary>Every size passed to EnsureReceiveBuffer.</summary>
    public List<int> ReceiveBufferRequests { get; } = new();

    /// <summary>Every size passed to EnsureSendBuffer.</summary>
    public List<int> SendBufferRequests { get; } = new();

    /// <summary>Steps still waiting to be received.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _inbox.Count;
            }
        }
    }

    /// <summary>True when every script ran and every step was received.</summary>
    public bool Finished
    {
        get
        {
            lock (_gate)
            {
                return _scripts.Count == 0 && _inbox.Count == 0;
            }
        }
    }

    public bool Disposed { get; private set; }

    /// <summary>When a datagram holding a message numbered <paramref name="sequence"/> arrives, queue <paramref name="answer"/> (once).</summary>
    public FakeKernel OnRequest(uint sequence, params FakeStep[] answer) =>
        AddScript(r => r.Sequences.Contains(sequence), _ => answer, $"seq {sequence}");

    /// <summary>The next datagram, whatever its numbers, is answered by <paramref name="answer"/> (once).</summary>
    public FakeKernel OnNextRequest(Func<FakeRequest, IEnumerable<FakeStep>> answer) =>
        AddScript(_ => true, answer, "next request");

    /// <summary>
    /// The next datagram must be <paramref name="expected"/> (compared whole, but for seq and port
    /// id; null accepts any); it is answered with <paramref name="replies"/>, one per datagram,
    /// readdressed to it (<see cref="GoldenReply.Readdress"/>). Replays a capture of ip or ss.
    /// </summary>
    public FakeKernel ExpectRequest(byte[]? expected, IEnumerable<byte[]> replies)
    {
        List<byte[]> answer = replies.ToList();
        return OnNextRequest(request =>
        {
            if (expected is not null)
            {
                HexDiff.ShouldEqualIgnoringSequence(request.Datagram, expected, "request sent by the library vs the captured one");
            }
            uint sequence = request.Messages[0].Header.Sequence;
            return answer.Select(reply => FakeStep.Raw(GoldenReply.Readdress(reply, sequence, PortId))).ToList();
        });
    }

    /// <summary>Every request no one-time script matched is answered by <paramref name="model"/>, a kernel model: its datagrams, one per receive.</summary>
    public FakeKernel OnEveryRequest(Func<byte[], IEnumerable<byte[]>> model) =>
        SetModel(request => model(request.Datagram).Select(FakeStep.Raw));

    /// <summary>Every request no one-time script matched is answered by <paramref name="model"/>'s steps (datagrams or failures).</summary>
    public FakeKernel OnEveryRequestSteps(Func<byte[], IEnumerable<FakeStep>> model) =>
        SetModel(request => model(request.Datagram));

    /// <summary>Requests that no script matched: acknowledge every message that asked for it (NLM_F_ACK), as the kernel does on success.</summary>
    public FakeKernel AcknowledgeUnscripted() =>
        SetModel(r => r.Messages.Where(m => m.WantsAck).Select(m => (FakeStep)FakeReply.Ack(m.Header, PortId)).ToList());

    /// <summary>Steps that are already in the socket before the next request (a stale tail, an event), or that arrive while a reader waits.</summary>
    public FakeKernel Queue(params FakeStep[] steps)
    {
        TaskCompletionSource? arrival;
        lock (_gate)
        {
            foreach (FakeStep step in steps)
            {
                _inbox.Enqueue(step);
            }
            arrival = _arrival;
            _arrival = null;
        }
        arrival?.TrySetResult();
        return this;
    }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        var request = new FakeRequest(datagram.ToArray());
        Func<FakeRequest, IEnumerable<FakeStep>>? answer;
        lock (_gate)
        {
            Requests.Add(request);
            Script? script = _scripts.FirstOrDefault(s => s.Matches(request));
            if (script is not null)
            {
                _scripts.Remove(script);
            }
            answer = script is not null ? script.Answer : _fallback;
        }
        Queue((answer?.Invoke(request) ?? Array.Empty<FakeStep>()).ToArray());
    }

    public ValueTask<int> ReceiveAsync(DatagramBuffer buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        FakeStep? step;
        Task arrived;
        lock (_gate)
        {
            ReceiveTimeouts.Add(timeout);
            if (_inbox.TryDequeue(out step))
            {
                return new ValueTask<int>(step.Deliver(ref buffer.Bytes, cancellationToken));
            }
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                return new ValueTask<int>(-1);
            }
            arrived = (_arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        return WaitForStepAsync(arrived, buffer, cancellationToken);
    }

    /// <summary>An unbounded wait on an empty socket: until a step is queued, or the caller cancels.</summary>
    private async ValueTask<int> WaitForStepAsync(Task arrived, DatagramBuffer buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            await arrived.WaitAsync(cancellationToken);
            lock (_gate)
            {
                if (_inbox.TryDequeue(out FakeStep? step))
                {
                    return step.Deliver(ref buffer.Bytes, cancellationToken);
                }
                arrived = (_arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    public void EnsureSendBuffer(int bytes) => SendBufferRequests.Add(bytes);

    public void EnsureReceiveBuffer(int bytes) => ReceiveBufferRequests.Add(bytes);

    public void Dispose() => Disposed = true;

    private FakeKernel SetModel(Func<FakeRequest, IEnumerable<FakeStep>> model)
    {
        _fallback = model;
        return this;
    }

    private FakeKernel AddScript(Func<FakeRequest, bool> matches, Func<FakeRequest, IEnumerable<FakeStep>> answer, string description)
    {
        lock (_gate)
        {
            _scripts.Add(new Script(matches, answer, description));
        }
        return this;
    }

    private sealed record Script(Func<FakeRequest, bool> Matches, Func<FakeRequest, IEnumerable<FakeStep>> Answer, string Description);
}
