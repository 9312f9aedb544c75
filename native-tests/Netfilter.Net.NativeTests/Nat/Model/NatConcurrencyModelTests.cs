using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using CsCheck;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// Issue 9, "Must show", the concurrent part: four independent <see cref="NatTable"/> instances
/// (each its own netlink socket; in one process here, in four processes in the second test) add, remove and apply rules of one
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
        using TestNamespace ns = Namespace();
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

    /// <summary>
    /// The issue's "4 processes × 200 operations on one table": four writer processes
    /// (<c>ip netns exec NS dotnet THIS.dll child nat-model-writer</c>, each its own NatTable and
    /// netlink sockets) make 200 calls each on one table, released at once, and read the table back
    /// after every call. Every call's answer and every read must be explained by one serial order
    /// of all of them (<see cref="ModelLinearizer"/>): a read sees exactly the model's state at its
    /// place in that order (every process sees a consistent table, never a half-applied one), and
    /// the order ends where the kernel is (no lost update).
    /// </summary>
    /// <remarks>NFNET_MODEL_PROCESS_CALLS: calls per process (default 200); NFNET_MODEL_CONCURRENT_SEED as above.</remarks>
    [NativeFact]
    public async Task Four_processes_of_200_calls_on_one_table_and_every_read_are_explained_by_one_serial_order()
    {
        int calls = Setting("NFNET_MODEL_PROCESS_CALLS", 200);
        string seed = Environment.GetEnvironmentVariable("NFNET_MODEL_CONCURRENT_SEED") is { Length: > 0 } s ? s.Trim() : CiSeed;
        int raw = Gen.Int[0, int.MaxValue - 1].Generate(PCG.Parse(seed), null, out _);
        List<List<ModelOp>> writers = ModelRuleSpace.Writers(new Random(raw), WriterCount, calls);
        using TestNamespace ns = Namespace();
        const string table = "procs";
        string directory = Directory.CreateTempSubdirectory("nfnet-model-writers-").FullName;
        var processes = new List<Process>();
        var clock = Stopwatch.StartNew();
        try
        {
            string self = typeof(NatConcurrencyModelTests).Assembly.Location;
            for (int w = 0; w < WriterCount; w++)
            {
                string file = Path.Combine(directory, $"writer{w}.txt");
                await File.WriteAllTextAsync(file, ModelOp.Print(writers[w]));
                var start = new ProcessStartInfo("ip")
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (string a in new[] { "netns", "exec", ns.Name, "dotnet", self, "child", "nat-model-writer", table, file })
                {
                    start.ArgumentList.Add(a);
                }
                processes.Add(Process.Start(start) ?? throw new InvalidOperationException("could not start a writer"));
            }
            var stderr = processes.Select(p => p.StandardError.ReadToEndAsync()).ToList();
            foreach (Process p in processes)
            {
                string? ready = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
                if (ready != "ready")
                {
                    throw new XunitException($"a writer process did not start: '{ready}' {await stderr[processes.IndexOf(p)]}");
                }
            }
            TimeSpan startup = clock.Elapsed;
            foreach (Process p in processes)
            {
                await p.StandardInput.WriteLineAsync("go");
                await p.StandardInput.FlushAsync();
            }
            var outputs = processes.Select(p => p.StandardOutput.ReadToEndAsync()).ToList();
            var done = new List<List<ConcurrentCall>>();
            for (int w = 0; w < WriterCount; w++)
            {
                string output = await outputs[w].WaitAsync(TimeSpan.FromMinutes(5));
                await processes[w].WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
                if (processes[w].ExitCode != 0 || !output.EndsWith("done\n", StringComparison.Ordinal))
                {
                    throw new XunitException($"writer {w} exited {processes[w].ExitCode}: {await stderr[w]}\n{output}");
                }
                done.Add(Parse(w, writers[w], output));
            }
            TimeSpan ran = clock.Elapsed - startup;
            (int visited, string? failure) = await ExplainAsync(ns, table, done);
            int retries = done.SelectMany(c => c).Sum(c => Math.Max(0, c.Tries - 1));
            var outcomes = done.SelectMany(c => c).Where(c => c.Op is not ReadOp)
                .GroupBy(c => c.Op switch { AddOp => "add ", RemoveOp => "remove ", _ => "apply " } + c.Observed.Split(' ')[0])
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
            int readsGaveUp = done.SelectMany(c => c).Count(c => c.Op is ReadOp && c.Observed == ModelLinearizer.GaveUp);
            _output.WriteLine($"seed {seed}: {WriterCount} processes x {calls} calls, each followed by a read; started in {startup.TotalSeconds:F1} s, ran in {ran.TotalSeconds:F1} s, " +
                $"explained in {(clock.Elapsed - startup - ran).TotalSeconds:F1} s ({visited} states searched); {retries} commits refused by the generation check and retried; " +
                $"{readsGaveUp} reads gave up (every attempt interrupted); {string.Join(", ", outcomes)}");
            if (failure is not null)
            {
                throw new XunitException($"seed {seed} (NFNET_MODEL_CONCURRENT_SEED={seed} NFNET_MODEL_PROCESS_CALLS={calls}): {failure}");
            }
        }
        finally
        {
            foreach (Process p in processes)
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }
                p.Dispose();
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A writer process's lines (<see cref="ChildPrograms.NatModelWriterAsync"/>) as calls and reads, in its order.</summary>
    private static List<ConcurrentCall> Parse(int writer, List<ModelOp> ops, string output)
    {
        var calls = new List<ConcurrentCall>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line == "done")
            {
                continue;
            }
            string[] f = line.Split('\t', 6);
            int index = int.Parse(f[1], CultureInfo.InvariantCulture);
            calls.Add(new ConcurrentCall(writer, index, f[0] == "call" ? ops[index] : ReadOp.Instance,
                long.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture), f[5], int.Parse(f[4], CultureInfo.InvariantCulture)));
        }
        if (calls.Count(c => c.Op is not ReadOp) != ops.Count)
        {
            throw new XunitException($"writer {writer} reported {calls.Count(c => c.Op is not ReadOp)} calls of {ops.Count}:\n{output}");
        }
        return calls;
    }

    /// <summary>A namespace with the rule space's interfaces and networks (a hairpin needs its target on a connected network); no traffic here.</summary>
    private static TestNamespace Namespace()
    {
        var ns = new TestNamespace("model");
        try
        {
            foreach ((string link, string v4, string v6) in new[] { ("lan", "10.0.1.1/24", "fd01::1/64"), ("wan", "10.0.2.1/24", "fd02::1/64") })
            {
                ns.Ip("link", "add", link, "type", "veth", "peer", "name", link + "-peer"); // veth: this kernel has no dummy driver
                ns.Ip("addr", "add", v4, "dev", link);
                ns.Ip("addr", "add", v6, "dev", link, "nodad");
                ns.Ip("link", "set", link + "-peer", "up");
                ns.Ip("link", "set", link, "up");
            }
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
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
                (object? result, Exception? error) = await ModelCall.TryInvokeAsync(nat, ops[i], isAnswer: _ => true);
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
        List<ConcurrentCall>? order = ModelLinearizer.Find(calls, new ModelTable(table), Final, 2_000_000, out int visited, out string? why);
        if (order is null)
        {
            return (visited, $"no serial order of the calls answers them as they were answered and ends where the kernel is ({visited} states searched): {why}\n{describe}");
        }
        return (visited, null);
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;
}
