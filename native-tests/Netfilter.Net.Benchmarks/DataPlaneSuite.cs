using System.Globalization;
using System.Net;
using System.Text;
using Netfilter.Net.Benchmarks.LoadGenerator;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Benchmarks;

public static partial class BenchmarkSuites
{
    private static readonly bool s_dataPlane = Add("dataplane", DataPlaneAsync);

    /// <summary>Seconds of load per run.</summary>
    private const double DataPlaneSeconds = 1.5;

    /// <summary>Connections the load generator keeps in flight.</summary>
    private const int DataPlaneConcurrency = 64;

    /// <summary>The public port every NAT configuration forwards; with 10,000 forwards it is the last one (10000 + 9,999), a linear chain's worst case.</summary>
    private const int MeasuredPort = 19999;

    /// <summary>
    /// The data plane: new TCP connections per second from the client namespace through the router
    /// to the server, measured with connrate (LoadGenerator/connrate.c), with the router's ruleset
    /// in each configuration: no active NAT rule, 1 and 10,000 typed forwards (NatTable, maps), 1
    /// and 10,000 plain nft dnat rules (one linear chain). First the ceilings: the load generator's
    /// (loopback in one namespace) and the path's (the router with an empty ruleset). Then <paramref name="runs"/> rounds in one topology, every
    /// configuration installed once in a table of its own and switched on alone for its run: each
    /// round brackets every configuration between two runs of 1 typed forward (B X1 B X2 B ...),
    /// in an order rotated from round to round, and a configuration's ratio is its rate over the
    /// mean of the two runs around it, measured seconds apart under the same load from the rest of
    /// the machine. Every run also measures the CPU time the client and the server used (which
    /// includes the kernel's packet path through the router, run in their context): connections
    /// per CPU-second is the rate the machine would reach with those two processes alone, so its
    /// ratios stay meaningful when other work on the machine takes CPU away. The table shows medians.
    /// </summary>
    private static async Task DataPlaneAsync(BenchmarkReport report, int runs)
    {
        var duration = TimeSpan.FromSeconds(DataPlaneSeconds);

        var loopback = new DataPlaneRow("loopback, one namespace, no rules (the load generator's ceiling)");
        using (var ns = new TestNamespace("loop"))
        using (ConnectionServer server = ConnectionLoad.StartServer(ns, new IPEndPoint(IPAddress.Loopback, DataPlaneTopology.ServerPort)))
        {
            for (int i = 0; i < runs; i++)
            {
                double serverCpu = server.CpuSeconds;
                ConnectionRate rate = ConnectionLoad.Run(ns, new IPEndPoint(IPAddress.Loopback, DataPlaneTopology.ServerPort), duration, DataPlaneConcurrency);
                loopback.Add(rate, server.CpuSeconds - serverCpu, default, 0);
            }
        }

        var forwarded = new IPEndPoint(IPAddress.Parse("10.0.1.1"), MeasuredPort);
        var routed = new IPEndPoint(IPAddress.Parse("10.0.2.2"), DataPlaneTopology.ServerPort);
        var baseline = new DataPlaneConfiguration(new DataPlaneRow("1 typed forward (NatTable: maps)") { IsBase = true }, forwarded, "inet one", t => ApplyForwardsAsync(t, "one", 1));
        var others = new List<DataPlaneConfiguration>
        {
            new(new DataPlaneRow("veth path, no active NAT rule (the tables are dormant; conntrack on)"), routed, null, _ => Task.CompletedTask),
            new(new DataPlaneRow("10,000 typed forwards (NatTable: maps)"), forwarded, "inet many", t => ApplyForwardsAsync(t, "many", 10_000)),
            new(new DataPlaneRow("1 typed forward, counters off (the same table without its counters)"), forwarded, "inet oneoff", t => ApplyForwardsWithoutCountersAsync(t, "oneoff", 1)),
            new(new DataPlaneRow("10,000 typed forwards, counters off (the same table without its counters)"), forwarded, "inet manyoff", t => ApplyForwardsWithoutCountersAsync(t, "manyoff", 10_000)),
            new(new DataPlaneRow("1 plain nft dnat rule"), forwarded, "ip linear1", t => InstallLinear(t, "linear1", 1)),
            new(new DataPlaneRow("10,000 plain nft dnat rules (linear chain, the last one matches)"), forwarded, "ip linear10k", t => InstallLinear(t, "linear10k", 10_000)),
        };

        using var bench = new DataPlaneTopology();
        // The path's own ceiling: the router only routes, with an empty ruleset (so no conntrack either).
        var emptyRuleset = new DataPlaneConfiguration(new DataPlaneRow("veth client → router → server, empty ruleset (the path's ceiling)"), routed, null, _ => Task.CompletedTask);
        for (int i = 0; i < runs; i++)
        {
            await bench.RunAsync(emptyRuleset, duration, DataPlaneConcurrency, emptyRuleset.Row);
        }

        await bench.InstallAsync(others.Prepend(baseline));
        for (int round = 0; round < runs; round++)
        {
            var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"   round {round + 1}: base "));
            Sample before = await MeasureAsync(baseline);
            line.Append(before);
            for (int k = 0; k < others.Count; k++)
            {
                DataPlaneConfiguration configuration = others[(round + k) % others.Count];
                Sample sample = await MeasureAsync(configuration);
                Sample after = await MeasureAsync(baseline);
                configuration.Row.AddRatios(sample.Rate / ((before.Rate + after.Rate) / 2), sample.PerCpuSecond / ((before.PerCpuSecond + after.PerCpuSecond) / 2));
                line.Append(CultureInfo.InvariantCulture, $" | {configuration.Row.Name.Split(" (")[0]} {sample} | base {after}");
                before = after;
            }
            Console.WriteLine(line);
        }

