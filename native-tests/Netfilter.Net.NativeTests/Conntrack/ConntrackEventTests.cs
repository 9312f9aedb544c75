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
            var options = new ConntrackEventOptions { Subscribed = () => subscribed.TrySetResult() };
            await using IAsyncEnumerator<ConntrackEvent> events = conntrack.EventsAsync(options, timeout.Token).GetAsyncEnumerator(timeout.Token);
            var first = events.MoveNextAsync(); // opens the socket and joins the groups, then says so
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
        await subscribed.Task.WaitAsync(timeout.Token); // joined: every change from here on is delivered

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
        seen.Where(e => e.Type == ConntrackEventType.Update).Select(e => (e.Entry!.ProtocolInfo as TcpConntrackInfo)?.State).Should().Contain(TcpConntrackState.Established);
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

    /// <summary>
    /// Issue 15 D5: after a loss, events queued before it must not follow the snapshot. A burst
    /// overflows the event socket, a flush removes the burst while events are being dropped (its
    /// DESTROY events are lost too), and more entries come after. A consumer that applies the
    /// stream to a table by id, as WatchAsync documents, must end with exactly conntrack -L.
    /// </summary>
    [NativeFact]
    public async Task A_flush_during_a_loss_leaves_no_ghosts_the_table_rebuilt_from_the_watch_equals_conntrack_L()
    {
        using var ns = new TestNamespace("ctresync");
        using var conntrack = new ConntrackClient(ns.Namespace);
        using var creator = new ConntrackClient(ns.Namespace);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var options = new ConntrackEventOptions { ReceiveBufferSize = 64 * 1024, QueueCapacity = 16 };
        await using IAsyncEnumerator<ConntrackEvent> watch = conntrack.WatchAsync(options, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var table = new Dictionary<uint, ConntrackEntry>();
        (await watch.MoveNextAsync()).Should().BeTrue();
        Apply(table, watch.Current);
        table.Should().BeEmpty();

        // Nobody reads the stream meanwhile: the burst overflows the socket, and the flush's
        // DESTROY events are dropped with it.
        const int burst = 20_000;
        (await creator.CreateAsync(Enumerable.Range(0, burst).Select(i => Entries.Udp(i)))).Should().Be(burst);
        await creator.FlushAsync();
        (await creator.CreateAsync(Enumerable.Range(0, 100).Select(i => Entries.Tcp(i)))).Should().Be(100);

        // Read on until the loss has been reported and the table resynchronized.
        int lost = 0, newBeforeResync = 0;
        while (true)
        {
            (await watch.MoveNextAsync()).Should().BeTrue();
            ConntrackEvent item = watch.Current;
            Apply(table, item);
            lost += item.Type == ConntrackEventType.Lost ? 1 : 0;
            newBeforeResync += item.Type == ConntrackEventType.New ? 1 : 0;
            if (item.Type == ConntrackEventType.Snapshot)
            {
                break;
            }
        }
        lost.Should().BeGreaterThan(0, "20,000 NEW events cannot fit a 64 KiB buffer");

        // A change after the resync: everything the stream yields before its event is what the
        // socket held before it, which is where stale events would show (as ghosts of the burst).
        ConntrackEntry sentinel = Entries.Tcp(100_000);
        await creator.CreateAsync(sentinel);
        int afterResync = 0;
        while (!table.Values.Any(e => e.Original.Equals(sentinel.Original)))
        {
            (await watch.MoveNextAsync()).Should().BeTrue($"the sentinel's event never came: the stream ended (timeout) after {afterResync} items following the resync, with {table.Count} entries in the table");
            Apply(table, watch.Current);
            afterResync++;
        }

        List<ConntrackToolLine> kernel = ConntrackOracle.List(ns);
        kernel.Should().HaveCount(101, "the burst was flushed; 100 entries and the sentinel remain");
        table.Keys.ToHashSet().SetEquals(kernel.Select(l => l.Id!.Value)).Should().BeTrue(
            $"the table rebuilt from snapshot and events must equal conntrack -L: {table.Count} entries rebuilt, {kernel.Count} in the kernel, "
            + $"{table.Keys.Except(kernel.Select(l => l.Id!.Value)).Count()} ghost(s), {kernel.Select(l => l.Id!.Value).Except(table.Keys).Count()} missing "
            + $"({newBeforeResync} NEW events before the resync snapshot, {afterResync} items after it)");
    }

    /// <summary>
    /// StreamSnapshot: the table comes as Snapshot (no list), one Existing item per entry, then
    /// SnapshotEnd; the entries are the table, and changes follow as events.
    /// </summary>
    [NativeFact]
    public async Task A_streamed_snapshot_is_the_table_entry_by_entry_then_events_follow()
    {
        using var ns = new TestNamespace("ctstream");
        using var conntrack = new ConntrackClient(ns.Namespace);
        using var creator = new ConntrackClient(ns.Namespace);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        const int count = 3000;
        (await creator.CreateAsync(Enumerable.Range(0, count).Select(i => Entries.Udp(i)))).Should().Be(count);

        var options = new ConntrackEventOptions { StreamSnapshot = true, Types = ConntrackEventTypes.New };
        await using IAsyncEnumerator<ConntrackEvent> watch = conntrack.WatchAsync(options, timeout.Token).GetAsyncEnumerator(timeout.Token);
        (await watch.MoveNextAsync()).Should().BeTrue();
        watch.Current.Type.Should().Be(ConntrackEventType.Snapshot);
        watch.Current.Snapshot.Should().BeNull("a streamed snapshot carries no list");
        var existing = new List<ConntrackEntry>();
        while (true)
        {
            (await watch.MoveNextAsync()).Should().BeTrue();
            if (watch.Current.Type != ConntrackEventType.Existing)
            {
                break;
            }
            existing.Add(watch.Current.Entry!);
        }
        watch.Current.Type.Should().Be(ConntrackEventType.SnapshotEnd);
        existing.Should().HaveCount(count);
        existing.Select(e => e.Original).ToHashSet().SetEquals(Enumerable.Range(0, count).Select(i => Entries.Udp(i).Original)).Should().BeTrue();

        (await creator.CreateAsync(new[] { Entries.Tcp(1) })).Should().Be(1);
        (await watch.MoveNextAsync()).Should().BeTrue();
        watch.Current.Type.Should().Be(ConntrackEventType.New);
        watch.Current.Entry!.Original.Should().Be(Entries.Tcp(1).Original);
    }

    /// <summary>Applies one watch item to a table by id, as <see cref="ConntrackClient.WatchAsync"/> documents.</summary>
    private static void Apply(Dictionary<uint, ConntrackEntry> table, ConntrackEvent item)
    {
        switch (item.Type)
        {
            case ConntrackEventType.Snapshot:
                table.Clear();
                foreach (ConntrackEntry e in item.Snapshot!)
                {
                    table[e.Id!.Value] = e;
                }
                break;
            case ConntrackEventType.New:
            case ConntrackEventType.Update:
                table[item.Entry!.Id!.Value] = item.Entry;
                break;
            case ConntrackEventType.Destroy:
                table.Remove(item.Entry!.Id!.Value);
                break;
        }
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
