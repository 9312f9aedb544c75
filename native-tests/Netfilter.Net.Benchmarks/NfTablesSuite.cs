using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Benchmarks;

/// <summary>
/// nftables transactions at scale, the library against nft 1.0.6 and iptables-nft-restore in the
/// same run, each in a throwaway namespace:
/// <list type="bullet">
/// <item>apply, in one transaction, 10,000 linear DNAT rules (nft -f, iptables-nft-restore) and one
/// map of 10,000 elements (nft -f), from an empty ruleset each time;</item>
/// <item>add one rule, and delete one rule by handle, when 10,000 exist (nft add rule / nft delete rule);</item>
/// <item>read 10,000 rules back (nft list ruleset).</item>
/// </list>
/// The library's times include building the rule objects and the transaction, encoding, the
/// kernel's work and decoding the answers; one client (socket) is reused, as a long-running
/// process would. The tools' times include starting the process.
/// </summary>
/// <remarks>
/// Besides wall-clock medians (the table's columns), each row's note gives the CPU-time medians
/// (user + system, which includes the kernel's work done in our sendmsg): this library's process
/// against the tool's process (getrusage RUSAGE_CHILDREN). On a shared, loaded machine the CPU
/// times are the steadier comparison.
/// </remarks>
public static partial class BenchmarkSuites
{
    private static readonly bool s_nftables = Add("nftables", NfTablesAsync);

    private const int RuleCount = 10_000;
    private const string Table = "bench";
    private const string Chain = "pre";

    private static async Task NfTablesAsync(BenchmarkReport report, int runs)
    {
        using var ns = new TestNamespace("bench");
        using var client = new NfTablesClient(ns.Namespace);
        string linearScript = LinearScript();
        string mapScript = MapScript();
        string iptablesScript = IptablesScript();
        Action flush = () => ns.Nft("flush", "ruleset");

        // 1. 10,000 linear DNAT rules in one transaction.
        Timing library = await MeasureAsync(runs, async () =>
        {
            NfTablesCommitResult result = await client.CommitAsync(LinearTransaction());
            Check(result.Handles.Count == RuleCount + 2 && result.Handles[^1] != 0, "library: 10,000 handles");
        }, flush);
        CheckRuleCount(ns, RuleCount);
        Timing nft = await MeasureAsync(runs, () => ns.NftScript(linearScript), flush, tool: true);
        CheckRuleCount(ns, RuleCount);
        Timing iptables = await MeasureAsync(runs, () => Tool.Run("ip", new[] { "netns", "exec", ns.Name, "iptables-nft-restore" }, iptablesScript).EnsureSuccess("iptables-nft-restore"), flush, tool: true);
        Check(ns.Nft("list", "chain", "ip", "nat", "PREROUTING").Split('\n').Count(l => l.Contains("dnat", StringComparison.Ordinal) || l.Contains("DNAT", StringComparison.Ordinal)) == RuleCount, "iptables-nft-restore: 10,000 rules");
        Add(report, "apply 10,000 linear DNAT rules (1 transaction)", library, "nft -f", nft);
        Add(report, "apply 10,000 linear DNAT rules (1 transaction)", library, "iptables-nft-restore", iptables);

        // 2. One map of 10,000 elements.
        library = await MeasureAsync(runs, async () => { await client.CommitAsync(MapTransaction()); }, flush);
        CheckElementCount(client, RuleCount);
        nft = await MeasureAsync(runs, () => ns.NftScript(mapScript), flush, tool: true);
        CheckElementCount(client, RuleCount);
        Add(report, "apply a map of 10,000 elements (1 transaction)", library, "nft -f", nft);

        // 3. Add one rule, delete one rule, with 10,000 present.
        flush();
        await client.CommitAsync(LinearTransaction());
        ulong added = 0;
        library = await MeasureAsync(runs, async () =>
        {
            added = (await client.CommitAsync(new NfTablesTransaction().AddRule(Dnat(65000, IPAddress.Parse("10.200.0.1"))))).Handles[0];
        }, () => DeleteRulesFor(client, 65000));
        CheckRuleCount(ns, RuleCount + 1);
        nft = await MeasureAsync(runs, () => ns.Nft("add", "rule", "ip", Table, Chain, "tcp", "dport", "65000", "dnat", "to", "10.200.0.1:8080"), () => DeleteRulesFor(client, 65000), tool: true);
        CheckRuleCount(ns, RuleCount + 1);
        DeleteRulesFor(client, 65000);
        Add(report, "add 1 rule with 10,000 present", library, "nft add rule", nft);

        ulong victim = 0;
        Action addVictim = () => victim = client.CommitAsync(new NfTablesTransaction().AddRule(Dnat(65001, IPAddress.Parse("10.200.0.2")))).GetAwaiter().GetResult().Handles[0];
        library = await MeasureAsync(runs, async () => { await client.CommitAsync(new NfTablesTransaction().DeleteRule(NetfilterFamily.IPv4, Table, Chain, victim)); }, addVictim);
        CheckRuleCount(ns, RuleCount);
        nft = await MeasureAsync(runs, () => ns.Nft("delete", "rule", "ip", Table, Chain, "handle", victim.ToString(CultureInfo.InvariantCulture)), addVictim, tool: true);
        CheckRuleCount(ns, RuleCount);
        Add(report, "delete 1 rule by handle with 10,000 present", library, "nft delete rule ... handle N", nft);

        // 4. Read 10,000 rules back.
        library = await MeasureAsync(runs, async () =>
        {
            Ruleset ruleset = await client.GetRulesetAsync();
            Check(ruleset.Rules.Count == RuleCount, "library: 10,000 rules read back");
        });
        Timing stream = await MeasureAsync(runs, async () =>
        {
            int n = 0;
            await foreach (Rule rule in client.ListRulesAsync(NetfilterFamily.IPv4, Table, Chain))
            {
                n += rule.Expressions.Count > 0 ? 1 : 0;
            }
            Check(n == RuleCount, "library: 10,000 rules streamed");
        });
        nft = await MeasureAsync(runs, () => ns.Nft("list", "ruleset"), tool: true);
        Add(report, "read 10,000 rules (GetRulesetAsync snapshot)", library, "nft list ruleset", nft, "nft also formats text");
        Add(report, "read 10,000 rules (ListRulesAsync stream)", stream, "nft list ruleset", nft);
    }