        var rows = new List<DataPlaneRow> { loopback, emptyRuleset.Row, others[0].Row, baseline.Row };
        rows.AddRange(others.Skip(1).Select(c => c.Row));
        DataPlaneRow.Print(Console.Out, rows, string.Create(CultureInfo.InvariantCulture,
            $"data plane: new TCP connections per second (connrate, {DataPlaneConcurrency} connections in flight, {duration.TotalSeconds:0.#} s per run, {runs} rounds; 8 client addresses, SO_LINGER 0; conntrack flushed before each run)"));

        async Task<Sample> MeasureAsync(DataPlaneConfiguration configuration)
        {
            await bench.ActivateAsync(configuration);
            await bench.RunAsync(configuration, duration, DataPlaneConcurrency, configuration.Row);
            return new Sample(configuration.Row.LastRate, configuration.Row.LastPerCpuSecond);
        }
    }

    /// <summary>One run's connections per second of wall time and per CPU-second (client and server).</summary>
    private readonly record struct Sample(double Rate, double PerCpuSecond)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Rate:0}/s {PerCpuSecond:0}/cpu-s");
    }

    private static async Task ApplyForwardsAsync(Topology topology, string table, int n)
    {
        using var nat = new NatTable(table, new NatTableOptions { Namespace = topology.Router.Namespace, FlushConntrackOnChange = false });
        NatRule[] forwards = Enumerable.Range(MeasuredPort - n + 1, n)
            .Select(p => (NatRule)new DnatRule(TransportProtocol.Tcp, PortRange.Single(p), IPAddress.Parse("10.0.2.2"), PortRange.Single(DataPlaneTopology.ServerPort)))
            .ToArray();
        await nat.ApplyAsync(forwards);
    }

    /// <summary>
    /// What the typed forwards cost without their counters (issue 16): the table NatTable builds,
    /// read back and recreated under <paramref name="table"/> with every counter left out (the
    /// maps' set expression, each element's own, and the counter before a rule's translation), so
    /// the only difference from <see cref="ApplyForwardsAsync"/>'s table is the counting.
    /// </summary>
    private static async Task ApplyForwardsWithoutCountersAsync(Topology topology, string table, int n)
    {
        string scratch = table + "_src";
        await ApplyForwardsAsync(topology, scratch, n);
        using var client = new NfTablesClient(topology.Router.Namespace);
        Ruleset built = await client.GetTableSnapshotAsync(NetfilterFamily.Inet, scratch);
        Ruleset withoutCounters = new(
            built.Generation,
            built.Tables.Select(t => t with { Name = table }).ToArray(),
            built.Chains.Select(c => c with { Table = table }).ToArray(),
            built.Sets.Select(s => s with { Table = table, Expressions = null }).ToArray(),
            built.Elements.ToDictionary(
                e => (e.Key.Family, table, e.Key.Set),
                e => (IReadOnlyList<SetElement>)e.Value.Select(element => element with { Expressions = null }).ToArray()),
            built.Rules.Select(r => r with { Table = table, Expressions = r.Expressions.Where(x => x is not CounterExpression).ToArray() }).ToArray());
        NfTablesTransaction transaction = NfTablesTransaction.Recreate(withoutCounters).DeleteTable(NetfilterFamily.Inet, scratch);
        await client.CommitAsync(transaction);
        string listing = topology.Router.Check("nft", "list", "table", "inet", table);
        if (listing.Contains("counter", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"table inet {table} still counts:\n{listing}");
        }
    }

    /// <summary>The iptables-style alternative: one rule per forward in one chain, evaluated in order for every new connection.</summary>
    private static Task InstallLinear(Topology topology, string table, int n)
    {
        var sb = new StringBuilder("table ip " + table + " {\n chain prerouting {\n  type nat hook prerouting priority dstnat;\n");
        for (int p = MeasuredPort - n + 1; p <= MeasuredPort; p++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  tcp dport {p} dnat to 10.0.2.2:{DataPlaneTopology.ServerPort}\n");
        }
        sb.Append(" }\n}\n");
        topology.Router.NftScript(sb.ToString());
        return Task.CompletedTask;
    }
}
