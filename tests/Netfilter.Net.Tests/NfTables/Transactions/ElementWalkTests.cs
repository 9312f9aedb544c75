using System.Net;
using Netfilter.Net.Netfilter;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Internal.Attributes;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// A set-element dump that the kernel walked while the hash set was resized: each round of the
/// dump walks the set again and skips as many elements as it sent, so with the order changed it
/// repeats some elements and leaves out as many (nf_tables_dump_set, cb-&gt;args[0]; nft_rhash_walk).
/// The client notices a repeat and reads the set again.
/// </summary>
public sealed class ElementWalkTests
{
    private const uint Port = 0x4242;

    /// <summary>A kernel with one set "t" "s" whose successive element dumps are <paramref name="dumps"/> (one datagram per inner array, the last dump repeating forever).</summary>
    private sealed class ResizingKernel
    {
        private readonly Queue<SetElement[][]> _dumps;

        public ResizingKernel(params SetElement[][][] dumps) => _dumps = new Queue<SetElement[][]>(dumps);

        public int ElementDumps { get; private set; }

        public IEnumerable<byte[]> Answer(byte[] datagram)
        {
            RawMessage m = RawMessage.Split(datagram).Single();
            switch (m.NfTablesMessage)
            {
                case 16: // NFT_MSG_GETGEN
                    return new[] { KernelReplies.Generation(m, Port, 9), KernelReplies.Ack(m, Port) };
                case 10: // NFT_MSG_GETSET
                    return new[] { KernelReplies.DumpPart(m, Port, RawMessage.NfTables | 9, SetPayload()), KernelReplies.Done(m, Port) };
                case 13: // NFT_MSG_GETSETELEM
                    ElementDumps++;
                    SetElement[][] dump = _dumps.Count > 1 ? _dumps.Dequeue() : _dumps.Peek();
                    return dump.Select(round => KernelReplies.DumpPart(m, Port, RawMessage.NfTables | 12, ElementsPayload(round))).Append(KernelReplies.Done(m, Port)).ToList();
                default: // tables, chains, rules, objects, flowtables: none
                    return new[] { KernelReplies.Done(m, Port) };
            }
        }

        private static byte[] SetPayload() => PayloadOf(w => SetCodec.Write(w, new Set(NetfilterFamily.IPv4, "t", "s") { KeyType = 7, KeyLength = 4 }));

        private static byte[] ElementsPayload(SetElement[] elements) => PayloadOf(w =>
        {
            SetElementCodec.WriteHeader(w, "t", "s", null);
            using (w.BeginNested(SetElementListAttribute.Elements))
            {
                foreach (SetElement element in elements)
                {
                    SetElementCodec.WriteElement(w, element);
                }
            }
        });

        private static byte[] PayloadOf(Action<NetlinkWriter> write)
        {
            using var writer = new NetlinkWriter(4096);
            NfnetlinkWriter.BeginMessage(writer, NfnlSubsystem.NfTables, 0, NetlinkMessageFlags.None, 1, NetfilterFamily.IPv4);
            write(writer);
            writer.EndMessage();
            return writer.WrittenSpan.Slice(RawMessage.HeaderLength).ToArray();
        }
    }

    private static SetElement E(int i, SetElementFlags? flags = null) => new(NftData.FromIPAddress(new IPAddress(new byte[] { 10, 0, 0, (byte)i }))) { Flags = flags };

    private static SetElement[] Es(params int[] i) => i.Select(n => E(n)).ToArray();

    private static NfTablesClient Client(ResizingKernel kernel) => new(new FakeKernel(NfTablesKernelModels.PortId).OnEveryRequest(kernel.Answer)) { ElementDumpPause = TimeSpan.Zero };

    private static async Task<List<int>> ListAsync(NfTablesClient client)
    {
        var seen = new List<int>();
        await foreach (SetElement e in client.ListElementsAsync(NetfilterFamily.IPv4, "t", "s"))
        {
            seen.Add(e.Key.Span[3]);
        }
        return seen;
    }

    [Fact]
    public async Task A_stream_that_saw_a_repeat_dumps_again_and_yields_only_what_it_had_not_yielded()
    {
        // Round two repeats 3 and so skips 5; the second dump is clean.
        var kernel = new ResizingKernel(new[] { Es(1, 2, 3), Es(3, 4) }, new[] { Es(4, 5, 1), Es(2, 3) });
        using NfTablesClient client = Client(kernel);

        List<int> seen = await ListAsync(client);

        seen.Should().Equal(1, 2, 3, 4, 5);
        kernel.ElementDumps.Should().Be(2);
    }

    [Fact]
    public async Task A_clean_dump_is_read_once()
    {
        var kernel = new ResizingKernel(new[] { Es(1, 2), Es(3) });
        using NfTablesClient client = Client(kernel);

        (await ListAsync(client)).Should().Equal(1, 2, 3);
        kernel.ElementDumps.Should().Be(1);
    }

    [Fact]
    public async Task An_interval_end_with_the_key_of_a_start_and_a_keyless_catch_all_are_not_repeats()
    {
        // 10.0.0.1-10.0.0.4 as nft stores it: start 1, end marker 5; then a range starting where the last ended: start 5.
        SetElement[] round = { E(1), E(5, SetElementFlags.IntervalEnd), E(5), E(9, SetElementFlags.IntervalEnd),
            new SetElement(NftData.FromBytes(ReadOnlySpan<byte>.Empty)) { Flags = SetElementFlags.CatchAll } };
        var kernel = new ResizingKernel(new[] { round });
        using NfTablesClient client = Client(kernel);

        var seen = new List<SetElement>();
        await foreach (SetElement e in client.ListElementsAsync(NetfilterFamily.IPv4, "t", "s"))
        {
            seen.Add(e);
        }

        seen.Should().HaveCount(5);
        kernel.ElementDumps.Should().Be(1);
    }

    [Fact]
    public async Task A_set_whose_every_dump_repeats_raises_the_typed_error_after_the_bounded_attempts()
    {
        var kernel = new ResizingKernel(new[] { Es(1, 2), Es(2) });
        using NfTablesClient client = Client(kernel);

        Func<Task> list = () => ListAsync(client);

        NetlinkDumpInterruptedException e = (await list.Should().ThrowAsync<NetlinkDumpInterruptedException>()).Which;
        e.Attempts.Should().Be(NfTablesClient.ElementDumpAttempts);
        e.Message.Should().Contain("repeated elements");
        kernel.ElementDumps.Should().Be(NfTablesClient.ElementDumpAttempts);
    }

    [Fact]
    public async Task A_snapshot_keeps_only_a_dump_without_repeats()
    {
        var kernel = new ResizingKernel(new[] { Es(1, 2, 3), Es(3, 4) }, new[] { Es(4, 5, 1), Es(2, 3) });
        using NfTablesClient client = Client(kernel);

        Ruleset ruleset = await client.GetRulesetAsync();

        ruleset.Elements[(NetfilterFamily.IPv4, "t", "s")].Select(e => (int)e.Key.Span[3]).Should().BeEquivalentTo(new[] { 4, 5, 1, 2, 3 });
        kernel.ElementDumps.Should().Be(2);
    }
}