    /// <summary>Wall-clock and CPU medians of one measured action, in milliseconds.</summary>
    private readonly record struct Timing(double WallMs, double CpuMs);

    private static void Add(BenchmarkReport report, string benchmarkCase, Timing library, string reference, Timing tool, string note = "")
    {
        string cpu = string.Create(CultureInfo.InvariantCulture, $"CPU median: library {library.CpuMs:0} ms, {reference} {tool.CpuMs:0} ms ({tool.CpuMs / Math.Max(library.CpuMs, 0.1):0.0}x)");
        report.Add(benchmarkCase, library.WallMs, reference, tool.WallMs, note.Length == 0 ? cpu : note + "; " + cpu);
    }

    /// <summary>
    /// Medians over <paramref name="runs"/> runs, <paramref name="beforeEach"/> untimed, after
    /// warm-up runs: three for the library, so that tiered JIT has compiled the hot paths as it
    /// would have in a long-running process, one for a tool. CPU is this process's (library) or
    /// the children's (tool: the timed action starts one process and waits for it).
    /// </summary>
    private static async Task<Timing> MeasureAsync(int runs, Func<Task> action, Action? beforeEach = null, bool tool = false)
    {
        for (int warmUp = tool ? 1 : 3; warmUp > 0; warmUp--)
        {
            beforeEach?.Invoke();
            await action();
        }
        var walls = new List<double>();
        var cpus = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            beforeEach?.Invoke();
            double cpu0 = CpuMs(tool);
            var sw = Stopwatch.StartNew();
            await action();
            walls.Add(sw.Elapsed.TotalMilliseconds);
            cpus.Add(CpuMs(tool) - cpu0);
        }
        walls.Sort();
        cpus.Sort();
        return new Timing(walls[walls.Count / 2], cpus[cpus.Count / 2]);
    }

    private static Task<Timing> MeasureAsync(int runs, Action action, Action? beforeEach = null, bool tool = false) =>
        MeasureAsync(runs, () => { action(); return Task.CompletedTask; }, beforeEach, tool);

    private static double CpuMs(bool children)
    {
        if (!children)
        {
            using Process me = Process.GetCurrentProcess();
            return me.TotalProcessorTime.TotalMilliseconds;
        }
        if (GetResourceUsage(-1 /* RUSAGE_CHILDREN */, out ResourceUsage usage) != 0)
        {
            throw new InvalidOperationException("getrusage(RUSAGE_CHILDREN) failed");
        }
        return (usage.UserSeconds + usage.SystemSeconds) * 1000.0 + (usage.UserMicroseconds + usage.SystemMicroseconds) / 1000.0;
    }

    /// <summary>struct rusage on 64-bit Linux: two struct timeval, then 14 longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public fixed long Rest[14];
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"benchmark result check failed: {what}");
        }
    }

    private static void CheckRuleCount(TestNamespace ns, int expected)
    {
        int count = ns.Nft("list", "chain", "ip", Table, Chain).Split('\n').Count(l => l.Contains(" dnat to ", StringComparison.Ordinal));
        Check(count == expected, $"{expected} rules in the chain (nft lists {count})");
    }

    private static void CheckElementCount(NfTablesClient client, int expected)
    {
        int count = 0;
        foreach (SetElement _ in client.ListElementsAsync(NetfilterFamily.IPv4, Table, "fwdmap").ToBlockingEnumerable())
        {
            count++;
        }
        Check(count == expected, $"{expected} map elements (read back {count})");
    }

    private static void DeleteRulesFor(NfTablesClient client, ushort port)
    {
        var tx = new NfTablesTransaction();
        foreach (Rule rule in client.ListRulesAsync(NetfilterFamily.IPv4, Table, Chain).ToBlockingEnumerable())
        {
            if (rule.Expressions.Count > 3 && rule.Expressions[3] is CmpExpression { Data: var data } && data.Equals(NftData.FromPort(port)))
            {
                tx.DeleteRule(NetfilterFamily.IPv4, Table, Chain, rule.Handle);
            }
        }
        if (tx.Count > 0)
        {
            client.CommitAsync(tx).GetAwaiter().GetResult();
        }
    }

    private static ushort Port(int i) => (ushort)(1024 + i);

    private static IPAddress Backend(int i) => new(new[] { (byte)10, (byte)(i >> 16), (byte)(i >> 8), (byte)i });

    private static Chain NatChain() => new(NetfilterFamily.IPv4, Table, Chain)
    {
        Type = "nat",
        Policy = VerdictKind.Accept,
        Hook = new ChainHook(ChainHooks.Prerouting, ChainPriorities.DestinationNat),
    };

    /// <summary>tcp dport {port} dnat to {address}:8080.</summary>
    private static Rule Dnat(ushort port, IPAddress address) => new(NetfilterFamily.IPv4, Table, Chain, new NftExpression[]
    {
        MetaExpression.Load(MetaKey.L4Proto, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(6)),
        PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort(port)),
        new ImmediateExpression(Register.R1, NftData.FromIPAddress(address)),
        new ImmediateExpression(Register.R2, NftData.FromPort(8080)),
        new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = Register.R1, ProtoMin = Register.R2, Flags = NatRangeFlags.ProtoSpecified },
    });

    private static NfTablesTransaction LinearTransaction()
    {
        var tx = new NfTablesTransaction().AddTable(new Table(NetfilterFamily.IPv4, Table)).AddChain(NatChain());
        for (int i = 0; i < RuleCount; i++)
        {
            tx.AddRule(Dnat(Port(i), Backend(i)));
        }
        return tx;
    }

    /// <summary>map fwdmap { type inet_service : ipv4_addr; elements = { 1024 : 10.0.0.0, ... } }.</summary>
    private static NfTablesTransaction MapTransaction()
    {
        var map = new Set(NetfilterFamily.IPv4, Table, "fwdmap")
        {
            Flags = SetFlags.Map,
            KeyType = SetDataTypes.InetService,
            KeyLength = 2,
            DataType = SetDataTypes.IPv4Address,
            DataLength = 4,
            Id = 1,
        };
        var elements = new SetElement[RuleCount];
        for (int i = 0; i < RuleCount; i++)
        {
            elements[i] = new SetElement(NftData.FromPort(Port(i))) { Data = NftData.FromIPAddress(Backend(i)) };
        }
        return new NfTablesTransaction().AddTable(new Table(NetfilterFamily.IPv4, Table)).AddSet(map, elements);
    }

    private static string LinearScript()
    {
        var sb = new StringBuilder();
        sb.Append("add table ip ").Append(Table).Append('\n');
        sb.Append("add chain ip ").Append(Table).Append(' ').Append(Chain).Append(" { type nat hook prerouting priority dstnat; policy accept; }\n");
        for (int i = 0; i < RuleCount; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"add rule ip {Table} {Chain} tcp dport {Port(i)} dnat to {Backend(i)}:8080\n");
        }
        return sb.ToString();
    }

    private static string MapScript()
    {
        var sb = new StringBuilder();
        sb.Append("add table ip ").Append(Table).Append('\n');
        sb.Append("add map ip ").Append(Table).Append(" fwdmap { type inet_service : ipv4_addr; elements = { ");
        for (int i = 0; i < RuleCount; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}{Port(i)} : {Backend(i)}");
        }
        sb.Append(" } }\n");
        return sb.ToString();
    }

    private static string IptablesScript()
    {
        var sb = new StringBuilder("*nat\n:PREROUTING ACCEPT [0:0]\n");
        for (int i = 0; i < RuleCount; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"-A PREROUTING -p tcp --dport {Port(i)} -j DNAT --to-destination {Backend(i)}:8080\n");
        }
        sb.Append("COMMIT\n");
        return sb.ToString();
    }
}
