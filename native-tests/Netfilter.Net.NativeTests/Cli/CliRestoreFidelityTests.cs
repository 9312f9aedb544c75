using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using Netfilter.Net.NativeTests.Infrastructure;
using Xunit.Abstractions;

namespace Netfilter.Net.NativeTests.Cli;

/// <summary>
/// The round-trip gaps of issue 12, each built from its upstream case, through
/// <c>nfnet ruleset save</c> and <c>restore</c> into a fresh namespace; and issue 15's D7: an
/// interrupted restore always says what the kernel holds.
/// </summary>
public sealed class CliRestoreFidelityTests
{
    private readonly ITestOutputHelper _output;

    public CliRestoreFidelityTests(ITestOutputHelper output) => _output = output;

    private static string SaveAndRestore(TestNamespace source, TestNamespace target, out string document)
    {
        Tool.Result saved = Nfnet.In(source, "ruleset", "save", "-");
        saved.ExitCode.Should().Be(0, saved.StandardError);
        document = saved.StandardOutput;
        Tool.Result restored = Nfnet.WithInput(document, "ruleset", "restore", "-", "--netns", target.Name);
        restored.ExitCode.Should().Be(0, restored.StandardError);
        return NftOracle.ListRuleset(target);
    }

    /// <summary>ip/sets.t: a catch-all element in a set ('?set6 192.168.3.5, *'), a verdict map and a data map; ip6/sets.t: a dynset into a concatenated IPv6 set.</summary>
    [NativeFact]
    public void Catch_all_elements_and_a_dynset_into_a_concatenated_set_come_back_as_they_were()
    {
        using var source = new TestNamespace("fidelity");
        source.NftScript("""
            table ip test-ip4 {
              set set6 { type ipv4_addr; elements = { 192.168.3.5, * } }
              chain input { type filter hook input priority 0;
                ip saddr @set6 drop
                ip saddr vmap { 1.1.1.1 : drop, * : accept }
                meta mark set ip saddr map { 1.1.1.1 : 0x00000001, * : 0x00000002 }
              }
            }
            table ip6 test-ip6 {
              set set5 { type ipv6_addr . ipv6_addr; }
              chain input { type filter hook input priority 0;
                add @set5 { ip6 saddr . ip6 daddr }
              }
            }
            """);
        using var target = new TestNamespace("restored");
        string restored = SaveAndRestore(source, target, out string document);
        document.Should().Contain("{\"flags\":2}", "the catch-all element is saved without a key");
        restored.Should().Be(NftOracle.ListRuleset(source));
        restored.Should().Contain("elements = { 192.168.3.5, * }").And.Contain("add @set5 { ip6 saddr . ip6 daddr }");
    }

    /// <summary>An element saved with 27 s left comes back with about 27 s left, not its full timeout.</summary>
    [NativeFact]
    public void Element_timers_continue_where_they_were_saved()
    {
        using var source = new TestNamespace("timers");
        source.NftScript("""
            table ip t {
              set own { type ipv4_addr; flags timeout; elements = { 192.0.2.1 timeout 1h expires 27s } }
              set inherited { type ipv4_addr; flags timeout; timeout 1h; elements = { 192.0.2.2 expires 27s } }
            }
            """);
        using var target = new TestNamespace("restored");
        string restored = SaveAndRestore(source, target, out _);
        MatchCollection expires = Regex.Matches(restored, @"expires (?:(\d+)m)?(?:(\d+)s)?");
        expires.Should().HaveCount(2, restored);
        foreach (Match m in expires)
        {
            int seconds = (m.Groups[1].Success ? int.Parse(m.Groups[1].Value) * 60 : 0) + (m.Groups[2].Success ? int.Parse(m.Groups[2].Value) : 0);
            seconds.Should().BeLessThanOrEqualTo(27, $"the element had 27 s left when it was saved, not an hour:\n{restored}");
        }
        restored.Should().Contain("192.0.2.1 timeout 1h expires").And.Contain("timeout 1h");
    }

