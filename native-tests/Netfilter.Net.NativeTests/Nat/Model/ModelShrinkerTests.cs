using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.NativeTests.Nat.Model;

/// <summary>
/// The shrinker and the replayable text, without the kernel: a failure planted in a long
/// generated sequence shrinks to the steps that cause it, and the printed steps parse back to the
/// same sequence (what NFNET_MODEL_REPLAY reads).
/// </summary>
public sealed class ModelShrinkerTests
{
    private static readonly NatRule Culprit = new DnatRule(TransportProtocol.Tcp, PortRange.Single(80), IPAddress.Parse("10.0.2.2"), masquerade: true);
    private static readonly NatRule Trigger = new RedirectRule(TransportProtocol.Tcp, PortRange.Single(81), 8080);

    /// <summary>A planted bug: a run fails at the first remove of <see cref="Trigger"/> that comes after an add of <see cref="Culprit"/>.</summary>
    private static Task<ModelRunFailure?> PlantedAsync(List<ModelOp> ops)
    {
        bool armed = false;
        for (int i = 0; i < ops.Count; i++)
        {
            armed |= ops[i] is AddOp { Rule: var a } && a.ToString() == Culprit.ToString();
            if (armed && ops[i] is RemoveOp { Rule: var r } && r.ToString() == Trigger.ToString())
            {
                return Task.FromResult<ModelRunFailure?>(new ModelRunFailure(i, ops, "planted", before: null));
            }
        }
        return Task.FromResult<ModelRunFailure?>(null);
    }

    [Fact]
    public async Task A_planted_failure_in_a_long_sequence_shrinks_to_the_two_steps_that_cause_it()
    {
        List<ModelOp> ops = ModelRuleSpace.Build(Enumerable.Range(1, 300).ToArray(), 10);
        ops.Insert(40, new AddOp(Culprit));
        ops.Insert(250, new RemoveOp(Trigger));
        ModelRunFailure failure = (await PlantedAsync(ops))!;
        failure.Should().NotBeNull("the planted steps are in the sequence");

        (List<ModelOp> shrunk, ModelRunFailure last, int runs) = await ModelShrinker.ShrinkAsync(failure, PlantedAsync, TimeSpan.FromMinutes(1));

        ModelOp.Print(shrunk).Should().Be($"add {Culprit}\nremove {Trigger}\n");
        last.Step.Should().Be(1);
        runs.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Printed_steps_parse_back_to_the_same_sequence()
    {
        List<ModelOp> ops = ModelRuleSpace.Build(Enumerable.Range(1000, 200).ToArray(), 7);
        string text = ModelOp.Print(ops);

        List<ModelOp> parsed = ModelOp.Parse("# a comment line, as a failure file starts\n" + text);

        ModelOp.Print(parsed).Should().Be(text);
        parsed.Should().HaveCount(ops.Count);
    }
}
