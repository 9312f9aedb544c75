using System.IO;

namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// The harness's own pieces, without privileges: the corpora parse into what the conformance
/// tests run, the exclusions name real cases, and the texts are cut and compared as intended
/// (a harness that compared nothing would pass everything).
/// </summary>
public sealed class ConformanceHarnessTests
{
    [Fact]
    public void Our_corpus_has_several_hundred_rule_lines_in_ip_ip6_and_inet()
    {
        IReadOnlyList<CorpusGroup> groups = ProjectCorpus.Load(ProjectCorpus.DefaultPath);
        List<CorpusStep> steps = groups.SelectMany(g => g.Steps).ToList();
        steps.Count.Should().BeGreaterThan(500);
        groups.Sum(g => g.CaseCount).Should().BeGreaterThan(1300);
        foreach (string family in new[] { "ip", "ip6", "inet" })
        {
            steps.Count(s => s.Targets.Any(t => t.Family == family)).Should().BeGreaterThan(300, $"every expression is covered in {family}");
        }
        groups.Should().OnlyContain(g => g.Steps.Any(), "a group without cases checks nothing");
        groups.SelectMany(g => g.Items.OfType<CorpusSetup>()).Should().OnlyContain(s => s.MustSucceed);
    }

    [Fact]
    public void Our_corpus_groups_make_one_table_t_per_family_with_their_declarations()
    {
        CorpusGroup nat = ProjectCorpus.Load(ProjectCorpus.DefaultPath).Single(g => g.Name == "rules.txt [nat]");
        nat.Tables.Should().Equal(("ip", "t"), ("ip6", "t"), ("inet", "t"));
        CorpusSetup setup = nat.Items.OfType<CorpusSetup>().First();
        setup.Script.Should().Contain("table ip6 t {\n\tchain pre { type nat hook prerouting priority dstnat; policy accept; }\n");
        CorpusStep step = nat.Steps.First(s => s.Rule == "masquerade");
        step.Targets.Select(t => t.ToString()).Should().Equal("ip t post", "ip6 t post", "inet t post");
    }

