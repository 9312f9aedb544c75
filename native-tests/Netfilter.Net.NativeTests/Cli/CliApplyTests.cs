using System.IO;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.Cli;

/// <summary>
/// nfnet apply -f FILE: the table holds exactly the file's rules afterwards (read back with
/// <c>nfnet list</c> and nft), <c>list</c> output applies as a no-op (the ruleset generation does
/// not move, nft lists the same bytes), bad lines are named by number with nothing applied, and
/// --dry-run prints the difference without changing anything.
/// </summary>
public sealed class CliApplyTests
{
    private const string Rules = """
        # forwards of the lab; blank lines and comments are allowed

        dnat tcp 2222 to 10.0.2.2:22 masquerade
        dnat udp 5353 to 10.0.2.53:53
        redirect tcp 80 to 8080 iif lan from 10.0.1.0/24
           # an indented comment
        masquerade oif wan from 10.0.1.0/24
        snat oif wan2 to 203.0.113.1 from 10.0.3.0/24
        dnat tcp 2222 to 10.0.2.2:22 masquerade
        """;

    [NativeFact]
    public async Task Apply_makes_the_table_hold_the_file_and_list_output_applies_back_as_a_no_op()
    {
        using var ns = new TestNamespace("cli-apply");
        using var file = new TempFile(Rules);

        Tool.Result applied = Nfnet.In(ns, "apply", "-f", file.Path);
        applied.ExitCode.Should().Be(0, applied.StandardError);
        applied.StandardOutput.Should().StartWith($"applied {file.Path} to table inet nfnet of namespace {ns.Name}: added 5, removed 0, repaired 0, foreign removed 0, unchanged 0 (1 attempt)");
        string[] wanted = Lines(Rules).Distinct().ToArray();
        Lines(Nfnet.In(ns, "list").StandardOutput).Should().BeEquivalentTo(wanted, "the table holds exactly the file's rules (the duplicate line once)");
        foreach (string rule in wanted)
        {
            ns.Nft("list", "table", "inet", "nfnet").Should().Contain($"comment \"{rule}\"", "nft shows each rule's pieces with its text");
        }

        // list > f; apply -f f sends nothing: the generation does not move and nft lists the same ruleset.
        string listed = Nfnet.In(ns, "list").StandardOutput;
        using var listFile = new TempFile(listed);
        uint generation = await GenerationAsync(ns);
        string ruleset = ns.Nft("list", "ruleset");
        Tool.Result again = Nfnet.In(ns, "apply", "-f", listFile.Path);
        again.ExitCode.Should().Be(0, again.StandardError);
        again.StandardOutput.Should().Be($"table inet nfnet of namespace {ns.Name} already holds exactly the rules of {listFile.Path} (5): nothing sent\n");
        (await GenerationAsync(ns)).Should().Be(generation, "a second identical apply sends no transaction");
        ns.Nft("list", "ruleset").Should().Be(ruleset);

        // The same from standard input.
        Tool.Result piped = Nfnet.WithInput(listed, "apply", "-f", "-", "--netns", ns.Name);
        piped.ExitCode.Should().Be(0, piped.StandardError);
        piped.StandardOutput.Should().Contain("already holds exactly the rules of stdin (5): nothing sent");
        (await GenerationAsync(ns)).Should().Be(generation);

        // list's notes are comments: with a piece added by hand and a rule made partial, its
        // output still applies, and the table ends up holding exactly the whole rules it lists.
        ns.Nft("add", "element", "inet", "nfnet", "dnat4_pre", "{ tcp . 4444 : 10.0.2.9 . 22 }");
        ns.Nft("delete", "element", "inet", "nfnet", "masq4", "{ tcp . 2222 . 10.0.2.2 . 22 }");
        string damaged = Nfnet.In(ns, "list").StandardOutput;
        damaged.Should().Contain("# partial: dnat tcp 2222 to 10.0.2.2:22 masquerade").And.Contain("# foreign: element tcp . 4444 : 10.0.2.9 . 22 in map dnat4_pre");
        using var damagedFile = new TempFile(damaged);
        Tool.Result cleaned = Nfnet.In(ns, "apply", "-f", damagedFile.Path);
        cleaned.ExitCode.Should().Be(0, cleaned.StandardError);
        cleaned.StandardOutput.Should().Contain("added 0, removed 1, repaired 0, foreign removed 1, unchanged 4");
        Lines(Nfnet.In(ns, "list").StandardOutput).Should().BeEquivalentTo(Lines(damaged));
        ns.Nft("list", "table", "inet", "nfnet").Should().NotContain("4444").And.NotContain("10.0.2.2");

        // A changed file: one rule removed, one changed, one added; the rest untouched.
        using var changed = new TempFile("""
            dnat udp 5353 to 10.0.2.54:53
            redirect tcp 80 to 8080 iif lan from 10.0.1.0/24
            masquerade oif wan from 10.0.1.0/24
            tproxy tcp 3128 to :3129 mark 0x1
            """);
        Tool.Result replaced = Nfnet.In(ns, "apply", "-f", changed.Path);
        replaced.ExitCode.Should().Be(0, replaced.StandardError);
        replaced.StandardOutput.Should().Contain("added 2, removed 2, repaired 0, foreign removed 0, unchanged 2");
        Lines(Nfnet.In(ns, "list").StandardOutput).Should().BeEquivalentTo(Lines(File.ReadAllText(changed.Path)));
    }

