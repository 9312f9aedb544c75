using System.IO;
using Netfilter.Net.NativeTests.Flowtables;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Corpus.Real;

/// <summary>
/// The real rulesets of Corpus/real, each loaded the way its project loads it (nft -f or
/// iptables-nft-restore) beside a NatTable of ours: decoded exactly as nft shows them, recreated
/// identically in a fresh namespace, read by the doctor (RealRuleset). Rulesets that need
/// flowtables run where the kernel has them (the kernel suite runs them all on 6.1 and 6.12).
/// The document-level round trip (nfnet ruleset save / restore) is not exercised here.
/// </summary>
public sealed class RealRulesetTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Corpus", "real");

    public static IEnumerable<object[]> Files(bool flowtables) =>
        RealRuleset.FromDirectory(CorpusDirectory).Where(f => (f.Needs == "flowtables") == flowtables).Select(f => new object[] { f.Name });

    public static IEnumerable<object[]> PlainFiles() => Files(flowtables: false);

    public static IEnumerable<object[]> FlowtableFiles() => Files(flowtables: true);

    private static RealRulesetFile Load(string name) => new(name, File.ReadAllText(Path.Combine(CorpusDirectory, name)));

    [NativeTheory]
    [MemberData(nameof(PlainFiles))]
    public async Task A_real_ruleset_decodes_as_nft_shows_it_recreates_identically_and_the_doctor_reads_it(string file)
    {
        (await RealRuleset.CheckAsync(Load(file))).Should().Contain("decoded as nft, recreated identically");
    }

    [FlowtableTheory]
    [MemberData(nameof(FlowtableFiles))]
    public async Task A_real_ruleset_with_flowtables_decodes_recreates_and_is_read_by_the_doctor(string file)
    {
        (await RealRuleset.CheckAsync(Load(file))).Should().Contain("decoded as nft, recreated identically");
    }

    [Fact]
    public void Every_file_names_its_project_version_source_and_loader()
    {
        List<RealRulesetFile> files = RealRuleset.FromDirectory(CorpusDirectory).ToList();
        files.Should().HaveCountGreaterThanOrEqualTo(8);
        foreach (RealRulesetFile f in files)
        {
            f.Project.Should().NotBeEmpty(f.Name);
            f.Header("version").Should().NotBeEmpty(f.Name);
            f.Header("source").Should().NotBeEmpty(f.Name);
            f.Loader.Should().BeOneOf(new[] { "nft -f", "iptables-nft-restore", "ip6tables-nft-restore" }, f.Name);
        }
    }
}
