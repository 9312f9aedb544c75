using System.IO;
using Netfilter.Net.NativeTests.Infrastructure;
using Xunit.Abstractions;

namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// Our corpus (Corpus/rules.txt) against the live nft: for every case, (a) the library's
/// rendering of the kernel's dump equals <c>nft --debug=netlink list ruleset</c>, and (b) the
/// library's re-encoding of what it decoded, committed into a fresh namespace, lists identically.
/// Environment: NFNET_CONFORMANCE_FILTER (a substring of group names, to run a few),
/// NFNET_CONFORMANCE_WORKERS (groups run at once; default: the number of CPUs).
/// </summary>
public sealed class OurCorpusConformanceTests
{
    private readonly ITestOutputHelper _output;

    public OurCorpusConformanceTests(ITestOutputHelper output) => _output = output;

    [NativeFact]
    public async Task Every_case_of_our_corpus_renders_like_nft_and_round_trips_through_a_fresh_namespace()
    {
        IReadOnlyList<CorpusGroup> groups = ConformanceSettings.Filter(ProjectCorpus.Load(ProjectCorpus.DefaultPath));
        ConformanceReport report = await new ConformanceRunner().RunAsync("our corpus", groups, ConformanceSettings.Workers);
        ConformanceSettings.Publish(report, "conformance-ours.txt", string.Empty, _output);
        report.Succeeded.Should().BeTrue("every case must pass:\n" + report.Summary() + report.Failures());
    }
}

/// <summary>
/// nftables' own tests/py corpus, where ../shared/conformance/nft-tests-py exists: the same two
/// checks over every <c>;ok</c> rule, in every table and chain its file declares. Cases listed
/// in Conformance/upstream-exclusions.txt may fail (each line gives the reason); no other may.
/// </summary>
public sealed class UpstreamCorpusConformanceTests
{
    private readonly ITestOutputHelper _output;

    public UpstreamCorpusConformanceTests(ITestOutputHelper output) => _output = output;

    [UpstreamCorpusFact]
    public async Task Every_accepted_upstream_case_renders_like_nft_and_round_trips_through_a_fresh_namespace()
    {
        string root = UpstreamCorpus.Locate()!;
        UpstreamExclusions exclusions = UpstreamExclusions.Load(UpstreamExclusions.DefaultPath);
        IReadOnlyList<CorpusGroup> groups = ConformanceSettings.Filter(UpstreamCorpus.Load(root));
        var runner = new ConformanceRunner((step, target) => exclusions.ReasonFor(step.Source, target.Family, step.Rule));
        ConformanceReport report = await runner.RunAsync($"upstream corpus {root}", groups, ConformanceSettings.Workers);
        List<string> unused = ConformanceSettings.IsFiltered ? new List<string>() : exclusions.Unused().ToList();
        List<CaseResult> passingButExcluded = report.Cases
            .Where(c => c.Outcome == CaseOutcome.Passed && exclusions.ReasonFor(c.Step.Source, c.Target.Family, c.Step.Rule) is not null)
            .ToList();
        string notes = string.Concat(unused.Select(u => $"exclusion matches no case: {u}\n"))
            + string.Concat(passingButExcluded.Select(c => $"excluded case passes (remove the exclusion): {c.Title}\n"));
        ConformanceSettings.Publish(report, "conformance-upstream.txt", notes, _output);
        report.Succeeded.Should().BeTrue("every case not excluded must pass:\n" + report.Summary() + notes + report.Failures());
    }
}

/// <summary>A native fact that also needs the upstream corpus beside the repository; skipped when it is absent.</summary>
public sealed class UpstreamCorpusFactAttribute : FactAttribute
{
    public UpstreamCorpusFactAttribute()
    {
        if (!Privileges.IsRoot)
        {
            Skip = "needs root: native tests create network namespaces";
        }
        else if (UpstreamCorpus.Locate() is null)
        {
            Skip = "the upstream corpus ../shared/conformance/nft-tests-py is not present beside the repository";
        }
    }
}

/// <summary>
/// A fact about the upstream corpus itself (no privileges needed): skipped, visibly, when the
/// corpus is absent, rather than passing without having checked anything.
/// </summary>
public sealed class UpstreamCorpusPresentFactAttribute : FactAttribute
{
    public UpstreamCorpusPresentFactAttribute()
    {
        if (UpstreamCorpus.Locate() is null)
        {
            Skip = "the upstream corpus ../shared/conformance/nft-tests-py is not present beside the repository";
        }
    }
}

internal static class ConformanceSettings
{
    public static string? FilterText => Environment.GetEnvironmentVariable("NFNET_CONFORMANCE_FILTER") is { Length: > 0 } f ? f : null;

    public static bool IsFiltered => FilterText is not null;

    public static int Workers => int.TryParse(Environment.GetEnvironmentVariable("NFNET_CONFORMANCE_WORKERS"), out int n) && n > 0 ? n : Environment.ProcessorCount;

    public static IReadOnlyList<CorpusGroup> Filter(IReadOnlyList<CorpusGroup> groups) =>
        FilterText is string f ? groups.Where(g => g.Name.Contains(f, StringComparison.Ordinal)).ToList() : groups;

    /// <summary>Writes the full report beside the test assembly and the summary to the test output.</summary>
    public static void Publish(ConformanceReport report, string fileName, string notes, ITestOutputHelper output)
    {
        string path = Path.Combine(AppContext.BaseDirectory, fileName);
        report.WriteTo(path, notes);
        output.WriteLine(report.Summary() + notes + $"full report: {path}");
    }
}
