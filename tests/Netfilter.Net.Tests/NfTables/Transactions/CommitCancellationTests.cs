using Netfilter.Net.NfTables;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// Issue 15 D7, in the library: <see cref="NfTablesClient.CommitAsync"/> observes cancellation
/// until the batch is sent and not after. nfnetlink applies or refuses a batch inside the
/// sendmsg that carries it, so a commit cancelled after sending must report what the kernel
/// did, never "cancelled" for a change that was applied.
/// </summary>
public sealed class CommitCancellationTests
{
    private static NfTablesTransaction Change() => new NfTablesTransaction().AddTable(new Table(NetfilterFamily.Inet, "t"));

    [Fact]
    public async Task A_commit_cancelled_before_it_is_sent_sends_nothing()
    {
        var kernel = new FakeKernel().AcknowledgeUnscripted();
        using var client = new NfTablesClient(kernel);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Func<Task> commit = () => client.CommitAsync(Change(), cts.Token);
        await commit.Should().ThrowAsync<OperationCanceledException>();
        kernel.Requests.Should().BeEmpty("nothing was applied");
    }

    [Fact]
    public async Task A_commit_cancelled_once_the_kernel_has_the_batch_reports_that_it_was_applied()
    {
        var kernel = new FakeKernel();
        using var cts = new CancellationTokenSource();
        // Ctrl-C arrives while the kernel runs the batch: its answer is already on its way.
        kernel.OnNextRequest(request =>
        {
            cts.Cancel();
            return request.Messages.Where(m => m.WantsAck).Select(m => (FakeStep)FakeReply.Ack(m.Header)).ToList();
        });
        using var client = new NfTablesClient(kernel);
        NfTablesCommitResult result = await client.CommitAsync(Change(), cts.Token);
        result.Messages.Should().Be(1);
        kernel.Requests.Should().ContainSingle();
    }
}
