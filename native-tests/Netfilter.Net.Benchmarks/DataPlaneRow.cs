using System.Globalization;
using Netfilter.Net.Benchmarks.LoadGenerator;

namespace Netfilter.Net.Benchmarks;

/// <summary>One configuration's runs in the data-plane benchmark: rates, ratios to the baseline, and what could have limited them.</summary>
internal sealed class DataPlaneRow
{
    private readonly List<double> _rates = new();
    private readonly List<double> _perCpuSecond = new();
    private readonly List<double> _cpuShares = new();
    private readonly List<double> _ratios = new();
    private readonly List<double> _cpuRatios = new();

    public DataPlaneRow(string name) => Name = name;

    public string Name { get; }

    /// <summary>The row the others are compared with.</summary>
    public bool IsBase { get; init; }

    /// <summary>Connections that did not complete (refused, reset, timed out, no source port), over all runs.</summary>
    public long Unsuccessful { get; private set; }

    public ConntrackTotals Conntrack { get; private set; }

    public int MaxTimeWait { get; private set; }

    public double MedianRate => Median(_rates);

    /// <summary>The last run's connections per second.</summary>
    public double LastRate => _rates[^1];

    /// <summary>The last run's connections per CPU-second of the client and the server together.</summary>
    public double LastPerCpuSecond => _perCpuSecond[^1];

    /// <summary>Records a run: the client's report and the CPU time the server used meanwhile.</summary>
    public void Add(ConnectionRate rate, double serverCpuSeconds, ConntrackTotals conntrack, int timeWait)
    {
        _rates.Add(rate.PerSecond);
        double cpu = rate.CpuSeconds + serverCpuSeconds;
        _perCpuSecond.Add(cpu > 0 ? rate.Completed / cpu : double.NaN);
        _cpuShares.Add(cpu / rate.Seconds);
        Unsuccessful += rate.Unsuccessful;
        Conntrack += conntrack;
        MaxTimeWait = Math.Max(MaxTimeWait, timeWait);
    }

    /// <summary>Records one ratio of this configuration's rate, and of its connections per CPU-second, to the baseline's measured around it.</summary>
    public void AddRatios(double rate, double perCpuSecond)
    {
        _ratios.Add(rate);
        _cpuRatios.Add(perCpuSecond);
    }

    /// <summary>The table: every configuration's rates and CPU cost, and their ratios to the baseline runs that bracket it.</summary>
    public static void Print(TextWriter output, IReadOnlyList<DataPlaneRow> rows, string header)
    {
        output.WriteLine();
        output.WriteLine(header);
        output.WriteLine("| path | runs | conn/s (median) | min–max | vs 1 typed forward (median ratio) | ratios min–max | conn per CPU-second (median) | CPU µs per conn | vs 1 typed forward, per CPU-second (median ratio) | ratios min–max | CPU used (of 2) | not completed | conntrack insert_failed/drop/early_drop | TIME_WAIT |");
        output.WriteLine("|---|---:|---:|---|---:|---|---:|---:|---:|---|---:|---:|---|---:|");
        foreach (DataPlaneRow r in rows)
        {
            string ratio = r.IsBase ? "(base)" : r._ratios.Count > 0 ? Percent(Median(r._ratios)) : "-";
            string cpuRatio = r.IsBase ? "(base)" : r._cpuRatios.Count > 0 ? Percent(Median(r._cpuRatios)) : "-";
            double perCpu = Median(r._perCpuSecond);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r._rates.Count} | {r.MedianRate:0} | {r._rates.Min():0}–{r._rates.Max():0} | {ratio} | {Range(r._ratios)} | {perCpu:0} | {1e6 / perCpu:0.0} | {cpuRatio} | {Range(r._cpuRatios)} | {Median(r._cpuShares):0.00} | {r.Unsuccessful} | {r.Conntrack.InsertFailed}/{r.Conntrack.Drop}/{r.Conntrack.EarlyDrop} | {r.MaxTimeWait} |"));
        }
        output.WriteLine();
    }

    private static string Percent(double ratio) => ratio.ToString("0.0%", CultureInfo.InvariantCulture);

    private static string Range(List<double> ratios) => ratios.Count == 0 ? "-" : $"{Percent(ratios.Min())}–{Percent(ratios.Max())}";

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
