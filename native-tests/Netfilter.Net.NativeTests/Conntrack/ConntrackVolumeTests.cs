using Netfilter.Net.Conntrack;
using Netfilter.Net.NativeTests.Infrastructure;
using Xunit.Abstractions;

namespace Netfilter.Net.NativeTests.Conntrack;

/// <summary>Measures live memory, so nothing else may run in this process meanwhile.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement
{
}

/// <summary>100,000 entries: created through the library, dumped completely, with memory that does not grow with the table.</summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class ConntrackVolumeTests(ITestOutputHelper output)
{
    private const int Count = 100_000;

    [NativeFact]
    public async Task A_100k_table_dumps_completely_with_bounded_memory_and_equals_conntrack_C()
    {
        using var ns = new TestNamespace("ctvol");
        uint max = uint.Parse(ns.Check("cat", "/proc/sys/net/netfilter/nf_conntrack_max").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        max.Should().BeGreaterThanOrEqualTo(Count, "nf_conntrack_max is read-only inside a namespace; it must already allow the table");
        using var conntrack = new ConntrackClient(ns.Namespace);
        int created = await conntrack.CreateAsync(Enumerable.Range(0, Count).Select(i => Entries.Tcp(i)));
        created.Should().Be(Count);
        ns.Check("conntrack", "-C").Trim().Should().Be(Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await conntrack.GetStatisticsAsync()).Entries.Should().Be(Count);

        // Streaming: sample the live heap (after a full collection) every 5,000 entries.
        long baseline = LiveHeap();
        long peak = 0;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        int streamed = 0;
        // CTA_ID is a 32-bit hash: among 100k entries two ids collide about once. Count tuples.
        var seenIds = new HashSet<ulong>();
        await foreach (ConntrackEntry e in conntrack.DumpAsync())
        {
            streamed++;
            seenIds.Add(((ulong)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(e.Original.Source.GetAddressBytes()) << 16) | (ushort)e.Original.SourcePort!.Value);
            if (streamed % 5000 == 0)
            {
                peak = Math.Max(peak, LiveHeap() - baseline);
            }
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        streamed.Should().Be(Count);
        seenIds.Count.Should().Be(Count, "every entry once");
        long idSetBytes = LiveHeap() - baseline;
        GC.KeepAlive(seenIds);
        seenIds = null!;

        // Materialised for comparison: the same table held in a list.
        long listBaseline = LiveHeap();
        IReadOnlyList<ConntrackEntry> list = await conntrack.ListAsync();
        long listBytes = LiveHeap() - listBaseline;
        list.Count.Should().Be(Count);
        GC.KeepAlive(list);

        output.WriteLine($"streamed {streamed} entries: live heap peak +{peak / 1024} KiB (of which the test's own id set {idSetBytes / 1024} KiB), allocated {allocated / streamed} B/entry; the materialised list holds {listBytes / 1024} KiB");
        // The test's id set grows with N (about 3 MiB at 100k); the dump itself must not.
        (peak - idSetBytes).Should().BeLessThan(8L * 1024 * 1024, "streaming holds one datagram of entries, not the table");
        listBytes.Should().BeGreaterThan(4 * Math.Max(peak - idSetBytes, 1), "the measurement can see a table-sized allocation");
    }

    private static long LiveHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
