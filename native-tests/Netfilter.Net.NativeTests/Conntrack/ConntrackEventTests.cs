using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Conntrack;

/// <summary>Events from real connections, in order; overflow reported as Lost; resync by snapshot.</summary>
public sealed class ConntrackEventTests
{
    private const string TrackEverything = "table ip t {\n  chain out {\n    type filter hook output priority 0; policy accept;\n    ct state new counter\n  }\n}\n";

    [NativeFact]
    public async Task A_real_connection_produces_new_then_update_then_destroy_in_order()
    {
        using var ns = new TestNamespace("ctev");
        ns.NftScript(TrackEverything);
        using var conntrack = new ConntrackClient(ns.Namespace);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<ConntrackEvent>();
        var destroyed = new TaskCompletionSource();
        var subscribed = new TaskCompletionSource();
        var tuple = ConntrackTuple.Tcp(IPAddress.Loopback, 42000, IPAddress.Loopback, 9000);
        Task watcher = Task.Run(async () =>
        {
            await using IAsyncEnumerator<ConntrackEvent> events = conntrack.EventsAsync(null, timeout.Token).GetAsyncEnumerator(timeout.Token);
            var first = events.MoveNextAsync(); // opens the socket and joins the groups
            subscribed.TrySetResult();
            while (await first)
            {
                ConntrackEvent e = events.Current;
                if (e.Entry?.Original.Equals(tuple) == true || e.Type == ConntrackEventType.Lost)
                {
                    lock (seen)
                    {
                        seen.Add(e);
                    }
                    if (e.Type == ConntrackEventType.Destroy)
                    {
                        destroyed.TrySetResult();
                        return;
                    }
                }
                first = events.MoveNextAsync();
            }
        });
        await subscribed.Task;
        await Task.Delay(200); // the reader thread is polling the joined socket by now

        using Socket listener = Flows.Listen(ns, Flows.EndPoint("127.0.0.1", 9000));
        var (client, server) = await Flows.ConnectTcpAsync(ns, Flows.EndPoint("127.0.0.1", 42000), Flows.EndPoint("127.0.0.1", 9000), listener);
        client.Dispose();
        server.Dispose();
        await Task.Delay(200);
        (await conntrack.DeleteAsync(tuple)).Should().BeTrue("the TIME_WAIT entry is still there; deleting it destroys it now");
        await destroyed.Task.WaitAsync(timeout.Token);
        await watcher;

        List<ConntrackEventType> types = seen.Select(e => e.Type).ToList();
        types.Should().NotContain(ConntrackEventType.Lost);
        types.First().Should().Be(ConntrackEventType.New);
        types.Last().Should().Be(ConntrackEventType.Destroy);
        types.Skip(1).SkipLast(1).Should().NotBeEmpty().And.OnlyContain(t => t == ConntrackEventType.Update);
        seen.Select(e => e.Entry!.Id).Distinct().Should().ContainSingle("all events are about one entry");
        seen.Where(e => e.Type == ConntrackEventType.Update).Select(e => e.Entry!.TcpState).Should().Contain(TcpConntrackState.Established);
    }

    [NativeFact]
    public async Task Overflow_yields_lost_and_watch_resyncs_to_the_complete_table()
    {
        using var ns = new TestNamespace("ctovf");
        using var conntrack = new ConntrackClient(ns.Namespace);
        using var creator = new ConntrackClient(ns.Namespace);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // A tiny kernel buffer and a tiny queue that nobody reads during the burst.
        var options = new ConntrackEventOptions { ReceiveBufferSize = 4096, QueueCapacity = 8, Types = ConntrackEventTypes.New };
        await using IAsyncEnumerator<ConntrackEvent> watch = conntrack.WatchAsync(options, timeout.Token).GetAsyncEnumerator(timeout.Token);
        (await watch.MoveNextAsync()).Should().BeTrue();
        watch.Current.Type.Should().Be(ConntrackEventType.Snapshot);
        watch.Current.Snapshot.Should().BeEmpty();

        const int burst = 5000;
        (await creator.CreateAsync(Enumerable.Range(0, burst).Select(i => Entries.Udp(i)))).Should().Be(burst);

        var after = new List<ConntrackEvent>();
        while (await watch.MoveNextAsync())
        {
            after.Add(watch.Current);
            if (watch.Current.Type == ConntrackEventType.Snapshot)
            {
                break;
            }
        }
        after.Select(e => e.Type).Should().Contain(ConntrackEventType.Lost, "5,000 NEW events cannot fit a 4 KiB buffer");
        after.Count(e => e.Type == ConntrackEventType.New).Should().BeLessThan(burst, "some were lost");
        ConntrackEvent snapshot = after.Last();
        snapshot.Type.Should().Be(ConntrackEventType.Snapshot, "a loss is followed by a fresh snapshot");
        snapshot.Snapshot!.Count.Should().Be(burst, "the snapshot is the complete table");
        ns.Check("conntrack", "-C").Trim().Should().Be(burst.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // A set comparison: FluentAssertions' BeEquivalentTo is quadratic on 5,000 records.
        snapshot.Snapshot.Select(e => e.Original).ToHashSet().SetEquals(Enumerable.Range(0, burst).Select(i => Entries.Udp(i).Original)).Should().BeTrue();
    }

    [NativeFact]
    public async Task Cancelling_ends_the_event_stream_without_an_exception()
    {
        using var ns = new TestNamespace("ctcan");
        using var conntrack = new ConntrackClient(ns.Namespace);
        using var cancel = new CancellationTokenSource();
        var received = new List<ConntrackEvent>();
        Task reading = Task.Run(async () =>
        {
            await foreach (ConntrackEvent e in conntrack.EventsAsync(null, cancel.Token))
            {
                received.Add(e);
            }
        });
        await Task.Delay(300);
        cancel.Cancel();
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        reading.IsCompletedSuccessfully.Should().BeTrue();
        received.Should().BeEmpty();
    }
}
