using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Benchmarks;

public static partial class BenchmarkSuites
{
    private static readonly bool s_cli = Add("cli", CliAsync);

    private const int CliRuleCount = 10_000;

    /// <summary>
    /// nfnet as an operator meets it: the NativeAOT binary (NFNET_EXE) as a whole process, start
    /// to exit, next to nft, conntrack and iptables-nft-restore doing the same work, each row one
    /// hyperfine run inside the namespace (<c>ip netns exec NS hyperfine -N ...</c>), so every
    /// command of a row is measured side by side under the same load. Output goes to /dev/null
    /// (hyperfine's default) for every command alike. Peak RSS is /usr/bin/time's %M of one
    /// extra run of each command.
    /// </summary>
    private static async Task CliAsync(BenchmarkReport report, int runs)
    {
        string? nfnet = Environment.GetEnvironmentVariable("NFNET_EXE");
        if (nfnet is not { Length: > 0 } || !File.Exists(nfnet))
        {
            Console.WriteLine("   skipped: set NFNET_EXE to a NativeAOT nfnet, e.g. dotnet publish src/Netfilter.Net.Cli -c Release -r linux-x64 -p:PublishAot=true -o artifacts/nfnet-aot; NFNET_EXE=$PWD/artifacts/nfnet-aot/nfnet");
            return;
        }
        if (Tool.Run("hyperfine", new[] { "--version" }).ExitCode != 0)
        {
            Console.WriteLine("   skipped: hyperfine is not installed (apt-get install hyperfine)");
            return;
        }
        nfnet = Path.GetFullPath(nfnet);
        string dir = Directory.CreateTempSubdirectory("nfnet-bench-cli-").FullName;
        try
        {
            var bench = new CliBench(dir, runs);
            using (var ns = new TestNamespace("bench-cli"))
            {
                await CliRulesAsync(report, bench, ns, nfnet);
            }
            using (var ns = new TestNamespace("bench-cli"))
            {
                CliRuleset(report, bench, ns, nfnet);
            }
            using (var ns = new TestNamespace("bench-cli"))
            {
                await CliConntrackAsync(report, bench, ns, nfnet);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>apply -f, a second identical apply, list, forward add with 10,000 present, start-up.</summary>
    private static Task CliRulesAsync(BenchmarkReport report, CliBench bench, TestNamespace ns, string nfnet)
    {
        string rules = bench.File("forwards.rules", string.Concat(Enumerable.Range(0, CliRuleCount).Select(i => $"dnat tcp {10000 + i} to 10.0.2.2:22\n")));
        string map = bench.File("forwards.nft", NftMapScript(CliRuleCount));
        string iptables = bench.File("dnat.iptables", IptablesScript());
        string flush = "nft flush ruleset";

        bench.Row(report, ns, "apply -f 10,000 forwards into an empty table", flush, "",
            new CliCommand($"nfnet apply -f", $"{nfnet} apply -f {rules}"),
            new CliCommand("nft -f (same maps)", $"nft -f {map}"),
            new CliCommand("iptables-nft-restore (10,000 DNAT rules)", $"iptables-nft-restore {iptables}"));

        ns.Nft("flush", "ruleset");
        ns.Check(nfnet, "apply", "-f", rules);
        string again = ns.Check(nfnet, "apply", "-f", rules);
        Check(again.Contains("nothing sent", StringComparison.Ordinal), "a second identical apply sends nothing: " + again);
        bench.Row(report, ns, "apply -f again, 10,000 present (nothing sent)", null, "",
            new CliCommand("nfnet apply -f", $"{nfnet} apply -f {rules}"),
            new CliCommand("nft list table inet nfnet", "nft list table inet nfnet"));

        bench.Row(report, ns, "list, 10,000 typed forwards", null, "",
            new CliCommand("nfnet list", $"{nfnet} list"),
            new CliCommand("nft list ruleset", "nft list ruleset"));

        // The reference's map lives in its own table beside nfnet's; each run starts without the
        // added element (prepare: add it, which never fails, then delete it).
        ns.Nft("-f", map);
        string nftReset = bench.File("reset-element.nft", "add element inet bench dnat4_pre { tcp . 60001 : 10.0.2.2 . 22 }\ndelete element inet bench dnat4_pre { tcp . 60001 }\n");
        bench.Row(report, ns, "forward add, 10,000 present", null, "",
            new CliCommand("nfnet forward add", $"{nfnet} forward add --proto tcp --port 60000 --to 10.0.2.2:22", $"{nfnet} apply -f {rules}"),
            new CliCommand("nft add element", "nft add element inet bench dnat4_pre { tcp . 60001 : 10.0.2.2 . 22 }", $"nft -f {nftReset}"));

        bench.Row(report, ns, "start-up: a trivial read", null, "",
            new CliCommand("nfnet forwarding status", $"{nfnet} forwarding status"),
            new CliCommand("nft list tables", "nft list tables"),
            new CliCommand("/bin/true (process floor)", "/bin/true"));
        return Task.CompletedTask;
    }

    /// <summary>ruleset save, restore and show --format json of 10,000 linear DNAT rules.</summary>
    private static void CliRuleset(BenchmarkReport report, CliBench bench, TestNamespace ns, string nfnet)
    {
        string linear = bench.File("linear.nft", LinearScript());
        string iptables = bench.File("dnat.iptables", IptablesScript());
        string saved = Path.Combine(bench.Directory, "saved.json");
        ns.NftScript(LinearScript());
        ns.Check(nfnet, "ruleset", "save", saved);
        string nftText = ns.Nft("list", "ruleset");
        string sizes = $"saved file {new FileInfo(saved).Length / CliRuleCount} B/rule (nft list ruleset: {Encoding.UTF8.GetByteCount(nftText) / CliRuleCount} B/rule)";

        bench.Row(report, ns, "ruleset save, 10,000 linear DNAT rules", null, sizes,
            new CliCommand("nfnet ruleset save FILE", $"{nfnet} ruleset save {Path.Combine(bench.Directory, "again.json")}"),
            new CliCommand("nft list ruleset", "nft list ruleset"));
        bench.Row(report, ns, "ruleset show --format json, 10,000 rules", null, "",
            new CliCommand("nfnet ruleset show --format json", $"{nfnet} ruleset show --format json"),
            new CliCommand("nft list ruleset", "nft list ruleset"));
        bench.Row(report, ns, "ruleset restore, 10,000 linear DNAT rules", "nft flush ruleset", "",
            new CliCommand("nfnet ruleset restore FILE", $"{nfnet} ruleset restore {saved}"),
            new CliCommand("nft -f (same ruleset)", $"nft -f {linear}"),
            new CliCommand("iptables-nft-restore", $"iptables-nft-restore {iptables}"));
    }

    /// <summary>conntrack list, text and --json, at 10,000 and 100,000 entries.</summary>
    private static async Task CliConntrackAsync(BenchmarkReport report, CliBench bench, TestNamespace ns, string nfnet)
    {
        using var conntrack = new ConntrackClient(ns.Namespace);
        int present = 0;
        foreach (int size in new[] { 10_000, 100_000 })
        {
            Check(await conntrack.CreateAsync(Enumerable.Range(present, size - present).Select(Entry)) == size - present, "conntrack entries created");
            present = size;
            bench.Row(report, ns, $"conntrack list, {size:N0} entries", null, "",
                new CliCommand("nfnet conntrack list", $"{nfnet} conntrack list"),
                new CliCommand("conntrack -L", "conntrack -L"));
            bench.Row(report, ns, $"conntrack list --json, {size:N0} entries", null, "",
                new CliCommand("nfnet conntrack list --json", $"{nfnet} conntrack list --json"),
                new CliCommand("conntrack -L", "conntrack -L"));
        }
    }

    /// <summary>One command of a row, with the command that prepares each of its runs when it needs its own.</summary>
    private sealed record CliCommand(string Name, string Command, string? Prepare = null);

    /// <summary>Runs rows through hyperfine and /usr/bin/time, with files in one directory.</summary>
    private sealed class CliBench(string directory, int runs)
    {
        public string Directory { get; } = directory;

        public string File(string name, string content)
        {
            string path = Path.Combine(Directory, name);
            System.IO.File.WriteAllText(path, content);
            return path;
        }

        /// <summary>
        /// One hyperfine run of nfnet's command (the first) and the references, each with its
        /// own prepare command when it has one, else <paramref name="prepare"/>; a report row per
        /// reference: medians, ratio, peak RSS.
        /// </summary>
        public void Row(BenchmarkReport report, TestNamespace ns, string name, string? prepare, string note, params CliCommand[] commands)
        {
            string json = Path.Combine(Directory, "hyperfine.json");
            var arguments = new List<string> { "netns", "exec", ns.Name, "hyperfine", "-N", "--style", "none", "--warmup", "1", "--runs", runs.ToString(CultureInfo.InvariantCulture), "--export-json", json };
            bool anyPrepare = prepare is not null || commands.Any(c => c.Prepare is not null);
            foreach (CliCommand c in commands)
            {
                if (anyPrepare)
                {
                    arguments.Add("--prepare");
                    arguments.Add(c.Prepare ?? prepare ?? "/bin/true");
                }
            }
            foreach (CliCommand c in commands)
            {
                arguments.Add("-n");
                arguments.Add(c.Name);
                arguments.Add(c.Command);
            }
            Tool.Run("ip", arguments, timeout: TimeSpan.FromMinutes(20)).EnsureSuccess("hyperfine: " + name);
            using JsonDocument document = JsonDocument.Parse(System.IO.File.ReadAllBytes(json));
            double[] medians = document.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("median").GetDouble() * 1000).ToArray();
            long[] peaks = commands.Select(c => PeakKb(ns, c.Prepare ?? prepare, c.Command)).ToArray();
            for (int i = 1; i < commands.Length; i++)
            {
                string ratio = (medians[0] / medians[i]).ToString("0.00", CultureInfo.InvariantCulture);
                report.Add($"{name}: {commands[0].Name}", medians[0], commands[i].Name, medians[i],
                    $"nfnet/ref {ratio}x; peak RSS nfnet {peaks[0] / 1024.0:0.0} MiB, ref {peaks[i] / 1024.0:0.0} MiB{(note.Length > 0 ? "; " + note : "")}");
            }
        }

        private long PeakKb(TestNamespace ns, string? prepare, string command)
        {
            if (prepare is not null)
            {
                ns.Check("sh", "-c", prepare + " > /dev/null");
            }
            Tool.Result r = ns.Exec("sh", "-c", $"/usr/bin/time -f %M {command} > /dev/null");
            string last = r.StandardError.Trim().Split('\n').Last().Trim();
            return long.TryParse(last, NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb) ? kb : -1;
        }
    }
}
