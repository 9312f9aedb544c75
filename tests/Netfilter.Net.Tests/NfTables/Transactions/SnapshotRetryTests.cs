using System.Buffers.Binary;
using Netfilter.Net.NfTables;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// Reading the ruleset while it changes: <see cref="NfTablesClient.GetRulesetAsync"/> re-reads
/// when the generation moved or a dump was marked NLM_F_DUMP_INTR, a bounded number of times, then
/// raises <see cref="NetlinkDumpInterruptedException"/>; the streamed per-object dumps deliver what
/// they read and then raise the same typed error.
/// </summary>
public sealed class SnapshotRetryTests
{
    private const ushort DumpInterrupted = RawMessage.FlagDumpInterrupted;

    /// <summary>A kernel holding one rule per GETRULE dump; <paramref name="generations"/> answers successive GETGENs.</summary>
    private sealed class ChangingKernel
    {
        private readonly Queue<uint> _generations;
        private readonly Func<int, (ulong Handle, ushort Flags)> _ruleDump;

        public ChangingKernel(IEnumerable<uint> generations, Func<int, (ulong Handle, ushort Flags)> ruleDump)
        {
            _generations = new Queue<uint>(generations);
            _ruleDump = ruleDump;
        }

        public int GenerationRequests { get; private set; }

        public int RuleDumps { get; private set; }

        public IEnumerable<byte[]> Answer(byte[] datagram)
        {
            RawMessage m = RawMessage.Split(datagram).Single();
            switch (m.NfTablesMessage)
            {
                case 16: // NFT_MSG_GETGEN
                    GenerationRequests++;
                    uint generation = _generations.Count > 1 ? _generations.Dequeue() : _generations.Peek();
                    return new[] { KernelReplies.Generation(m, 0x4242, generation), KernelReplies.Ack(m, 0x4242) };
                case 7: // NFT_MSG_GETRULE
                    (ulong handle, ushort flags) = _ruleDump(RuleDumps++);
                    return new[] { KernelReplies.DumpPart(m, 0x4242, RawMessage.NfTables | 6, RulePayload(handle), flags), KernelReplies.Done(m, 0x4242) };
                default: // tables, chains, sets: none
                    return new[] { KernelReplies.Done(m, 0x4242) };
            }
        }

        private static byte[] RulePayload(ulong handle)
        {
            var payload = new List<byte> { 2, 0, 0, 0 };
            KernelReplies.StringAttribute(payload, 1, "t");
            KernelReplies.StringAttribute(payload, 2, "c");
            var value = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(value, handle);
            KernelReplies.Attribute(payload, 3, value);
            return payload.ToArray();
        }
    }

    [Fact]
    public async Task A_snapshot_is_read_again_until_the_generation_is_the_same_before_and_after()
    {
        var kernel = new ChangingKernel(new uint[] { 1, 2, 2, 3, 3, 3 }, n => ((ulong)n + 10, 0));
        using var client = new NfTablesClient(new FakeKernel(NfTablesKernelModels.PortId).OnEveryRequest(kernel.Answer));

        Ruleset ruleset = await client.GetRulesetAsync();

        ruleset.Generation.Should().Be(3);
        kernel.GenerationRequests.Should().Be(6);
        kernel.RuleDumps.Should().Be(3);
        ruleset.Rules.Should().ContainSingle().Which.Handle.Should().Be(12, "only the third, consistent reading is returned");
    }

    [Fact]
    public async Task A_ruleset_that_keeps_changing_raises_the_typed_error_after_the_bounded_attempts()
    {
        var kernel = new ChangingKernel(Enumerable.Range(1, 100).Select(i => (uint)i), n => (1, 0));
        using var client = new NfTablesClient(new FakeKernel(NfTablesKernelModels.PortId).OnEveryRequest(kernel.Answer));

        Func<Task> read = () => client.GetRulesetAsync();

        NetlinkDumpInterruptedException e = (await read.Should().ThrowAsync<NetlinkDumpInterruptedException>()).Which;
        e.Attempts.Should().Be(NfTablesClient.SnapshotAttempts);
        kernel.RuleDumps.Should().Be(NfTablesClient.SnapshotAttempts);
    }

    [Fact]
    public async Task A_dump_marked_interrupted_is_requested_again_and_only_the_clean_one_counts()
    {
        var kernel = new ChangingKernel(new uint[] { 7 }, n => n == 0 ? (1UL, DumpInterrupted) : (2UL, (ushort)0));
        using var client = new NfTablesClient(new FakeKernel(NfTablesKernelModels.PortId).OnEveryRequest(kernel.Answer));

        Ruleset ruleset = await client.GetRulesetAsync();

        kernel.RuleDumps.Should().Be(2);
        ruleset.Rules.Should().ContainSingle().Which.Handle.Should().Be(2);
    }

    [Fact]
    public async Task A_streamed_rule_dump_delivers_what_it_read_then_reports_the_interruption()
    {
        var kernel = new ChangingKernel(new uint[] { 7 }, n => (5, DumpInterrupted));
        using var client = new NfTablesClient(new FakeKernel(NfTablesKernelModels.PortId).OnEveryRequest(kernel.Answer));
        var seen = new List<ulong>();

        Func<Task> list = async () =>
        {
            await foreach (Rule rule in client.ListRulesAsync())
            {
                seen.Add(rule.Handle);
            }
        };

        await list.Should().ThrowAsync<NetlinkDumpInterruptedException>();
        seen.Should().Equal(5UL);
    }
}
