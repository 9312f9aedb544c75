using System.Diagnostics;
using System.Globalization;
using System.Net;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Benchmarks;

public static partial class BenchmarkSuites
{
    private static readonly bool s_conntrack = Add("conntrack", ConntrackAsync);

    private const int ConntrackTableSize = 100_000;

    /// <summary>
    /// Dumping 100,000 entries (library stream, library list) against `conntrack -L &gt; /dev/null`
    /// and reading /proc/net/nf_conntrack; deleting 10,000 of them by mark against `conntrack -D -m`.
    /// Memory: the library's managed allocation per dump and its live-heap growth while streaming;
    /// the tools' peak RSS from /usr/bin/time (whole process).
    /// </summary>
    private static async Task ConntrackAsync(BenchmarkReport report, int runs)
    {
        using var ns = new TestNamespace("bench-ct");
        using var conntrack = new ConntrackClient(ns.Namespace);
        var create = Stopwatch.StartNew();
        int created = await conntrack.CreateAsync(Enumerable.Range(0, ConntrackTableSize).Select(Entry));
        Console.WriteLine($"   created {created} entries through the library in {create.ElapsedMilliseconds} ms ({(created / create.Elapsed.TotalSeconds):0} entries/s, 1,024 per sendmsg)");

        long allocated = 0, livePeak = 0;
        double stream = await BenchmarkReport.MedianMsAsync(runs, async () =>
        {
            int n = 0;
            await foreach (ConntrackEntry _ in conntrack.DumpAsync())
            {
                n++;
            }
            Expect(n, ConntrackTableSize, "streamed");
        });
        (allocated, livePeak) = await MeasureStreamMemoryAsync(conntrack);
        double list = await BenchmarkReport.MedianMsAsync(runs, async () => Expect((await conntrack.ListAsync()).Count, ConntrackTableSize, "listed"));
        double tool = await BenchmarkReport.MedianMsAsync(runs, () => { ns.Check("sh", "-c", "conntrack -L > /dev/null 2>&1"); });
        string toolRss = PeakRss(ns, "conntrack -L > /dev/null 2>&1");
        string memory = $"library: {allocated / ConntrackTableSize} B allocated/entry, live heap +{livePeak / 1024} KiB while streaming; conntrack -L peak RSS {toolRss}";
        report.Add("dump 100,000 entries (DumpAsync stream)", stream, "conntrack -L > /dev/null", tool, memory + "; tool time includes process start");
        report.Add("dump 100,000 entries (ListAsync)", list, "conntrack -L > /dev/null", tool);
        if (ns.Exec("test", "-r", "/proc/net/nf_conntrack").ExitCode == 0)
        {
            double proc = await BenchmarkReport.MedianMsAsync(runs, () => { ns.Check("sh", "-c", "cat /proc/net/nf_conntrack > /dev/null"); });
            report.Add("dump 100,000 entries (DumpAsync stream)", stream, "cat /proc/net/nf_conntrack", proc, $"cat peak RSS {PeakRss(ns, "cat /proc/net/nf_conntrack > /dev/null")}");
        }
        else
        {
            Console.WriteLine("   /proc/net/nf_conntrack is absent on this kernel (CONFIG_NF_CONNTRACK_PROCFS off): no /proc baseline");
        }

        // Delete by filter: 10,000 of the 100,000 carry mark 1; each run starts from the full table.
        const int marked = ConntrackTableSize / 10;
        var filter = new ConntrackFilter { Mark = 1 };
        Func<Task> restore = async () =>
        {
            await conntrack.FlushAsync(filter);
            Expect(await conntrack.CreateAsync(Enumerable.Range(0, marked).Select(i => Entry(i * 10))), marked, "recreated");
        };
        double delete = await BenchmarkReport.MedianMsAsync(runs, async () => Expect(await conntrack.DeleteAsync(filter), marked, "deleted"), restore);
        double flush = await BenchmarkReport.MedianMsAsync(runs, () => conntrack.FlushAsync(filter), restore);
        double toolDelete = await BenchmarkReport.MedianMsAsync(runs, () => { ns.Check("sh", "-c", "conntrack -D -m 1 > /dev/null 2>&1"); return Task.CompletedTask; }, restore);
        Expect((await conntrack.GetStatisticsAsync()).Entries, (uint)(ConntrackTableSize - marked), "left after conntrack -D");
        report.Add("delete 10,000 of 100,000 by mark (DeleteAsync: dump + batched deletes, counted)", delete, "conntrack -D -m 1", toolDelete);
        report.Add("delete 10,000 of 100,000 by mark (FlushAsync: kernel-side flush filter)", flush, "conntrack -D -m 1", toolDelete, $"kernel {Environment.OSVersion.Version}");
    }

    /// <summary>Entry i: a TCP connection from a distinct client; every tenth carries mark 1.</summary>
    private static ConntrackEntry Entry(int i) =>
        new(ConntrackTuple.Tcp(new IPAddress(new byte[] { 10, (byte)(i >> 16), (byte)(i >> 8), (byte)i }), (ushort)(1024 + i % 60000), IPAddress.Parse("10.255.0.1"), 80))
        {
            ProtocolInfo = new TcpConntrackInfo { State = TcpConntrackState.Established },
            Status = ConntrackStatus.SeenReply | ConntrackStatus.Assured,
            Timeout = TimeSpan.FromHours(1),
            Mark = i % 10 == 0 ? 1u : 0u,
        };

    private static async Task<(long AllocatedBytes, long LivePeakBytes)> MeasureStreamMemoryAsync(ConntrackClient conntrack)
    {
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        long peak = 0;
        int n = 0;
        await foreach (ConntrackEntry _ in conntrack.DumpAsync())
        {
            if (++n % 10_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }
        return (GC.GetTotalAllocatedBytes(precise: true) - before, peak);
    }

    private static string PeakRss(TestNamespace ns, string command)
    {
        Tool.Result r = ns.Exec("/usr/bin/time", "-f", "%M", "sh", "-c", command);
        string last = r.StandardError.Trim().Split('\n').Last().Trim();
        return long.TryParse(last, NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb) ? $"{kb / 1024.0:0.0} MiB" : "n/a (/usr/bin/time missing)";
    }

    private static void Expect(long actual, long expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{what} {actual}, expected {expected}");
        }
    }
}
