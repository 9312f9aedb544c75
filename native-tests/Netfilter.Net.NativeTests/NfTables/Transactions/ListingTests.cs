using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.NfTables.Transactions;

/// <summary>
/// Reading back: the per-object dumps filter by table and chain like nft does, and a snapshot
/// taken while another process keeps committing is consistent (every part read at one
/// generation) or fails with the typed error after its bounded retries.
/// </summary>
public sealed class ListingTests
{
    [NativeFact]
    public async Task Per_object_dumps_return_exactly_the_objects_of_the_table_and_chain_asked_for()
    {
        using var ns = new TestNamespace();
        ns.NftScript("""
            table ip txn {
              set s { type ipv4_addr; elements = { 192.0.2.1 } }
              chain pre { type nat hook prerouting priority dstnat; policy accept; counter accept comment "pre"; }
              chain other { counter accept comment "other1"; counter drop comment "other2"; }
            }
            table inet elsewhere {
              set t { type ipv4_addr; }
              chain c { counter accept comment "elsewhere"; }
            }
            """);
        using var client = new NfTablesClient(ns.Namespace);

        var chains = await client.ListChainsAsync(NetfilterFamily.IPv4, "txn").ToListAsync();
        var rules = await client.ListRulesAsync(NetfilterFamily.IPv4, "txn", "other").ToListAsync();
        var allRules = await client.ListRulesAsync().ToListAsync();
        var sets = await client.ListSetsAsync(NetfilterFamily.Inet, "elsewhere").ToListAsync();

        chains.Select(c => c.Name).Should().BeEquivalentTo("pre", "other");
        chains.Single(c => c.Name == "pre").IsBaseChain.Should().BeTrue();
        rules.Select(r => (r.Comment, r.Handle)).Should().Equal(SampleRuleset.ListedRules(ns, "other").Select(r => (r.Text.Split('"')[1], r.Handle)).Select(x => ((string?)x.Item1, x.Handle)));
        allRules.Select(r => r.Comment).Should().BeEquivalentTo("pre", "other1", "other2", "elsewhere");
        sets.Should().ContainSingle().Which.Name.Should().Be("t");
    }

    [NativeFact]
    public async Task A_snapshot_taken_while_another_process_keeps_committing_is_consistent_or_fails_typed()
    {
        using var ns = new TestNamespace();
        using var client = new NfTablesClient(ns.Namespace);
        var tx = new NfTablesTransaction()
            .AddTable(SampleRuleset.NatTable())
            .AddChain(SampleRuleset.PreroutingChain())
            .AddChain(SampleRuleset.RegularChain("other"));
        for (int i = 0; i < 2000; i++)
        {
            tx.AddRule(SampleRuleset.Dnat(SampleRuleset.Port(i), SampleRuleset.Backend(i)));
        }
        await client.CommitAsync(tx);
        uint baseGeneration = (await client.GetGenerationAsync()).Id;

        // Another process commits one rule per transaction into "other", 40 times, as fast as nft
        // runs: a dump of 2,000 rules can take longer than the gap between two commits, so a
        // snapshot may give up (the typed error) while the commits run. After every tenth commit
        // the writer waits until the reader has read once more consistently: in a quiet window the
        // re-read must succeed, however fast or slow this machine's nft and dump are.
        const int Commits = 40, QuietEvery = 10;
        int consistent = 0, interrupted = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task writer = Task.Run(async () =>
        {
            for (int i = 1; i <= Commits && !stop.IsCancellationRequested; i++)
            {
                ns.Nft("add", "rule", "ip", "txn", "other", "accept");
                if (i % QuietEvery == 0)
                {
                    int before = Volatile.Read(ref consistent);
                    while (Volatile.Read(ref consistent) == before && !stop.IsCancellationRequested)
                    {
                        await Task.Delay(5);
                    }
                }
            }
        });
        while (!writer.IsCompleted)
        {
            try
            {
                Ruleset snapshot = await client.GetRulesetAsync();
                // Each of the other process's transactions added exactly one rule and one generation.
                snapshot.Rules.Count(r => r.Chain == "other").Should().Be((int)(snapshot.Generation - baseGeneration));
                snapshot.Rules.Count(r => r.Chain == SampleRuleset.Chain).Should().Be(2000);
                Interlocked.Increment(ref consistent);
            }
            catch (NetlinkDumpInterruptedException e)
            {
                e.Attempts.Should().Be(NfTablesClient.SnapshotAttempts);
                interrupted++;
            }
        }
        await writer;

        stop.IsCancellationRequested.Should().BeFalse($"every quiet window must give a consistent snapshot within a minute in all ({consistent} consistent, {interrupted} gave up)");
        consistent.Should().BeGreaterThanOrEqualTo(Commits / QuietEvery, $"each quiet window gives a consistent snapshot ({interrupted} gave up)");
        Ruleset last = await client.GetRulesetAsync();
        last.Rules.Count(r => r.Chain == "other").Should().Be(40);
        last.Generation.Should().Be(baseGeneration + 40);
    }
}
