using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.NativeTests.Conntrack;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.KernelSuite.Checks;

/// <summary>
/// ctnetlink: dumps, every filter (kernel-side where the running kernel applies it: CTA_MARK
/// 4.19, CTA_FILTER 5.8, CTA_STATUS 5.15, CTA_ZONE 6.8, CTA_FILTER flush 6.12; client-side
/// otherwise), a filtered delete that leaves the rest alone, and events. <c>conntrack -L</c> is the oracle.
/// </summary>
internal static class ConntrackChecks
{
    public static IEnumerable<Check> All()
    {
        yield return new("conntrack.dump", "dump: the same entries as conntrack -L (by id)", DumpAsync);
        yield return new("conntrack.filter", "filters by tuple, mark, status and zone: the same entries as conntrack -L with that filter", FilterAsync);
        yield return new("conntrack.delete-filtered", "a filtered delete removes only the matching entries", DeleteFilteredAsync);
        yield return new("conntrack.events", "events: NEW and DESTROY of a flow", EventsAsync);
    }

    /// <summary>
    /// A namespace with four flows over loopback: TCP to 7001 (established, assured), TCP to
    /// 7002 (ct mark 2), UDP to 7003 (unreplied) and TCP to 7004 in ct zone 5.
    /// </summary>
    private static async Task<(TestNamespace Ns, List<Socket> Sockets)> FlowsAsync()
    {
        var ns = new TestNamespace("ct");
        var sockets = new List<Socket>();
        try
        {
            ns.NftScript("""
                table inet flows {
                  chain out { type filter hook output priority -300; tcp dport 7004 ct zone set 5; }
                  chain post { type filter hook postrouting priority 0; tcp dport 7002 ct mark set 2; }
                }
                """);
            foreach (int port in new[] { 7001, 7002, 7004 })
            {
                Socket listener = ns.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
                listener.Listen(4);
                Socket client = ns.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
                Socket accepted = await listener.AcceptAsync(cts.Token);
                await client.SendAsync(new byte[] { 1 }, SocketFlags.None);
                await accepted.ReceiveAsync(new byte[1], SocketFlags.None);
                await accepted.SendAsync(new byte[] { 2 }, SocketFlags.None);
                await client.ReceiveAsync(new byte[1], SocketFlags.None);
                sockets.AddRange(new[] { listener, client, accepted });
            }
            Socket udp = ns.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
            udp.SendTo(new byte[] { 1 }, new IPEndPoint(IPAddress.Loopback, 7003));
            sockets.Add(udp);
            return (ns, sockets);
        }
        catch
        {
            sockets.ForEach(s => s.Dispose());
            ns.Dispose();
            throw;
        }
    }

    private static List<ConntrackToolLine> Tool(TestNamespace ns, params string[] filter) =>
        ConntrackToolLine.ParseAll(ns.Check("conntrack", new[] { "-L", "-o", "extended,id" }.Concat(filter).ToArray()));

    private static void Same(IReadOnlyList<ConntrackEntry> ours, List<ConntrackToolLine> tool, string what)
    {
        string a = string.Join(",", ours.Select(e => e.Id).OrderBy(i => i));
        string b = string.Join(",", tool.Select(t => t.Id).OrderBy(i => i));
        Expect.That(a == b && ours.Count > 0, $"{what}: the library's entries (ids {a}) are conntrack -L's (ids {b})");
    }

    private static async Task<string> DumpAsync()
    {
        (TestNamespace ns, List<Socket> sockets) = await FlowsAsync();
        using (ns)
        {
            using var client = new ConntrackClient(ns.Namespace);
            IReadOnlyList<ConntrackEntry> all = await client.ListAsync();
            Same(all, Tool(ns), "dump");
            int streamed = 0;
            await foreach (ConntrackEntry _ in client.DumpAsync())
            {
                streamed++;
            }
            Expect.That(streamed == all.Count, "the streamed dump holds as many entries as the list");
            sockets.ForEach(s => s.Dispose());
            return $"{all.Count} entries";
        }
    }

