using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// <see cref="NfTablesTransaction.ReturnsHandles"/>: rules ask for their NLM_F_ECHO copy (and so
/// for their handle) by default, and not when the transaction says nobody needs them, as a
/// restore does; everything else in the batch is the same.
/// </summary>
public sealed class ReturnsHandlesTests
{
    private static List<RawMessage> Sent(NfTablesTransaction transaction)
    {
        var kernel = new FakeKernel().AcknowledgeUnscripted();
        using var client = new NfTablesClient(kernel);
        client.CommitAsync(transaction).GetAwaiter().GetResult();
        return RawMessage.Split(kernel.Requests.Single().Datagram.ToArray());
    }

    private static NfTablesTransaction With(NfTablesTransaction transaction) => transaction
        .AddTable(new Table(NetfilterFamily.IPv4, "t"))
        .AddChain(new Chain(NetfilterFamily.IPv4, "t", "c"))
        .AddRule(new Rule(NetfilterFamily.IPv4, "t", "c", new NftExpression[] { new CounterExpression(0, 0) }));

    [Fact]
    public void Rules_ask_for_their_echo_unless_the_transaction_needs_no_handles()
    {
        List<RawMessage> echoed = Sent(With(new NfTablesTransaction()));
        List<RawMessage> quiet = Sent(With(new NfTablesTransaction { ReturnsHandles = false }));
        RawMessage rule = echoed.Single(m => m.NfTablesMessage == 6);
        (rule.Flags & RawMessage.FlagEcho).Should().NotBe(0);
        RawMessage quietRule = quiet.Single(m => m.NfTablesMessage == 6);
        (quietRule.Flags & RawMessage.FlagEcho).Should().Be(0, "NLM_F_ECHO is left out");
        quiet.Select(m => ((ushort)(m.Flags | (m.NfTablesMessage == 6 ? RawMessage.FlagEcho : 0)), m.Payload.Length))
            .Should().Equal(echoed.Select(m => (m.Flags, m.Payload.Length)), "nothing else changes");
    }
}
