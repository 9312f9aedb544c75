using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// The linearizer without the kernel: what it must explain (a read during a call sees the state
/// before or after it) and what it must not (a read of a half-applied change, a lost update), so
/// that the concurrency tests can fail.
/// </summary>
public sealed class ModelLinearizerTests
{
    private static readonly NatRule A = new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse("10.0.2.2"), masquerade: true);
    private static readonly NatRule B = new RedirectRule(TransportProtocol.Tcp, PortRange.Single(81), 8080);

    private static ConcurrentCall Call(int writer, int index, ModelOp op, long start, long end, string observed) => new(writer, index, op, start, end, observed, 1);

    private static bool Explained(IReadOnlyList<IReadOnlyList<ConcurrentCall>> writers, params NatRule[] kernel) =>
        ModelLinearizer.Find(writers, new ModelTable("t"), m => m.Texts.SetEquals(kernel.Select(r => r.ToString())), 10_000, out _) is not null;

    private static string Lists(params NatRule[] rules) => ModelLinearizer.Listed(rules.Select(r => r.ToString()));

    [Fact]
    public void A_read_during_a_call_sees_the_state_before_or_after_it_and_a_read_after_it_the_state_after()
    {
        foreach (string seen in new[] { Lists(), Lists(A) })
        {
            Explained(new[] { new[] { Call(0, 0, new AddOp(A), 0, 10, "added") }, new[] { Call(1, 0, ReadOp.Instance, 5, 6, seen) } }, A)
                .Should().BeTrue($"a read during the add may see {seen}");
        }
        Explained(new[] { new[] { Call(0, 0, new AddOp(A), 0, 10, "added") }, new[] { Call(1, 0, ReadOp.Instance, 20, 30, Lists()) } }, A)
            .Should().BeFalse("a read that started after the add ended must see it");
    }

    [Fact]
    public void A_read_of_a_half_applied_change_and_a_lost_update_have_no_serial_order()
    {
        Explained(new[]
        {
            new[] { Call(0, 0, new ApplyOp(new[] { A, B }), 0, 10, ModelLinearizer.Expected(new ModelTable("t"), new ApplyOp(new[] { A, B }))) },
            new[] { Call(1, 0, ReadOp.Instance, 5, 6, Lists(A)) },
        }, A, B).Should().BeFalse("no serial order has A without B");

        Explained(new[] { new[] { Call(0, 0, new AddOp(A), 0, 10, "added") }, new[] { Call(1, 0, new AddOp(B), 0, 10, "added") } }, B)
            .Should().BeFalse("both adds answered 'added', so the kernel must hold both");
        Explained(new[] { new[] { Call(0, 0, new AddOp(A), 0, 10, "added") }, new[] { Call(1, 0, new AddOp(B), 0, 10, "added") } }, A, B)
            .Should().BeTrue();
    }

    [Fact]
    public void When_nothing_explains_the_calls_the_failure_names_the_call_that_does_not_fit_and_the_models_answer()
    {
        var writers = new[]
        {
            new[] { Call(0, 0, new AddOp(A), 0, 10, "added") },
            new[] { Call(1, 0, ReadOp.Instance, 20, 30, Lists()) },
        };
        ModelLinearizer.Find(writers, new ModelTable("t"), _ => true, 10_000, out _, out string? why).Should().BeNull();
        why.Should().Contain("places 1 of 2 calls").And.Contain("writer 1 call 0").And.Contain("the model would answer: " + Lists(A));
    }

    [Fact]
    public void A_call_or_read_that_gave_up_under_contention_is_no_step_and_no_observation()
    {
        ModelLinearizer.Outcome(ReadOp.Instance, null, new NetlinkDumpInterruptedException("ruleset snapshot", 0, 10)).Should().Be(ModelLinearizer.GaveUp);
        ModelLinearizer.Outcome(new AddOp(A), null, new NetlinkDumpInterruptedException("ruleset snapshot", 0, 10)).Should().Be(ModelLinearizer.GaveUp);
        ModelLinearizer.Outcome(ReadOp.Instance, null, new InvalidOperationException("boom")).Should().StartWith("threw");
        Explained(new[]
        {
            new[] { Call(0, 0, new AddOp(A), 0, 10, ModelLinearizer.GaveUp), Call(0, 1, ReadOp.Instance, 11, 12, ModelLinearizer.GaveUp) },
            new[] { Call(1, 0, new AddOp(B), 0, 5, "added"), Call(1, 1, ReadOp.Instance, 20, 30, Lists(B)) },
        }, B).Should().BeTrue("the add that gave up changed nothing and the read that gave up saw nothing");
        Explained(new[]
        {
            new[] { Call(0, 0, new AddOp(A), 0, 10, ModelLinearizer.GaveUp) },
            new[] { Call(1, 0, ReadOp.Instance, 20, 30, Lists(A)) },
        }, A).Should().BeFalse("a call that gave up cannot have added its rule");
    }
}
