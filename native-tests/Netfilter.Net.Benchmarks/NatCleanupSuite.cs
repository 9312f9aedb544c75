using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Benchmarks;

public static partial class BenchmarkSuites
{
    private static readonly bool s_natCleanup = Add("nat-cleanup", NatCleanupAsync);

    /// <summary>
    /// Issue 15 D6: what the conntrack cleanup after a change costs. Removing N forwards in one
    /// ApplyAsync, with <see cref="NatTableOptions.FlushConntrackOnChange"/> on (the default)
    /// next to off, side by side in one run. The cleanup should cost one conntrack dump per change,
    /// not one per removed forward.
    /// </summary>
    private static async Task NatCleanupAsync(BenchmarkReport report, int runs)
    {
        foreach (int n in new[] { 1_000, 10_000 })
        {
            using var ns = new TestNamespace("bench");
            NatRule[] rules = Enumerable.Range(0, n)
                .Select(i => (NatRule)new DnatRule(TransportProtocol.Tcp, PortRange.Single(10000 + i), IPAddress.Parse("10.0.2.2"), PortRange.Single(22)))
                .ToArray();
            async Task<double> RemoveAllAsync(bool cleanup) => await BenchmarkReport.MedianMsAsync(Math.Min(runs, 3), async () =>
            {
                using var nat = new NatTable("bench", new NatTableOptions { Namespace = ns.Namespace, FlushConntrackOnChange = cleanup });
                await nat.ApplyAsync(Array.Empty<NatRule>());
            }, async () =>
            {
                using var nat = new NatTable("bench", new NatTableOptions { Namespace = ns.Namespace, FlushConntrackOnChange = false });
                await nat.ApplyAsync(rules);
            });
            double with = await RemoveAllAsync(cleanup: true);
            double without = await RemoveAllAsync(cleanup: false);
            report.Add($"remove {n:N0} forwards in one ApplyAsync, conntrack cleanup on", with, "the same with cleanup off", without, "D6: the cleanup is one dump per change");
        }
    }
}
