using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests;

/// <summary>
/// Entry point for child processes that tests start (Tmds.ExecFunction style): a test runs
/// <c>dotnet Netfilter.Net.NativeTests.dll child NAME ...</c> under setpriv or in a namespace,
/// and checks the exit code and output.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 2 || args[0] != "child")
        {
            Console.Error.WriteLine("usage: Netfilter.Net.NativeTests child <name> [args]");
            return 2;
        }
        try
        {
            switch (args[1])
            {
                case "generation":
                    using (var client = new NfTablesClient())
                    {
                        RulesetGeneration generation = await client.GetGenerationAsync();
                        Console.WriteLine(generation.Id);
                    }
                    return 0;
                case "commit-table-batch":
                    return await ChildPrograms.CommitTableBatchAsync(args.Skip(2).ToArray());
                case "hold-owned-table":
                    return await ChildPrograms.HoldOwnedTableAsync(args.Skip(2).ToArray());
                case "sysctl-write":
                    return await ChildPrograms.SysctlWriteAsync(args.Skip(2).ToArray());
                case "transparent-socket":
                    return await ChildPrograms.TransparentSocketAsync();
                case "doctor":
                    return await ChildPrograms.DoctorAsync();
                case "nat-apply":
                    return await ChildPrograms.NatApplyAsync(args.Skip(2).ToArray());
                case "nat-model-writer":
                    return await ChildPrograms.NatModelWriterAsync(args.Skip(2).ToArray());
                case "concurrent-waits":
                    return await ChildPrograms.ConcurrentWaitsAsync(args.Skip(2).ToArray());
                case "tproxy-routing":
                    return await ChildPrograms.TproxyRoutingAsync(args.Skip(2).ToArray());
                default:
                    Console.Error.WriteLine($"unknown child program {args[1]}");
                    return 2;
            }
        }
        catch (NetfilterException e)
        {
            Console.Error.WriteLine($"{e.GetType().Name}: {e.Errno}: {e.Message}");
            return 1;
        }
    }
}

internal static partial class ChildPrograms
{
}
