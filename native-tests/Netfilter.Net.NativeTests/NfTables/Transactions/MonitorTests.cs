using System.Net;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.NfTables.Transactions;

/// <summary>
/// <see cref="NfTablesMonitor"/> reports what nft and the library commit, decoded, one
/// transaction at a time (changes, then a new generation), and reports lost events as an item.
/// </summary>
public sealed class MonitorTests
{
    /// <summary>Reads events until <paramref name="generations"/> transactions have been reported (or 30 s pass).</summary>
    private static async Task<List<List<NfTablesEvent>>> ReadTransactionsAsync(NfTablesMonitor monitor, int generations)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var transactions = new List<List<NfTablesEvent>> { new() };
        await foreach (NfTablesEvent e in monitor.ReadEventsAsync(timeout.Token))
        {
            transactions[^1].Add(e);
            if (e.Kind == NfTablesEventKind.NewGeneration)
            {
                if (transactions.Count == generations)
                {
                    return transactions;
                }
                transactions.Add(new List<NfTablesEvent>());
            }
        }
        throw new TimeoutException($"saw {transactions.Count - 1} of {generations} transactions: {string.Join(", ", transactions.SelectMany(t => t))}");
    }

    [NativeFact]
    public async Task Changes_made_by_nft_are_reported_decoded_transaction_by_transaction()
    {
        using var ns = new TestNamespace();
        using var monitor = new NfTablesMonitor(ns.Namespace);
        ns.NftScript("""
            table ip txn {
              set s { type ipv4_addr; elements = { 192.0.2.1, 192.0.2.2 } }
              chain c { counter accept comment "x"; }
            }
            """);
        ulong handle = SampleRuleset.ListedRules(ns, "c").Single().Handle;
        ns.Nft("delete", "rule", "ip", "txn", "c", "handle", handle.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ns.Nft("delete", "table", "ip", "txn");

        List<List<NfTablesEvent>> transactions = await ReadTransactionsAsync(monitor, 3);

        List<NfTablesEvent> created = transactions[0];
        created.Should().Contain(e => e.Kind == NfTablesEventKind.NewTable && e.Table!.Name == "txn" && e.Family == NetfilterFamily.IPv4);
        created.Should().Contain(e => e.Kind == NfTablesEventKind.NewSet && e.Set!.Name == "s" && e.Set.KeyType == SetDataTypes.IPv4Address);
        created.Should().Contain(e => e.Kind == NfTablesEventKind.NewChain && e.Chain!.Name == "c");
        created.Where(e => e.Kind == NfTablesEventKind.NewElements).Should().OnlyContain(e => e.TableName == "txn" && e.SetName == "s");
        created.Where(e => e.Kind == NfTablesEventKind.NewElements).SelectMany(e => e.Elements!).Select(x => new IPAddress(x.Key.Span).ToString())
            .Should().BeEquivalentTo("192.0.2.1", "192.0.2.2");
        NfTablesEvent rule = created.Single(e => e.Kind == NfTablesEventKind.NewRule);
        rule.Rule!.Handle.Should().Be(handle);
        rule.Rule.Comment.Should().Be("x");
        string.Join(" ", rule.Rule.Expressions).Should().Be("[ counter pkts 0 bytes 0 ] [ immediate reg 0 accept ]");
        created[^1].Generation!.ProcessName.Should().Be("nft");

        transactions[1].Select(e => e.Kind).Should().Equal(NfTablesEventKind.DeleteRule, NfTablesEventKind.NewGeneration);
        transactions[1][0].Rule!.Handle.Should().Be(handle);

        transactions[2].Should().Contain(e => e.Kind == NfTablesEventKind.DeleteTable && e.Table!.Name == "txn");
        transactions[2][^1].Kind.Should().Be(NfTablesEventKind.NewGeneration);

        uint first = transactions[0][^1].Generation!.Id;
        transactions.Select(t => t[^1].Generation!.Id).Should().Equal(first, first + 1, first + 2);
    }

    [NativeFact]
    public async Task The_librarys_own_commit_is_reported_with_the_handles_it_returned()
    {
        using var ns = new TestNamespace();
        using var monitor = new NfTablesMonitor(ns.Namespace);
        using var client = new NfTablesClient(ns.Namespace);

        NfTablesCommitResult result = await client.CommitAsync(new NfTablesTransaction()
            .AddTable(SampleRuleset.NatTable())
            .AddChain(SampleRuleset.PreroutingChain())
            .AddRule(SampleRuleset.Dnat(80, IPAddress.Parse("10.0.0.1")))
            .AddRule(SampleRuleset.Dnat(443, IPAddress.Parse("10.0.0.2"))));

        List<NfTablesEvent> events = (await ReadTransactionsAsync(monitor, 1)).Single();
        events.Select(e => e.Kind).Should().Equal(NfTablesEventKind.NewTable, NfTablesEventKind.NewChain, NfTablesEventKind.NewRule, NfTablesEventKind.NewRule, NfTablesEventKind.NewGeneration);
        events.Where(e => e.Kind == NfTablesEventKind.NewRule).Select(e => e.Rule!.Handle).Should().Equal(result.Handles[2], result.Handles[3]);
        // NFTA_GEN_PROC_PID is task_pid_nr(current): the id of the thread that sent the batch, not the process id.
        events[^1].Generation!.ProcessId.Should().NotBe(0);
    }

    [NativeFact]
    public async Task Events_lost_to_a_full_buffer_are_reported_and_the_stream_goes_on()
    {
        using var ns = new TestNamespace();
        // A tiny buffer (the kernel makes it 8 KiB): one 2,000-rule transaction overflows it.
        using var monitor = new NfTablesMonitor(ns.Namespace, receiveBufferSize: 4096);
        var script = new System.Text.StringBuilder("add table ip txn\nadd chain ip txn c\n");
        for (int i = 0; i < 2000; i++)
        {
            script.Append("add rule ip txn c tcp dport ").Append(1024 + i).Append(" accept\n");
        }
        ns.NftScript(script.ToString());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<NfTablesEvent>();
        Task? nudging = null;
        await foreach (NfTablesEvent e in monitor.ReadEventsAsync(timeout.Token))
        {
            seen.Add(e);
            if (e.Kind == NfTablesEventKind.EventsLost && nudging is null)
            {
                // Once we read on, the buffer drains; a later change must still come through.
                nudging = Task.Run(async () =>
                {
                    for (int i = 0; i < 50 && !timeout.IsCancellationRequested; i++)
                    {
                        await Task.Delay(200);
                        ns.Nft("add", "table", "ip", "after");
                    }
                });
            }
            if (e.Kind == NfTablesEventKind.NewTable && e.Table!.Name == "after")
            {
                break;
            }
        }
        timeout.Cancel();

        seen.Should().Contain(e => e.Kind == NfTablesEventKind.EventsLost);
        seen.Count(e => e.Kind == NfTablesEventKind.NewRule).Should().BeLessThan(2000, "some notifications were dropped");
        seen[^1].Table!.Name.Should().Be("after");
        if (nudging is not null)
        {
            try { await nudging; } catch (InvalidOperationException) { }
        }
    }
}
