using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using Netfilter.Net.Conntrack;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests;

internal static partial class ChildPrograms
{
    /// <summary>
    /// <c>child concurrent-waits COUNT</c>, run inside a namespace that has a table and conntrack
    /// entries: with the thread pool capped at 4 threads, COUNT tasks each watch the conntrack
    /// table (a snapshot dump, then a wait for the kernel's next event), list the nft tables and
    /// dump the conntrack table, all at once, and then each waits for the event of an entry made
    /// for it. Prints "completed=N threads=T" (T: the most OS threads the process had while the
    /// waits were pending) and exits 0 when every task completed within 5 minutes (a hang guard: the
    /// conntrack dumps walk the kernel's hash table of every namespace, so their cost depends on the machine).
    /// </summary>
    public static async Task<int> ConcurrentWaitsAsync(string[] args)
    {
        int count = int.Parse(args[0], CultureInfo.InvariantCulture);
        ThreadPool.GetMinThreads(out _, out int minIo);
        ThreadPool.SetMinThreads(1, Math.Min(minIo, 4));
        if (!ThreadPool.SetMaxThreads(4, 4))
        {
            Console.Error.WriteLine("could not cap the thread pool at 4 threads");
            return 2;
        }
        using var conntrack = new ConntrackClient();
        using var creator = new ConntrackClient();
        using var nft = new NfTablesClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        int subscribed = 0, completed = 0;
        var allSubscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task[] tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            var tuple = ConntrackTuple.Udp(IPAddress.Parse("10.200.0.1"), (ushort)(20000 + i), IPAddress.Parse("10.200.0.2"), 53);
            var options = new ConntrackEventOptions { Types = ConntrackEventTypes.New, ReceiveBufferSize = 256 * 1024 };
            await foreach (ConntrackEvent e in conntrack.WatchAsync(options, timeout.Token))
            {
                if (e.Type == ConntrackEventType.Snapshot)
                {
                    int tables = 0;
                    await foreach (Table table in nft.ListTablesAsync(cancellationToken: timeout.Token))
                    {
                        tables++;
                    }
                    int entries = 0;
                    await foreach (ConntrackEntry entry in conntrack.DumpAsync(cancellationToken: timeout.Token))
                    {
                        entries++;
                    }
                    if (tables == 0 || entries == 0)
                    {
                        throw new InvalidOperationException($"task {i}: {tables} tables and {entries} entries dumped; the namespace has both");
                    }
                    if (Interlocked.Increment(ref subscribed) == count)
                    {
                        allSubscribed.TrySetResult();
                    }
                    continue;
                }
                if (e.Entry?.Original.Equals(tuple) == true)
                {
                    Interlocked.Increment(ref completed);
                    return;
                }
            }
        }, timeout.Token)).ToArray();

        int peakThreads = 0;
        try
        {
            while (!allSubscribed.Task.IsCompleted)
            {
                peakThreads = Math.Max(peakThreads, ThreadCount());
                await Task.WhenAny(allSubscribed.Task, Task.Delay(50, timeout.Token), Task.WhenAll(tasks));
                if (tasks.Any(t => t.IsFaulted))
                {
                    break;
                }
            }
            if (allSubscribed.Task.IsCompleted)
            {
                // Every task now waits for the kernel: count the threads that takes.
                await Task.Delay(200, timeout.Token);
                peakThreads = Math.Max(peakThreads, ThreadCount());
                await creator.CreateAsync(Enumerable.Range(0, count).Select(i => new ConntrackEntry(ConntrackTuple.Udp(IPAddress.Parse("10.200.0.1"), (ushort)(20000 + i), IPAddress.Parse("10.200.0.2"), 53)) { Timeout = TimeSpan.FromMinutes(5) }), timeout.Token);
            }
            await Task.WhenAll(tasks).WaitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            Console.Error.WriteLine($"starved: {subscribed} of {count} subscribed, {completed} completed within 5 minutes");
        }
        Console.WriteLine($"completed={completed} threads={peakThreads}");
        foreach (Task t in tasks.Where(t => t.IsFaulted).Take(3))
        {
            Console.Error.WriteLine(t.Exception!.InnerException);
        }
        return completed == count ? 0 : 1;
    }

    private static int ThreadCount()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                return int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
            }
        }
        return Process.GetCurrentProcess().Threads.Count;
    }
}
