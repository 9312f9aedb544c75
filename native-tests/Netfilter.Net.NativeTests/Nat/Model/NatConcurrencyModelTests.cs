using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsCheck;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// Issue 9, "Must show", the concurrent part: four independent <see cref="NatTable"/> instances
/// (each its own netlink socket, as four processes would be) add, remove and apply rules of one
/// small colliding pool (<see cref="ModelRuleSpace.Writers"/>) on the same kernel table at the
/// same time. Each call is one generation-checked transaction that is re-read and retried when
/// another writer committed in between. Afterwards the answers and the kernel must be explained by
/// some serial order of the calls (<see cref="ModelLinearizer"/>): the model answers every call as
/// the library did and ends where the kernel is (ListAsync, InspectAsync intact, and nft's listing
/// holding exactly the pieces of the model's rules, each owned by its rule). A lost update, a
/// half-applied change or an answer computed from a stale read has no such order.
/// </summary>
/// <remarks>
/// <para>Environment (all optional):</para>
/// <list type="bullet">
/// <item>NFNET_MODEL_CONCURRENT_ROUNDS: rounds, each on a fresh table (default 4).</item>
/// <item>NFNET_MODEL_CONCURRENT_CALLS: calls per writer per round (default 8).</item>
/// <item>NFNET_MODEL_CONCURRENT_SEED: the CsCheck seed of the calls (default: the CI seed). The
/// interleaving is the scheduler's, so a seed replays the calls, not necessarily the race.</item>
/// </list>
/// </remarks>
public sealed class NatConcurrencyModelTests
{
    private const int WriterCount = 4;

    /// <summary>The CI seed: fixed, so that CI runs the same calls every time.</summary>
    private static readonly string CiSeed = new PCG(9, 3).ToString();

    private readonly ITestOutputHelper _output;

    public NatConcurrencyModelTests(ITestOutputHelper output) => _output = output;

