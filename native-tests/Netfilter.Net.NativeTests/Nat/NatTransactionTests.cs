using System.Net;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NativeTests.Nat.Model;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// Issue 9 item 4 and issue 15 D12: every change is one transaction with a generation check,
/// creating the table included; a change that lands between the read and the commit makes the
/// kernel refuse the commit, and the change is read again (logged) instead of acting on stale data.
/// </summary>
public sealed class NatTransactionTests
{
    private static readonly DnatRule Forward = new(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true);

    /// <summary>A rule-based forward (its pieces are rules, not map elements): the case of D12.</summary>
    private static readonly DnatRule Conditional = new(TransportProtocol.Tcp, PortRange.Single(3000), IPAddress.Parse("10.0.2.2"), PortRange.Single(22),
        sources: new[] { IPNetwork.Parse("10.0.1.0/24") }, masquerade: true);

    private static async Task<uint> GenerationAsync(TestNamespace ns)
    {
        using var client = new NfTablesClient(ns.Namespace);
        return (await client.GetGenerationAsync()).Id;
    }

    [NativeFact]
    public async Task The_first_AddAsync_on_a_fresh_table_is_one_transaction()
    {
        using var ns = new TestNamespace();
        using var nat = new NatTable("tx", new NatTableOptions { Namespace = ns.Namespace });
        uint before = await GenerationAsync(ns);
        (await nat.AddAsync(Forward)).Should().BeTrue();
        (await GenerationAsync(ns)).Should().Be(before + 1, "the table, its layout and the rule land in one transaction");
        ns.Nft("list", "tables").Should().Contain("table inet tx");

        before = await GenerationAsync(ns);
        (await nat.AddAsync(Forward)).Should().BeFalse();
        (await GenerationAsync(ns)).Should().Be(before, "adding a rule that is whole sends nothing");
        (await nat.RemoveAsync(Forward)).Should().NotBeNull();
        (await GenerationAsync(ns)).Should().Be(before + 1, "a remove is one transaction");
    }

    [NativeFact]
    public async Task A_change_between_read_and_commit_is_retried_and_logged()
    {
        using var ns = new TestNamespace();
        var logger = new RecordingLogger();
        int commits = 0;
        using var nat = new NatTable("tx", new NatTableOptions
        {
            Namespace = ns.Namespace,
            Logger = logger,
            BeforeCommit = _ =>
            {
                // Another writer, between this NatTable's read and its commit, the first time only.
                if (Interlocked.Increment(ref commits) == 1)
                {
                    ns.Nft("add", "table", "ip", "intruder");
                }
                return Task.CompletedTask;
            },
        });
        (await nat.AddAsync(Forward)).Should().BeTrue();
        commits.Should().Be(2, "the first commit was refused by the generation check and the add ran again");
        logger.Messages.Should().Contain("nat table tx: the ruleset changed between reading it and committing add (attempt 1 of 5); reading it again");
        ns.Nft("list", "tables").Should().Contain("table ip intruder").And.Contain("table inet tx");
        (await nat.ListAsync()).Should().Equal(Forward);

        commits = 0;
        ns.Nft("delete", "table", "ip", "intruder");
        (await nat.RemoveAsync(Forward)).Should().Be(Forward);
        commits.Should().Be(2);
        logger.Messages.Should().Contain("nat table tx: the ruleset changed between reading it and committing remove (attempt 1 of 5); reading it again");

        commits = 0;
        ns.Nft("delete", "table", "ip", "intruder");
        NatApplyResult applied = await nat.ApplyAsync(new NatRule[] { Forward, Conditional });
        applied.Attempts.Should().Be(2);
        applied.Added.Should().HaveCount(2);
        logger.Messages.Should().Contain("nat table tx: the ruleset changed between reading it and committing apply (attempt 1 of 5); reading it again");
        (await nat.InspectAsync()).IsIntact.Should().BeTrue();
    }

    [NativeFact]
    public async Task Two_writers_adding_the_same_rule_based_forward_add_it_once()
    {
        using var ns = new TestNamespace();
        using var other = new NatTable("tx", new NatTableOptions { Namespace = ns.Namespace });
        bool injected = false;
        using var nat = new NatTable("tx", new NatTableOptions
        {
            Namespace = ns.Namespace,
            BeforeCommit = async ct =>
            {
                // The other writer adds the same rule after this one read the table (and found it absent).
                if (!injected)
                {
                    injected = true;
                    (await other.AddAsync(Conditional, ct)).Should().BeTrue();
                }
            },
        });
        (await nat.AddAsync(Conditional)).Should().BeFalse("after the refused commit it read the table again and found the rule whole");
        injected.Should().BeTrue();
        ns.Nft("-a", "list", "chain", "inet", "tx", "pre_rules").Split('\n').Count(l => l.Contains("comment \"dnat tcp 3000")).Should().Be(1, "the rule is there once, not twice");
        (await nat.InspectAsync()).Rules.Should().Equal(Conditional);
    }

