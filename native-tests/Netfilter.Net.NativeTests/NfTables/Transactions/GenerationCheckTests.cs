using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.NfTables.Transactions;

/// <summary>
/// Optimistic concurrency: read the generation, compute, commit with
/// <see cref="NfTablesTransaction.ExpectedGeneration"/>. Another writer in between makes the
/// kernel refuse the batch (ERESTART) and the caller gets <see cref="NfTablesGenerationException"/>;
/// re-reading and committing again succeeds.
/// </summary>
public sealed class GenerationCheckTests
{
    private const string Setup = """
        table ip txn {
          chain pre { type nat hook prerouting priority dstnat; policy accept; }
        }
        """;

    [NativeFact]
    public async Task A_concurrent_nft_change_between_read_and_commit_fails_the_checked_transaction_and_a_retry_succeeds()
    {
        using var ns = new TestNamespace();
        ns.NftScript(Setup);
        using var client = new NfTablesClient(ns.Namespace);
        Ruleset read = await client.GetRulesetAsync();
        var tx = new NfTablesTransaction { ExpectedGeneration = read.Generation }
            .AddRule(SampleRuleset.CountAndAccept("ours"));

        // Someone else changes the ruleset after we read it.
        ns.Nft("add", "rule", "ip", "txn", "pre", "counter", "drop", "comment", "\"theirs\"");
        string afterTheirs = ns.Nft("-a", "list", "ruleset");
        Func<Task> commit = () => client.CommitAsync(tx);

        NfTablesGenerationException e = (await commit.Should().ThrowAsync<NfTablesGenerationException>()).Which;
        e.Errno.Should().Be(Errno.ERESTART);
        e.ExpectedGeneration.Should().Be(read.Generation);
        e.OperationIndex.Should().Be(-1, "the batch as a whole was refused");
        e.Message.Should().Contain($"no longer at generation {read.Generation}");
        ns.Nft("-a", "list", "ruleset").Should().Be(afterTheirs, "nothing of ours was applied");

        // Re-read and retry: now it lands after theirs.
        Ruleset reread = await client.GetRulesetAsync();
        reread.Generation.Should().NotBe(read.Generation);
        reread.Rules.Should().ContainSingle(r => r.Comment == "theirs");
        tx.ExpectedGeneration = reread.Generation;
        NfTablesCommitResult result = await client.CommitAsync(tx);
        SampleRuleset.ListedRules(ns).Select(r => r.Text).Should().Equal(
            "counter packets 0 bytes 0 drop comment \"theirs\"",
            "counter packets 0 bytes 0 accept comment \"ours\"");
        SampleRuleset.ListedRules(ns)[1].Handle.Should().Be(result.Handles[0]);
    }

    [NativeFact]
    public async Task The_same_transaction_without_the_check_is_applied_over_the_concurrent_change()
    {
        using var ns = new TestNamespace();
        ns.NftScript(Setup);
        using var client = new NfTablesClient(ns.Namespace);
        RulesetGeneration read = await client.GetGenerationAsync();
        ns.Nft("add", "rule", "ip", "txn", "pre", "counter", "drop", "comment", "\"theirs\"");

        await client.CommitAsync(new NfTablesTransaction().AddRule(SampleRuleset.CountAndAccept("ours")));

        SampleRuleset.ListedRules(ns).Should().HaveCount(2);
        (await client.GetGenerationAsync()).Id.Should().Be(read.Id + 2, "two transactions were committed: nft's and ours");
    }

    [NativeFact]
    public async Task A_checked_transaction_with_the_current_generation_applies()
    {
        using var ns = new TestNamespace();
        ns.NftScript(Setup);
        using var client = new NfTablesClient(ns.Namespace);
        RulesetGeneration current = await client.GetGenerationAsync();

        await client.CommitAsync(new NfTablesTransaction { ExpectedGeneration = current.Id }.AddRule(SampleRuleset.CountAndAccept("ours")));

        SampleRuleset.ListedRules(ns).Should().ContainSingle();
        (await client.GetGenerationAsync()).Id.Should().Be(current.Id + 1);
    }
}
