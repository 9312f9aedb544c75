using Netfilter.Net.Benchmarks;

// Side-by-side benchmarks against the reference tools, in throwaway network namespaces.
//   dotnet run -c Release --project native-tests/Netfilter.Net.Benchmarks -- [suite ...] [--runs N]
//   (fuzz takes --iterations N and --seed S: the long fuzz run of every decoder, no root needed)
// With no suite names every suite runs. Each row prints the library's median next to the
// reference tool's and their ratio: absolute times on shared machines are noisy, ratios less so.
var suites = BenchmarkSuites.All;
int runs = 7;
var selected = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--runs" && i + 1 < args.Length)
    {
        runs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--iterations" && i + 1 < args.Length)
    {
        BenchmarkSuites.FuzzIterations = long.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--seed" && i + 1 < args.Length)
    {
        BenchmarkSuites.FuzzSeed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
    }
    else
    {
        selected.Add(args[i]);
    }
}
var unknown = selected.Where(s => !suites.ContainsKey(s)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown suite(s): {string.Join(", ", unknown)}; known: {string.Join(", ", suites.Keys)}");
    return 2;
}
var report = new BenchmarkReport();
foreach (var (name, suite) in suites)
{
    if (selected.Count == 0 || selected.Contains(name))
    {
        Console.WriteLine($"== {name}");
        await suite(report, runs);
    }
}
report.Print(Console.Out);
return Environment.ExitCode;
