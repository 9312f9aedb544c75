using System.Diagnostics;
using System.Globalization;
using System.IO;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Nat.Model;

namespace Netfilter.Net.NativeTests;

internal static partial class ChildPrograms
{
    /// <summary>
    /// <c>child nat-model-writer TABLE FILE</c>, run in a namespace (<c>ip netns exec</c>): one of the
    /// concurrent writer processes of <see cref="NatConcurrencyModelTests"/>. Reads its calls from FILE
    /// (<see cref="ModelOp.Print"/> form), makes its <see cref="NatTable"/> and prints "ready", waits
    /// for a line on stdin (so that every writer starts at once), then makes the calls one by one and
    /// after each reads the table back (ListAsync, then InspectAsync). It prints one line per call and
    /// per read, tab-separated: <c>call|read INDEX START END TRIES OUTCOME</c>, START and END being
    /// <see cref="Stopwatch"/> timestamps (CLOCK_MONOTONIC, comparable across processes), OUTCOME a
    /// call's answer in <see cref="ModelLinearizer.Outcome"/>'s words or what a read saw
    /// (<see cref="ModelLinearizer.Listed"/>). Ends with "done".
    /// </summary>
    public static async Task<int> NatModelWriterAsync(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: child nat-model-writer TABLE FILE");
            return 2;
        }
        List<ModelOp> ops = ModelOp.Parse(await File.ReadAllTextAsync(args[1]));
        int tries = 0;
        using var nat = new NatTable(args[0], new NatTableOptions
        {
            ApplyAttempts = 30,
            BeforeCommit = _ =>
            {
                tries++;
                return Task.CompletedTask;
            },
        });
        await nat.ListAsync(); // the first read pays for loading and JIT before the start line
        Console.WriteLine("ready");
        if (Console.ReadLine() is null)
        {
            return 2;
        }
        for (int i = 0; i < ops.Count; i++)
        {
            tries = 0;
            long start = Stopwatch.GetTimestamp();
            // A step of FILE that is no call is a bad FILE, not an answer: ModelCall refuses it naming "op".
            (object? result, Exception? error) = await ModelCall.TryInvokeAsync(nat, ops[i], isAnswer: e => e is not ArgumentException { ParamName: "op" });
            long end = Stopwatch.GetTimestamp();
            Print("call", i, start, end, tries, ModelLinearizer.Outcome(ops[i], result, error));

            start = Stopwatch.GetTimestamp();
            string seen;
            try
            {
                IReadOnlyList<NatRule> listed = await nat.ListAsync();
                seen = ModelLinearizer.Listed(listed.Select(r => r.ToString()));
            }
            catch (Exception e)
            {
                seen = ModelLinearizer.Outcome(ReadOp.Instance, null, e);
            }
            end = Stopwatch.GetTimestamp();
            Print("read", i, start, end, 0, seen);
            NatTableReport report;
            try
            {
                report = await nat.InspectAsync();
            }
            catch (NetlinkDumpInterruptedException)
            {
                continue; // every read was interrupted by other writers' commits: it saw nothing to judge
            }
            if (!report.IsIntact)
            {
                // Not a step of the model: a table that is not whole is what no serial order explains, so the test fails on it.
                Print("read", i, end, Stopwatch.GetTimestamp(), 0, "not intact: " + report);
            }
        }
        Console.WriteLine("done");
        return 0;
    }

    private static void Print(string kind, int index, long start, long end, int tries, string outcome) =>
        Console.WriteLine(string.Join('\t', kind, index.ToString(CultureInfo.InvariantCulture), start.ToString(CultureInfo.InvariantCulture),
            end.ToString(CultureInfo.InvariantCulture), tries.ToString(CultureInfo.InvariantCulture), outcome.Replace('\n', ' ').Replace('\t', ' ')));
}