    [NativeFact]
    public async Task Four_writers_on_one_table_end_where_some_serial_order_of_their_calls_ends()
    {
        int rounds = Setting("NFNET_MODEL_CONCURRENT_ROUNDS", 4);
        int calls = Setting("NFNET_MODEL_CONCURRENT_CALLS", 8);
        string seed = Environment.GetEnvironmentVariable("NFNET_MODEL_CONCURRENT_SEED") is { Length: > 0 } s ? s.Trim() : CiSeed;
        int[] raw = Gen.Int[0, int.MaxValue - 1].Array[rounds].Generate(PCG.Parse(seed), null, out _);
        using var ns = new TestNamespace("model");
        // The rule space's interfaces and networks (a hairpin needs its target on a connected network); no traffic here.
        foreach ((string link, string v4, string v6) in new[] { ("lan", "10.0.1.1/24", "fd01::1/64"), ("wan", "10.0.2.1/24", "fd02::1/64") })
        {
            ns.Ip("link", "add", link, "type", "veth", "peer", "name", link + "-peer"); // veth: this kernel has no dummy driver
            ns.Ip("addr", "add", v4, "dev", link);
            ns.Ip("addr", "add", v6, "dev", link, "nodad");
            ns.Ip("link", "set", link + "-peer", "up");
            ns.Ip("link", "set", link, "up");
        }
        var clock = Stopwatch.StartNew();
        int total = 0, retries = 0, gaveUp = 0, states = 0;
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int round = 0; round < rounds; round++)
        {
            List<List<ModelOp>> writers = ModelRuleSpace.Writers(new Random(raw[round]), WriterCount, calls);
            string table = "conc" + round.ToString(CultureInfo.InvariantCulture);
            try
            {
                List<List<ConcurrentCall>> done = await RunAsync(ns, table, writers);
                (int visited, string? failure) = await ExplainAsync(ns, table, done);
                states += visited;
                foreach (ConcurrentCall call in done.SelectMany(c => c))
                {
                    total++;
                    retries += Math.Max(0, call.Tries - 1);
                    gaveUp += call.Observed == ModelLinearizer.GaveUp ? 1 : 0;
                    string kind = call.Op switch { AddOp => "add ", RemoveOp => "remove ", _ => "apply " } + call.Observed.Split(' ')[0];
                    outcomes[kind] = outcomes.GetValueOrDefault(kind) + 1;
                }
                if (failure is not null)
                {
                    throw new XunitException($"seed {seed} (NFNET_MODEL_CONCURRENT_SEED={seed} NFNET_MODEL_CONCURRENT_ROUNDS={rounds} NFNET_MODEL_CONCURRENT_CALLS={calls}), round {round + 1}: {failure}");
                }
            }
            finally
            {
                ns.Exec("nft", "delete", "table", "inet", table);
            }
        }
        _output.WriteLine($"seed {seed}: {rounds} rounds of {WriterCount} writers x {calls} calls = {total} calls in {clock.Elapsed.TotalSeconds:F1} s; " +
            $"{retries} commits refused by the generation check and retried, {gaveUp} calls gave up; {states} states searched; " +
            string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}")));
    }

    /// <summary>Runs the writers at once, each on its own NatTable, and returns what each call answered and when.</summary>
    private static async Task<List<List<ConcurrentCall>>> RunAsync(TestNamespace ns, string table, List<List<ModelOp>> writers)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = writers.Select((ops, w) => Task.Run(async () =>
        {
            int tries = 0;
            using var nat = new NatTable(table, new NatTableOptions
            {
                Namespace = ns.Namespace,
                ApplyAttempts = 30,
                BeforeCommit = async _ =>
                {
                    tries++;
                    await Task.Yield(); // lets another writer's commit land between this read and commit
                },
            });
            await start.Task;
            var calls = new List<ConcurrentCall>();
            for (int i = 0; i < ops.Count; i++)
            {
                tries = 0;
                long begin = Stopwatch.GetTimestamp();
                object? result = null;
                Exception? error = null;
                try
                {
                    result = ops[i] switch
                    {
                        AddOp add => await nat.AddAsync(add.Rule),
                        RemoveOp remove => await nat.RemoveAsync(remove.Rule),
                        ApplyOp apply => await nat.ApplyAsync(apply.Rules),
                        _ => null,
                    };
                }
                catch (Exception e)
                {
                    error = e;
                }
                long end = Stopwatch.GetTimestamp();
                calls.Add(new ConcurrentCall(w, i, ops[i], begin, end, ModelLinearizer.Outcome(ops[i], result, error), tries));
            }
            return calls;
        })).ToList();
        start.SetResult();
        return (await Task.WhenAll(tasks)).ToList();
    }

    /// <summary>Reads the kernel once and searches for a serial order; returns the states searched and, when there is no order, why.</summary>
    private static async Task<(int Visited, string? Failure)> ExplainAsync(TestNamespace ns, string table, List<List<ConcurrentCall>> calls)
    {
        using var reader = new NatTable(table, new NatTableOptions { Namespace = ns.Namespace });
        var listed = (await reader.ListAsync()).Select(r => r.ToString()).ToList();
        NatTableReport report = await reader.InspectAsync();
        NftTableOracle nft = NftTableOracle.Read(ns, table);
        var describe = new StringBuilder();
        describe.Append("the calls, by writer:\n");
        foreach (ConcurrentCall call in calls.SelectMany(c => c))
        {
            describe.Append("  ").Append(call).Append('\n');
        }
        describe.Append("the kernel lists:\n  ").Append(string.Join("\n  ", listed)).Append('\n');
        if (!report.IsIntact || !report.Rules.Select(r => r.ToString()).Order(StringComparer.Ordinal).SequenceEqual(listed.Order(StringComparer.Ordinal)))
        {
            return (0, $"InspectAsync is not intact or disagrees with ListAsync:\n{report}\n{describe}");
        }
        if (listed.Count != listed.Distinct(StringComparer.Ordinal).Count())
        {
            return (0, $"ListAsync lists a rule twice\n{describe}");
        }
        bool Final(ModelTable model) =>
            model.Texts.SetEquals(listed) && nft.Differences(model).Count == 0;
        List<ConcurrentCall>? order = ModelLinearizer.Find(calls, new ModelTable(table), Final, 2_000_000, out int visited);
        if (order is null)
        {
            return (visited, $"no serial order of the calls answers them as they were answered and ends where the kernel is ({visited} states searched)\n{describe}");
        }
        return (visited, null);
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;
}
