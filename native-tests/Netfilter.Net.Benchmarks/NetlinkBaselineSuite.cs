using Netfilter.Net.NfTables;

namespace Netfilter.Net.Benchmarks;

public static partial class BenchmarkSuites
{
    private static readonly bool s_baseline = Add("baseline", BaselineAsync);

    /// <summary>Reading the generation and 1,000 tables: the library against `nft list tables`.</summary>
    private static async Task BaselineAsync(BenchmarkReport report, int runs)
    {
        using var ns = new TestNamespace("bench");
        var script = new System.Text.StringBuilder();
        for (int i = 0; i < 1000; i++) script.Append("add table ip t").Append(i).Append('\n');
        ns.NftScript(script.ToString());
        using var client = new NfTablesClient(ns.Namespace);
        double library = await BenchmarkReport.MedianMsAsync(runs, async () =>
        {
            int n = 0;
            await foreach (var _ in client.ListTablesAsync()) n++;
            if (n != 1000) throw new InvalidOperationException($"listed {n} tables");
        });
        double nft = await BenchmarkReport.MedianMsAsync(runs, () => { ns.Nft("list", "tables"); });
        report.Add("list 1,000 tables", library, "nft list tables", nft, "nft includes process start");
    }
}