    [Fact]
    public void A_needs_line_marks_only_the_next_case_and_for_limits_only_the_next_declaration()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, new[]
            {
                "[g]",
                "families: ip ip6",
                "chain c { }",
                "for: ip6",
                "set s { type ipv6_addr; }",
                "needs: CONFIG_X",
                "*|c|queue",
                "ip|c|meta mark 1 | 2",
            });
            CorpusGroup group = ProjectCorpus.Load(path).Single();
            group.Items.OfType<CorpusSetup>().Single().Script.Should().Be("table ip t {\n\tchain c { }\n}\ntable ip6 t {\n\tchain c { }\n\tset s { type ipv6_addr; }\n}\n");
            List<CorpusStep> steps = group.Steps.ToList();
            steps[0].Needs.Should().Be("CONFIG_X");
            steps[1].Needs.Should().BeNull();
            steps[1].Rule.Should().Be("meta mark 1 | 2", "only the first two '|' separate");
            steps[1].Targets.Should().Equal(new CorpusTarget("ip", "t", "c"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [UpstreamCorpusPresentFact]
    public void The_upstream_corpus_gives_1716_cases_and_every_exclusion_names_one()
    {
        string root = UpstreamCorpus.Locate()!;
        var exclusions = UpstreamExclusions.Load(UpstreamExclusions.DefaultPath);
        IReadOnlyList<CorpusGroup> groups = UpstreamCorpus.Load(root);
        groups.Sum(g => g.CaseCount).Should().Be(1716, "FORMAT.md: the v1.0.6 corpus has 1716 rule/table/chain runs");
        foreach (CorpusGroup g in groups)
        {
            foreach (CorpusStep s in g.Steps)
            {
                foreach (CorpusTarget t in s.Targets)
                {
                    exclusions.ReasonFor(s.Source, t.Family, s.Rule);
                }
            }
        }
        exclusions.Unused().Should().BeEmpty("each exclusion must name a case of the corpus");
    }

    [UpstreamCorpusPresentFact]
    public void Upstream_set_lines_become_the_commands_nft_test_py_runs()
    {
        string root = UpstreamCorpus.Locate()!;
        // The catch-all element '*' goes to nft as it is written.
        UpstreamCorpus.LoadFile(root, "ip/sets.t").Items.OfType<CorpusSetup>().Select(s => s.Script)
            .Should().Contain("add element ip test-ip4 set6 { 192.168.3.5, * }\n");
        CorpusGroup sets = UpstreamCorpus.LoadFile(root, "inet/sets.t");
        List<CorpusSetup> setups = sets.Items.OfType<CorpusSetup>().ToList();
        setups.Select(s => s.Script).Should().Contain("add set bridge test-inet set2 { type ipv6_addr; timeout 23d23h59m59s; }\n");
        setups.Select(s => s.Script).Should().Contain("add element netdev test-netdev set2 { dead::beef timeout 5s }\n");
        sets.Tables.Should().Equal(("inet", "test-inet"), ("bridge", "test-inet"), ("netdev", "test-netdev"));
        setups.Where(s => s.Script.StartsWith("add table", StringComparison.Ordinal)).Should().OnlyContain(s => s.MustSucceed);
    }

    [Fact]
    public void A_debug_dump_is_judged_per_table_and_chain()
    {
        DebugDump dump = DebugDump.Parse(
            "ip t @s\n\telement 01000000  : 0 [end]\n" +
            "ip t in 2\n  [ counter pkts 0 bytes 0 ]\n\n" +
            "ip t out 3\n  [ counter pkts 0 bytes 0 ]\n\n" +
            "ip6 t in 4\n  [ counter pkts 0 bytes 0 ]\n\n");
        dump.PartFor("ip", "t", "in").Should().Be("ip t @s\n\telement 01000000  : 0 [end]\nip t in 2\n  [ counter pkts 0 bytes 0 ]\n");
        dump.PartFor("ip6", "t", "in").Should().Be("ip6 t in 4\n  [ counter pkts 0 bytes 0 ]\n");
        dump.HasRuleIn("ip", "t", "out").Should().BeTrue();
        dump.HasRuleIn("inet", "t", "in").Should().BeFalse();
    }

    [Fact]
    public void A_listing_is_cut_into_tables_without_expiry_countdowns()
    {
        RulesetListing listing = RulesetListing.Parse(
            "table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 1.2.3.4 timeout 30s expires 29s872ms }\n\t}\n}\n" +
            "table inet t {\n}\n");
        listing.TableText("ip", "t").Should().Be("table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 1.2.3.4 timeout 30s }\n\t}\n}\n");
        listing.TableText("inet", "t").Should().Be("table inet t {\n}\n");
        listing.TableText("ip6", "t").Should().BeEmpty();
    }

    [Fact]
    public void The_output_of_list_ruleset_followed_by_an_add_splits_into_debug_listing_and_the_rest()
    {
        // nft --debug=netlink -f - with "list ruleset" then "add rule ...", as measured with nft 1.0.6.
        string output =
            "ip a c 2\n  [ counter pkts 0 bytes 0 ]\n\n" +
            "table ip a {\n\tchain c {\n\t\tcounter packets 0 bytes 0\n\t}\n}\n" +
            "table ip6 b {\n}\n" +
            "__set%d a 3 size 2\n__set%d a 0\n\telement 00001600  : 0 [end]\nip a c\n  [ meta load l4proto => reg 1 ]\n\n";
        (string Debug, string Listing)? split = ConformanceRunner.SplitListOutput(output);
        split.Should().NotBeNull();
        split!.Value.Debug.Should().Be("ip a c 2\n  [ counter pkts 0 bytes 0 ]\n\n");
        split.Value.Listing.Should().Be("table ip a {\n\tchain c {\n\t\tcounter packets 0 bytes 0\n\t}\n}\ntable ip6 b {\n}\n");
        ConformanceRunner.SplitListOutput("ip a c\n  [ counter pkts 0 bytes 0 ]\n\n").Should().BeNull("nft stopped before listing");
    }

    [Fact]
    public void A_text_difference_names_the_first_differing_line_of_both()
    {
        TextDiff.Describe("nft", "a\nb\nc\n", "library", "a\nb\nc\n").Should().BeNull();
        string diff = TextDiff.Describe("nft", "a\n\tb\nc\n", "library", "a\n\tB\n")!;
        diff.Should().StartWith("first difference at line 2\n    nft: «\\tb»\n    library: «\\tB»\n");
    }
}
