using System.Globalization;
using System.Text.RegularExpressions;
using Netfilter.Net.Conntrack;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Conntrack;

/// <summary>Statistics equal <c>conntrack -S</c>, <c>conntrack -C</c> and /proc/sys/net/netfilter read inside the namespace.</summary>
public sealed class ConntrackStatisticsTests
{
    [NativeFact]
    public async Task Statistics_match_conntrack_S_and_proc_sys()
    {
        using var ns = new TestNamespace("ctstat");
        using var conntrack = new ConntrackClient(ns.Namespace);
        await conntrack.CreateAsync(Enumerable.Range(0, 37).Select(i => Entries.Tcp(i)));

        ConntrackStatistics global = await conntrack.GetStatisticsAsync();
        global.Entries.Should().Be(37);
        global.Entries.ToString(CultureInfo.InvariantCulture).Should().Be(ns.Check("cat", "/proc/sys/net/netfilter/nf_conntrack_count").Trim());
        global.MaxEntries.ToString(CultureInfo.InvariantCulture).Should().Be(ns.Check("cat", "/proc/sys/net/netfilter/nf_conntrack_max").Trim());
        global.Entries.ToString(CultureInfo.InvariantCulture).Should().Be(ns.Check("conntrack", "-C").Trim());

        IReadOnlyList<ConntrackCpuStatistics> cpus = await conntrack.GetCpuStatisticsAsync();
        // conntrack -S: "cpu=0   \tfound=0 invalid=0 insert=0 insert_failed=0 drop=0 early_drop=0 error=0 search_restart=0 clash_resolve=0 chaintoolong=0"
        var tool = ns.Check("conntrack", "-S").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Regex.Matches(line, @"(\w+)=(\d+)").ToDictionary(m => m.Groups[1].Value, m => uint.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();
        cpus.Select(c => (uint)c.Cpu).Should().Equal(tool.Select(t => t["cpu"]));
        foreach (ConntrackCpuStatistics cpu in cpus)
        {
            Dictionary<string, uint> t = tool.Single(x => x["cpu"] == cpu.Cpu);
            cpu.Found.Should().Be(t["found"]);
            cpu.Invalid.Should().Be(t["invalid"]);
            cpu.Insert.Should().Be(t["insert"]);
            cpu.InsertFailed.Should().Be(t["insert_failed"]);
            cpu.Drop.Should().Be(t["drop"]);
            cpu.EarlyDrop.Should().Be(t["early_drop"]);
            cpu.Error.Should().Be(t["error"]);
            cpu.SearchRestart.Should().Be(t["search_restart"]);
            cpu.ClashResolve.Should().Be(t["clash_resolve"]);
            cpu.ChainTooLong.Should().Be(t["chaintoolong"]);
        }
        cpus.Sum(c => c.Insert).Should().Be(37, "every create inserted one entry");
    }

    [NativeFact]
    public async Task Expectations_dump_and_flush_in_an_empty_namespace()
    {
        using var ns = new TestNamespace("ctexp");
        using var conntrack = new ConntrackClient(ns.Namespace);
        var expectations = new List<ConntrackExpectation>();
        await foreach (ConntrackExpectation e in conntrack.DumpExpectationsAsync())
        {
            expectations.Add(e);
        }
        expectations.Should().BeEmpty();
        ns.Check("conntrack", "-L", "expect").Should().BeEmpty();
        await conntrack.FlushExpectationsAsync();
    }
}
