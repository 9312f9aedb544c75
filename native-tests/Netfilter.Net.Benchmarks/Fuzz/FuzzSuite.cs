using System.Diagnostics;
using System.Globalization;
using Netfilter.Net.Benchmarks.Fuzz;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Benchmarks;

/// <summary>
/// The long fuzz run of every decoder (issue 15): <c>fuzz [--iterations N] [--seed S]</c>
/// (default 1,000,000 and 15). Each iteration takes a seed datagram of one target (the targets
/// take turns), mutates it (<see cref="Mutator"/>) and decodes it. Decoding is total: the only
/// exception allowed is <see cref="NetlinkProtocolException"/>; anything else is a crash, printed
/// with its iteration and bytes (the run goes on, and exits 1 at the end). A watchdog bounds every
/// case: one that runs longer than <see cref="HangLimit"/> is a hang, printed, and the run stops
/// there with exit 3. The unit property tests are the short pass CI runs; this is the long one.
/// No kernel and no privileges are needed.
/// </summary>
public static partial class BenchmarkSuites
{
    private static readonly bool s_fuzz = Add("fuzz", FuzzAsync);

    /// <summary>--iterations: how many mutated datagrams the fuzz suite decodes.</summary>
    public static long FuzzIterations { get; set; } = 1_000_000;

    /// <summary>--seed: the fuzz suite's random seed (the same seed, the same datagrams).</summary>
    public static int FuzzSeed { get; set; } = 15;

    /// <summary>A case that takes longer than this is a hang (generous: the machine may be loaded).</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(5);

    private static Task FuzzAsync(BenchmarkReport report, int runs)
    {
        _ = (report, runs);
        var seeds = FuzzSeeds.Load(FuzzSeeds.FindTestData());
        var targets = new FuzzTargets(seeds);
        var random = new Random(FuzzSeed);
        var outcomes = targets.All.ToDictionary(t => t.Name, _ => new long[3]); // decoded, protocol exception, crash
        var crashes = new List<string>();

        // The watchdog: the loop stamps the start of each case; a stamp older than the limit is a hang.
        long started = Stopwatch.GetTimestamp();
        long current = -1;
        string? currentCase = null;
        using var done = new ManualResetEventSlim();
        var watchdog = new Thread(() =>
        {
            while (!done.Wait(200))
            {
                long stamp = Interlocked.Read(ref started);
                if (Interlocked.Read(ref current) >= 0 && Stopwatch.GetElapsedTime(stamp) > HangLimit)
                {
                    Console.WriteLine($"HANG: case {Interlocked.Read(ref current)} ran longer than {HangLimit.TotalSeconds} s: {Volatile.Read(ref currentCase)}");
                    Environment.Exit(3);
                }
            }
        })
        { IsBackground = true, Name = "fuzz watchdog" };
        watchdog.Start();

        Console.WriteLine($"fuzz: {FuzzIterations:N0} iterations, seed {FuzzSeed}, {targets.All.Count} targets, {targets.All.Sum(t => t.Seeds.Count)} seed datagrams; a case over {HangLimit.TotalSeconds} s is a hang");
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < FuzzIterations; i++)
        {
            FuzzTarget target = targets.All[(int)(i % targets.All.Count)];
            byte[] seed = target.Seeds[random.Next(target.Seeds.Count)];
            byte[] datagram = Mutator.Mutate(seed, random);
            Volatile.Write(ref currentCase, null);
            Interlocked.Exchange(ref started, Stopwatch.GetTimestamp());
            Interlocked.Exchange(ref current, i);
            long[] counts = outcomes[target.Name];
            try
            {
                target.Decode(datagram);
                counts[0]++;
            }
            catch (NetlinkProtocolException)
            {
                counts[1]++;
            }
            catch (Exception e)
            {
                counts[2]++;
                if (crashes.Count < 20)
                {
                    crashes.Add($"CRASH at iteration {i} ({target.Name}): {e.GetType().Name}: {e.Message}\n  bytes {Convert.ToHexString(datagram).ToLowerInvariant()}\n  {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
                }
            }
            if (i % 100_000 == 0 && i > 0)
            {
                Console.WriteLine($"  {i:N0} iterations, {clock.Elapsed.TotalSeconds:0} s");
            }
        }
        Interlocked.Exchange(ref current, -1);
        done.Set();

        Console.WriteLine($"fuzz: {FuzzIterations:N0} iterations in {clock.Elapsed.TotalSeconds:0.0} s; 0 hangs (every case under {HangLimit.TotalSeconds} s)");
        Console.WriteLine($"  {"target",-55} {"seeds",6} {"decoded",10} {"protocol exception",19} {"crash",6}");
        foreach (FuzzTarget t in targets.All)
        {
            long[] c = outcomes[t.Name];
            Console.WriteLine($"  {t.Name,-55} {t.Seeds.Count,6} {c[0],10:N0} {c[1],19:N0} {c[2],6:N0}");
        }
        Console.WriteLine($"  expressions decoded from mutated rules ({targets.Expressions.Count} kinds): "
            + string.Join(", ", targets.Expressions.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value.ToString("N0", CultureInfo.InvariantCulture)}")));
        foreach (string crash in crashes)
        {
            Console.WriteLine(crash);
        }
        long total = outcomes.Values.Sum(c => c[2]);
        Console.WriteLine($"fuzz: {total} crashes");
        if (total > 0)
        {
            Environment.ExitCode = 1;
        }
        return Task.CompletedTask;
    }
}
