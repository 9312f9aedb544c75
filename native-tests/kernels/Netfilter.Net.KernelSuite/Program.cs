using System.Diagnostics;
using Netfilter.Net.KernelSuite;
using Netfilter.Net.KernelSuite.Checks;
using Netfilter.Net.NfTables;

// The kernel-feature suite: every kernel feature the library uses, each proven in throwaway
// network namespaces of the running kernel. native-tests/kernels/run.sh runs it on Debian's 6.1
// and 6.12 under qemu and on this machine's kernel. One line per check:
//   PASS  <id>  <what it saw>
//   NEEDS <id>  <the library's typed error: the kernel lacks the feature>
//   FAIL  <id>  <what went wrong>
// then "kernel-suite: <release>: N passed, N failed, N unsupported". Exit status 1 when a check failed.
//   kernel-suite [--list] [id-prefix...]

var checks = new List<Check>();
checks.AddRange(TableChecks.All());
checks.AddRange(SetChecks.All());
checks.AddRange(ExpressionChecks.All());
checks.AddRange(FlowtableChecks.All());
checks.AddRange(ConntrackChecks.All());
checks.AddRange(SocketChecks.All());
checks.AddRange(NatChecks.All());
checks.AddRange(CorpusChecks.All());

if (args.Contains("--list"))
{
    foreach (Check c in checks)
    {
        Console.WriteLine($"{c.Id,-32} {c.Feature}");
    }
    return 0;
}
string[] filters = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
if (filters.Length > 0)
{
    checks = checks.Where(c => filters.Any(f => c.Id.StartsWith(f, StringComparison.Ordinal))).ToList();
}

string release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.VersionString;
Console.WriteLine($"kernel-suite: {checks.Count} checks on Linux {release}");
int passed = 0, failed = 0, needs = 0;
var total = Stopwatch.StartNew();
foreach (Check check in checks)
{
    var watch = Stopwatch.StartNew();
    (Outcome outcome, string text) = await RunCheckAsync(check);
    string seconds = $"({watch.Elapsed.TotalSeconds:0.0} s)";
    string label = outcome switch { Outcome.Pass => "PASS ", Outcome.Needs => "NEEDS", _ => "FAIL " };
    Console.WriteLine($"{label} {check.Id}  {seconds} {OneLine(text)}");
    switch (outcome)
    {
        case Outcome.Pass: passed++; break;
        case Outcome.Needs: needs++; break;
        default: failed++; break;
    }
}
Console.WriteLine($"kernel-suite: {release}: {passed} passed, {failed} failed, {needs} unsupported (typed error) in {total.Elapsed.TotalSeconds:0} s");
return failed == 0 ? 0 : 1;

static async Task<(Outcome, string)> RunCheckAsync(Check check)
{
    try
    {
        Task<string> run = check.Run();
        Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(4)));
        if (finished != run)
        {
            return (Outcome.Fail, "did not finish within 4 minutes");
        }
        return (Outcome.Pass, await run);
    }
    catch (NfTablesKernelFeatureException e)
    {
        return (Outcome.Needs, e.Message);
    }
    catch (Exception e)
    {
        return (Outcome.Fail, $"{e.GetType().Name}: {e.Message}");
    }
}

// The matrix compares lines; keep each check on one line, multi-line details indented after it.
static string OneLine(string text) => text.Replace("\r", string.Empty).TrimEnd().Replace("\n", "\n      ");