    private static async Task<string> FilterAsync()
    {
        (TestNamespace ns, List<Socket> sockets) = await FlowsAsync();
        using (ns)
        {
            using var client = new ConntrackClient(ns.Namespace);
            Same(await client.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Tcp, OriginalDestinationPort = 7001 }), Tool(ns, "-p", "tcp", "--dport", "7001"), "tuple filter");
            Same(await client.ListAsync(new ConntrackFilter { Mark = 2 }), Tool(ns, "-m", "2"), "mark filter");
            Same(await client.ListAsync(new ConntrackFilter { Status = ConntrackStatus.Assured, StatusMask = ConntrackStatus.Assured }), Tool(ns, "-u", "ASSURED"), "status filter");
            Same(await client.ListAsync(new ConntrackFilter { Zone = 5 }), Tool(ns, "-w", "5"), "zone filter");
            Same(await client.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Udp }), Tool(ns, "-p", "udp"), "protocol filter");
            sockets.ForEach(s => s.Dispose());
            Version kernel = new(Environment.OSVersion.Version.Major, Environment.OSVersion.Version.Minor);
            var kernelSide = new List<string> { "mark (4.19)" };
            if (kernel >= new Version(5, 8)) kernelSide.Add("tuple (5.8)");
            if (kernel >= new Version(5, 15)) kernelSide.Add("status (5.15)");
            if (kernel >= new Version(6, 8)) kernelSide.Add("zone (6.8)");
            return $"5 filters agree with conntrack -L; applied in the kernel here: {string.Join(", ", kernelSide)}";
        }
    }

    private static async Task<string> DeleteFilteredAsync()
    {
        (TestNamespace ns, List<Socket> sockets) = await FlowsAsync();
        using (ns)
        {
            using var client = new ConntrackClient(ns.Namespace);
            int before = (await client.ListAsync()).Count;
            int deleted = await client.DeleteAsync(new ConntrackFilter { Protocol = ProtocolType.Tcp, OriginalDestinationPort = 7001 });
            IReadOnlyList<ConntrackEntry> after = await client.ListAsync();
            Expect.That(deleted == 1, $"one entry deleted, got {deleted}");
            Expect.That(after.Count == before - 1 && !after.Any(e => e.Original.DestinationPort == 7001), $"only the 7001 entry is gone ({before} -> {after.Count})");
            Same(after, Tool(ns), "what is left");
            sockets.ForEach(s => s.Dispose());
            return $"{before} entries, 1 deleted, {after.Count} left";
        }
    }

    private static async Task<string> EventsAsync()
    {
        using var ns = new TestNamespace("ev");
        // Conntrack tracks a namespace's packets only once a rule there needs it.
        ns.NftScript("table inet track {\n  chain out { type filter hook output priority 0; ct state new counter; }\n}\n");
        using var client = new ConntrackClient(ns.Namespace);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<ConntrackEventType>();
        var filter = new ConntrackFilter { Protocol = ProtocolType.Udp, OriginalDestinationPort = 7010 };
        var subscribed = new TaskCompletionSource();
        Task watch = Task.Run(async () =>
        {
            IAsyncEnumerator<ConntrackEvent> events = client.EventsAsync(new ConntrackEventOptions { Filter = filter }, cts.Token).GetAsyncEnumerator(cts.Token);
            try
            {
                Task<bool> next = events.MoveNextAsync().AsTask();
                subscribed.TrySetResult();
                while (await next)
                {
                    lock (seen) seen.Add(events.Current.Type);
                    if (events.Current.Type == ConntrackEventType.Destroy)
                    {
                        return;
                    }
                    next = events.MoveNextAsync().AsTask();
                }
            }
            finally
            {
                await events.DisposeAsync();
            }
        });
        await subscribed.Task;
        // The subscription is made when the enumeration starts; give the socket a moment to join the groups.
        await Task.Delay(500);
        using (Socket udp = ns.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)))
        {
            udp.SendTo(new byte[] { 1 }, new IPEndPoint(IPAddress.Loopback, 7010));
        }
        using (var editor = new ConntrackClient(ns.Namespace))
        {
            for (int i = 0; i < 20 && await editor.DeleteAsync(filter) == 0; i++)
            {
                await Task.Delay(100);
            }
        }
        await watch;
        lock (seen)
        {
            Expect.That(seen.Contains(ConntrackEventType.New) && seen[^1] == ConntrackEventType.Destroy, $"NEW then DESTROY seen: {string.Join(", ", seen)}");
            return string.Join(", ", seen);
        }
    }
}