    [NativeFact]
    public async Task Bad_lines_are_reported_with_their_numbers_and_nothing_is_applied()
    {
        using var ns = new TestNamespace("cli-apply");
        Nfnet.In(ns, "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22").ExitCode.Should().Be(0);
        uint generation = await GenerationAsync(ns);
        string ruleset = ns.Nft("list", "ruleset");
        using var file = new TempFile("""
            # line 1
            dnat tcp 80 to 10.0.2.2:8080
            dnat tcp 81 to
            redirect tcp 70000 to 8080
            dnat tcp 80 to 10.0.2.3:8080
            forward tcp 90 to 10.0.2.2
            redirect tcp 70-90 to 3128
            """);

        string[] errors = Nfnet.In(ns, "apply", "-f", file.Path).ShouldFail(1, lines: 7);
        errors[0].Should().StartWith($"nfnet: {file.Path}:3: ");
        errors[1].Should().StartWith($"nfnet: {file.Path}:4: ");
        errors[2].Should().StartWith($"nfnet: {file.Path}:6: ").And.Contain("'forward'");
        errors[3].Should().Be($"nfnet: {file.Path}:5: 'dnat tcp 80 to 10.0.2.3:8080' clashes with line 2 'dnat tcp 80 to 10.0.2.2:8080': they have the same match (dnat ipv4 tcp 80) with other options; keep one");
        errors[4].Should().StartWith($"nfnet: {file.Path}:7: 'redirect tcp 70-90 to 3128' clashes with line 2 'dnat tcp 80 to 10.0.2.2:8080': both claim tcp port 80");
        errors[5].Should().StartWith($"nfnet: {file.Path}:7: 'redirect tcp 70-90 to 3128' clashes with line 5 'dnat tcp 80 to 10.0.2.3:8080': both claim tcp port 80");
        errors[6].Should().Be($"nfnet: {file.Path}: 6 problems: nothing was applied");
        (await GenerationAsync(ns)).Should().Be(generation, "nothing was sent");
        ns.Nft("list", "ruleset").Should().Be(ruleset);

        Nfnet.In(ns, "apply", "-f", "/nonexistent/rules.txt").ShouldFail(1)[0].Should().StartWith("nfnet: cannot read /nonexistent/rules.txt: ").And.EndWith("nothing was applied");
        Nfnet.In(ns, "apply").ShouldFail(2)[0].Should().Contain("--file");
        (await GenerationAsync(ns)).Should().Be(generation);
    }

    [NativeFact]
    public async Task Dry_run_prints_the_difference_and_changes_nothing()
    {
        using var ns = new TestNamespace("cli-apply");

        // Against a table that does not exist: the plan creates it, the dry run does not.
        using var first = new TempFile("dnat tcp 2222 to 10.0.2.2:22\n");
        Tool.Result fresh = Nfnet.In(ns, "apply", "-f", first.Path, "--dry-run");
        fresh.ExitCode.Should().Be(0, fresh.StandardError);
        fresh.StandardOutput.Should().Be(
            "# table: created table inet nfnet (layout 3)\n"
            + $"+ dnat tcp 2222 to 10.0.2.2:22  # {first.Path}:1\n"
            + $"dry run for table inet nfnet of namespace {ns.Name}: would add 1, remove 0, repair 0, remove foreign 0, keep 0 (dry run: nothing sent); table: created table inet nfnet (layout 3); 1 warning\n");
        ns.Nft("list", "tables").Should().BeEmpty("a dry run creates nothing");

        Nfnet.In(ns, "apply", "-f", first.Path).ExitCode.Should().Be(0);
        Nfnet.In(ns, "redirect", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080").ExitCode.Should().Be(0);
        ns.Nft("add", "element", "inet", "nfnet", "dnat4_pre", "{ tcp . 4444 : 10.0.2.9 . 22 }");
        uint generation = await GenerationAsync(ns);
        string ruleset = ns.Nft("list", "ruleset");

        using var second = new TempFile("""
            redirect tcp 80 to 8080
            # a new forward
            dnat tcp 3333 to 10.0.2.3:33
            """);
        Tool.Result plan = Nfnet.In(ns, "apply", "-f", second.Path, "--dry-run");
        plan.ExitCode.Should().Be(0, plan.StandardError);
        plan.StandardOutput.Should().Be(
            "- foreign: element tcp . 4444 : 10.0.2.9 . 22 in map dnat4_pre (no comment)\n"
            + "- dnat tcp 2222 to 10.0.2.2:22\n"
            + $"+ dnat tcp 3333 to 10.0.2.3:33  # {second.Path}:3\n"
            + $"dry run for table inet nfnet of namespace {ns.Name}: would add 1, remove 1, repair 0, remove foreign 1, keep 1 (dry run: nothing sent); 1 warning\n");
        (await GenerationAsync(ns)).Should().Be(generation, "a dry run sends nothing");
        ns.Nft("list", "ruleset").Should().Be(ruleset);

        // Applying it does what the dry run said.
        Tool.Result applied = Nfnet.In(ns, "apply", "-f", second.Path);
        applied.StandardOutput.Should().Contain("added 1, removed 1, repaired 0, foreign removed 1, unchanged 1");
        Tool.Result after = Nfnet.In(ns, "apply", "-f", second.Path, "--dry-run");
        after.StandardOutput.Should().Be($"dry run for table inet nfnet of namespace {ns.Name}: would add 0, remove 0, repair 0, remove foreign 0, keep 2 (dry run: nothing to send); 1 warning\n");
    }

    private static string[] Lines(string text) => text.Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .ToArray();

    private static async Task<uint> GenerationAsync(TestNamespace ns)
    {
        using var client = new NfTablesClient(ns.Namespace);
        return (await client.GetGenerationAsync()).Id;
    }

    /// <summary>A file with the given text, deleted afterwards.</summary>
    private sealed class TempFile : IDisposable
    {
        public TempFile(string text)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"nfnet-apply-{Environment.ProcessId}-{Guid.NewGuid():N}.rules");
            File.WriteAllText(Path, text);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
