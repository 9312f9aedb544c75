namespace Netfilter.Net.Benchmarks;

/// <summary>Runs one suite: measures and adds rows to the report. <c>runs</c> is the number of timed repetitions per row.</summary>
public delegate Task BenchmarkSuite(BenchmarkReport report, int runs);

/// <summary>
/// The suites, by name. Each suite lives in its own file as a partial of this class and
/// registers itself with a static field: <c>private static readonly bool s_mine = Add("name", RunAsync);</c>
/// (every static field initializer of the partial class runs before <see cref="All"/> is read).
/// </summary>
public static partial class BenchmarkSuites
{
    private static SortedDictionary<string, BenchmarkSuite>? s_suites;

    public static IReadOnlyDictionary<string, BenchmarkSuite> All => s_suites ??= new(StringComparer.Ordinal);

    private static bool Add(string name, BenchmarkSuite suite)
    {
        (s_suites ??= new(StringComparer.Ordinal)).Add(name, suite);
        return true;
    }
}
