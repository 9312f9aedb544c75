using System.Globalization;
using System.Net;
using Netfilter.Net.Conntrack;
using Netfilter.Net.NativeTests.Conntrack;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.Foundation;

/// <summary>
/// Issue 10 item 4: an *Async method does not hold a thread while it waits for the kernel, and a
/// client can be called from inside an enumeration of one of its own dumps.
/// </summary>
public sealed class AsyncIoTests
{
    private const int Concurrent = 200;

    /// <summary>
    /// 200 tasks, on a thread pool capped at 4 threads, each dump the nft tables and the conntrack
    /// table and wait for a conntrack event, all at once (a child process: the cap is per process).
    /// Every task completes, and the process needs no thread per pending wait.
    /// </summary>
    [NativeFact]
    public void Two_hundred_concurrent_dumps_and_waits_complete_on_a_four_thread_pool_without_a_thread_per_wait()
    {
        using var ns = new TestNamespace("async");
        ns.NftScript("table inet content {\n  chain c {\n    type filter hook input priority 0; policy accept;\n  }\n}\n");
        using (var conntrack = new ConntrackClient(ns.Namespace))
        {
            conntrack.CreateAsync(Enumerable.Range(0, 50).Select(i => Entries.Tcp(i))).GetAwaiter().GetResult().Should().Be(50);
        }
        string self = typeof(Program).Assembly.Location;

        // Both limits (this one and the child's own) only guard against a hang. Each of the 400
        // conntrack dumps walks the kernel's one hash table, other namespaces' entries included,
        // so on a machine where something else holds 200,000 entries the child spends minutes of
        // system time in those walks; its 4 pool threads are then inside sendmsg and recvmsg, and
        // its own timer cannot fire before they return.
        Tool.Result result = Tool.Run("ip", new[] { "netns", "exec", ns.Name, "dotnet", self, "child", "concurrent-waits", Concurrent.ToString(CultureInfo.InvariantCulture) }, timeout: TimeSpan.FromMinutes(10));

        result.ExitCode.Should().Be(0, $"every task must complete: {result.StandardOutput} {result.StandardError}");
        string[] figures = result.StandardOutput.Trim().Split(' ');
        figures[0].Should().Be($"completed={Concurrent}");
        int threads = int.Parse(figures[1]["threads=".Length..], CultureInfo.InvariantCulture);
        threads.Should().BeLessThan(64, $"{Concurrent} pending waits for the kernel must not take a thread each (the process had {threads})");
    }

    [NativeFact]
    public async Task The_nftables_client_can_be_called_while_one_of_its_dumps_is_being_enumerated()
    {
        using var ns = new TestNamespace("reent");
        ns.NftScript("table inet a { }\ntable inet b { }\n");
        using var nft = new NfTablesClient(ns.Namespace);
        var seen = new List<string>();

        Func<Task> enumerate = async () =>
        {
            await foreach (Table table in nft.ListTablesAsync(NetfilterFamily.Inet))
            {
                seen.Add(table.Name);
                // Requests on the client's own socket, and another dump, from inside the enumeration.
                (await nft.GetGenerationAsync()).Id.Should().BeGreaterThan(0);
                await nft.CommitAsync(new NfTablesTransaction().AddTable(new Table(NetfilterFamily.Inet, "added-" + table.Name)));
                int chains = 0;
                await foreach (Chain chain in nft.ListChainsAsync(NetfilterFamily.Inet))
                {
                    chains++;
                }
                chains.Should().Be(0);
            }
        };

        await enumerate.Should().CompleteWithinAsync(TimeSpan.FromSeconds(30));
        seen.Should().BeEquivalentTo("a", "b");
        ns.Nft("list", "tables").Should().Contain("table inet added-a").And.Contain("table inet added-b");
    }

    [NativeFact]
    public async Task The_conntrack_client_can_delete_entries_as_its_dump_streams_them()
    {
        using var ns = new TestNamespace("reent");
        using var conntrack = new ConntrackClient(ns.Namespace);
        (await conntrack.CreateAsync(Enumerable.Range(0, 300).Select(i => Entries.Udp(i)))).Should().Be(300);
        int deleted = 0;

        Func<Task> enumerate = async () =>
        {
            await foreach (ConntrackEntry entry in conntrack.DumpAsync())
            {
                if (await conntrack.DeleteAsync(entry))
                {
                    deleted++;
                }
            }
        };

        await enumerate.Should().CompleteWithinAsync(TimeSpan.FromSeconds(30));
        deleted.Should().Be(300);
        ns.Check("conntrack", "-C").Trim().Should().Be("0");
    }
}