    /// <summary>
    /// Issue 15 D7: Ctrl-C at many points of a large restore. Whenever nfnet says it restored,
    /// the kernel holds the whole ruleset; whenever it says it was interrupted, nothing was
    /// restored; a signal that comes before nfnet handles signals kills it with nothing applied.
    /// </summary>
    [NativeFact]
    public async Task Ctrl_C_at_any_point_of_a_restore_is_reported_as_what_the_kernel_holds()
    {
        using var source = new TestNamespace("large");
        var script = new System.Text.StringBuilder("table ip nat {\n  chain pre { type nat hook prerouting priority dstnat;\n");
        for (int i = 0; i < 3000; i++)
        {
            script.Append($"    ip daddr 203.0.113.{i % 250 + 1} tcp dport {10000 + i} dnat to 10.0.{i / 250}.{i % 250 + 1}:80\n");
        }
        source.NftScript(script.Append("  }\n}\n").ToString());
        string file = Path.Combine(Path.GetTempPath(), $"nfnet-sigint-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        using var target = new TestNamespace("sigint");
        try
        {
            Nfnet.In(source, "ruleset", "save", file).ExitCode.Should().Be(0);
            string full = NftOracle.ListRuleset(source);
            var clock = Stopwatch.StartNew();
            Nfnet.In(target, "ruleset", "restore", file).ExitCode.Should().Be(0);
            TimeSpan whole = clock.Elapsed;
            NftOracle.ListRuleset(target).Should().Be(full);

            const int attempts = 30;
            var outcomes = new Dictionary<string, int>();
            for (int k = 0; k < attempts; k++)
            {
                target.Nft("flush", "ruleset");
                using Process restore = Nfnet.Start("ruleset", "restore", file, "--netns", target.Name);
                Task<string> stdout = restore.StandardOutput.ReadToEndAsync();
                Task<string> stderr = restore.StandardError.ReadToEndAsync();
                // Half the points from the start of the process to past the end of a whole
                // restore, half around its end, where the commit is.
                double share = k < attempts / 2 ? 1.2 * k / (attempts / 2) : 0.7 + 0.5 * (k - attempts / 2) / (attempts / 2);
                await Task.Delay(TimeSpan.FromMilliseconds(whole.TotalMilliseconds * share));
                // The process may end between any check and the signal: a signal that finds no
                // process is fine, as long as the process has indeed exited.
                Tool.Result kill = Tool.Run("kill", new[] { "-INT", restore.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                if (kill.ExitCode != 0)
                {
                    (await Task.WhenAny(restore.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(10)))).Should().NotBeNull();
                    restore.HasExited.Should().BeTrue($"kill -INT failed ({kill.StandardError.Trim()}) although nfnet was still running");
                }
                await restore.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                string output = await stdout, errors = await stderr;
                string now = NftOracle.ListRuleset(target);
                string outcome = (restore.ExitCode, now.Length == 0) switch
                {
                    (0, false) when output.StartsWith("restored 1 table", StringComparison.Ordinal) && errors.Length == 0 && now == full => "restored, and the kernel holds it",
                    (1, true) when errors == "nfnet: interrupted; nothing was restored\n" && output.Length == 0 => "interrupted, and the kernel holds nothing",
                    (130, true) when output.Length == 0 => "killed by SIGINT before nfnet handled it, and the kernel holds nothing",
                    _ => $"MISMATCH: exit {restore.ExitCode}, stdout «{output.Trim()}», stderr «{errors.Trim()}», the kernel holds {(now.Length == 0 ? "nothing" : now == full ? "the whole ruleset" : "part of it")}",
                };
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
            _output.WriteLine($"a whole restore took {whole.TotalMilliseconds:F0} ms; SIGINT at {attempts} points: " + string.Join("; ", outcomes.Select(o => $"{o.Value} × {o.Key}")));
            outcomes.Keys.Should().NotContain(o => o.StartsWith("MISMATCH", StringComparison.Ordinal), string.Join("\n", outcomes.Keys));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
