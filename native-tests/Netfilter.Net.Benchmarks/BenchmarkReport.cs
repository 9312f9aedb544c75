using System.Diagnostics;
using System.Globalization;

namespace Netfilter.Net.Benchmarks;

/// <summary>Rows of "library median vs reference median", printed as one table at the end.</summary>
public sealed class BenchmarkReport
{
    private readonly List<(string Case, double Library, string Reference, double ReferenceMs, string Note)> _rows = new();

    /// <summary>Median wall time of <paramref name="runs"/> calls, in milliseconds (after one warm-up).</summary>
    public static async Task<double> MedianMsAsync(int runs, Func<Task> action, Func<Task>? beforeEach = null)
    {
        if (beforeEach is not null) await beforeEach();
        await action();
        var times = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            if (beforeEach is not null) await beforeEach();
            var sw = Stopwatch.StartNew();
            await action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    public static Task<double> MedianMsAsync(int runs, Action action, Action? beforeEach = null) =>
        MedianMsAsync(runs, () => { action(); return Task.CompletedTask; }, beforeEach is null ? null : () => { beforeEach(); return Task.CompletedTask; });

    /// <summary>Adds a row: the library's median next to a reference tool's, and their ratio.</summary>
    public void Add(string benchmarkCase, double libraryMs, string reference, double referenceMs, string note = "")
    {
        _rows.Add((benchmarkCase, libraryMs, reference, referenceMs, note));
        Console.WriteLine($"   {benchmarkCase}: library {Format(libraryMs)} ms, {reference} {Format(referenceMs)} ms");
    }

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"| case | library (median ms) | reference | reference (median ms) | reference / library | note |");
        output.WriteLine($"|---|---:|---|---:|---:|---|");
        foreach (var r in _rows)
        {
            string ratio = r.Library > 0 ? (r.ReferenceMs / r.Library).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";
            output.WriteLine($"| {r.Case} | {Format(r.Library)} | {r.Reference} | {Format(r.ReferenceMs)} | {ratio} | {r.Note} |");
        }
    }

    private static string Format(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
}