    [NativeFact]
    public async Task Concurrent_adds_of_one_rule_based_forward_from_four_tables_add_it_once_each_round()
    {
        using var ns = new TestNamespace();
        var tables = Enumerable.Range(0, 4).Select(_ => new NatTable("tx", new NatTableOptions { Namespace = ns.Namespace, ApplyAttempts = 20 })).ToList();
        try
        {
            for (int round = 0; round < 15; round++)
            {
                bool[] added = await Task.WhenAll(tables.Select(t => Task.Run(() => t.AddAsync(Conditional))));
                added.Count(a => a).Should().Be(1, $"round {round}: exactly one writer added it, the others found it whole");
                NatTableReport report = await tables[0].InspectAsync();
                report.Rules.Should().Equal(Conditional);
                report.IsIntact.Should().BeTrue(report.ToString());
                (await tables[round % 4].RemoveAsync(Conditional)).Should().Be(Conditional);
            }
        }
        finally
        {
            tables.ForEach(t => t.Dispose());
        }
    }

    /// <summary>Issue 9, "Must show": two ApplyAsync callers with different desired sets (one identity in both, with other targets) end with exactly one of the two sets, in the kernel too.</summary>
    [NativeFact]
    public async Task Two_ApplyAsync_callers_with_different_desired_sets_end_with_exactly_one_of_the_two_sets()
    {
        NatRule[] first = { Forward, new RedirectRule(TransportProtocol.Tcp, PortRange.Single(8000), 8080) };
        NatRule[] second =
        {
            new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.3"), PortRange.Single(22)), // Forward's identity, another target
            Conditional,
            new RedirectRule(TransportProtocol.Udp, PortRange.Single(8001), 8081),
        };
        using var ns = new TestNamespace();
        const string table = "tx";

        // Which set the kernel holds: exactly the pieces of one set's rules (nft's listing against the model), ListAsync that set, the table intact.
        async Task<NatRule[]?> HeldAsync(NatTable reader)
        {
            var listed = (await reader.ListAsync()).Select(r => r.ToString()).ToHashSet(StringComparer.Ordinal);
            NatTableReport report = await reader.InspectAsync();
            report.IsIntact.Should().BeTrue(report.ToString());
            NftTableOracle nft = NftTableOracle.Read(ns, table);
            foreach (NatRule[] set in new[] { first, second })
            {
                var model = new ModelTable(table);
                model.Apply(set);
                if (listed.SetEquals(model.Texts) && nft.Differences(model).Count == 0)
                {
                    return set;
                }
            }
            return null;
        }

        // Deterministic: the other caller's apply lands between this one's read and its commit; this one is refused, reads again and wins.
        foreach ((NatRule[] mine, NatRule[] theirs) in new[] { (first, second), (second, first) })
        {
            using var other = new NatTable(table, new NatTableOptions { Namespace = ns.Namespace });
            await other.ApplyAsync(Array.Empty<NatRule>()); // from an empty table, so that either apply changes it
            bool injected = false;
            using var nat = new NatTable(table, new NatTableOptions
            {
                Namespace = ns.Namespace,
                BeforeCommit = async ct =>
                {
                    if (!injected)
                    {
                        injected = true;
                        (await other.ApplyAsync(theirs, ct)).Changed.Should().BeTrue();
                    }
                },
            });
            NatApplyResult result = await nat.ApplyAsync(mine);
            injected.Should().BeTrue();
            result.Attempts.Should().Be(2, "the commit computed before the other apply landed was refused");
            (await HeldAsync(nat)).Should().BeSameAs(mine, "the last commit was this caller's, computed from a fresh read");
        }

        // Racing for real: every round ends with one set whole, never a mix.
        var one = new NatTable(table, new NatTableOptions { Namespace = ns.Namespace, ApplyAttempts = 20 });
        var two = new NatTable(table, new NatTableOptions { Namespace = ns.Namespace, ApplyAttempts = 20 });
        try
        {
            var held = new Dictionary<NatRule[], int> { [first] = 0, [second] = 0 };
            for (int round = 0; round < 20; round++)
            {
                var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Task<NatApplyResult> a = Task.Run(async () => { await start.Task; return await one.ApplyAsync(first); });
                Task<NatApplyResult> b = Task.Run(async () => { await start.Task; return await two.ApplyAsync(second); });
                start.SetResult();
                await Task.WhenAll(a, b);
                NatRule[]? set = await HeldAsync(one);
                set.Should().NotBeNull($"round {round}: the table holds exactly the first or the second set: [{string.Join("; ", await one.ListAsync())}]");
                held[set!]++;
            }
            held.Values.Sum().Should().Be(20);
        }
        finally
        {
            one.Dispose();
            two.Dispose();
        }
    }

    [NativeFact]
    public async Task A_writer_that_keeps_losing_the_race_gives_up_after_ApplyAttempts_with_nothing_applied()
    {
        using var ns = new TestNamespace();
        int attempts = 0;
        using var nat = new NatTable("tx", new NatTableOptions
        {
            Namespace = ns.Namespace,
            ApplyAttempts = 3,
            BeforeCommit = _ =>
            {
                ns.Nft("add", "table", "ip", "intruder" + Interlocked.Increment(ref attempts));
                return Task.CompletedTask;
            },
        });
        await FluentActions.Awaiting(() => nat.AddAsync(Forward)).Should().ThrowAsync<NfTablesGenerationException>();
        attempts.Should().Be(3);
        ns.Nft("list", "tables").Should().NotContain("inet tx", "every attempt was refused whole");
    }
}
