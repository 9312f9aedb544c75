using System.Diagnostics;
using System.Net;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// A NatTable read while another writer deletes and recreates the table: every read sees either
/// no table or the whole table, never a bare ENOENT from a dump of a chain or set that vanished
/// between two dumps of the same snapshot (the snapshot treats that as a change under the read and
/// reads again).
/// </summary>
public sealed class NatTableVanishingTests
{
    [NativeFact]
    public async Task Reads_while_another_writer_deletes_and_recreates_the_table_see_no_table_or_all_of_it()
    {
        using var ns = new TestNamespace();
        NatRule[] rules = Enumerable.Range(20000, 300)
            .Select(p => (NatRule)new DnatRule(TransportProtocol.Tcp, PortRange.Single(p), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: p % 2 == 0))
            .ToArray();
        string[] expected = rules.Select(r => r.ToString()!).Order(StringComparer.Ordinal).ToArray();
        using var writer = new NatTable("vanish", new NatTableOptions { Namespace = ns.Namespace, FlushConntrackOnChange = false });
        using var reader = new NatTable("vanish", new NatTableOptions { Namespace = ns.Namespace, FlushConntrackOnChange = false });

        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        int cycles = 0;
        Task writing = Task.Run(async () =>
        {
            // Bounded in count and time: at most 200 create/delete cycles, or 8 s.
            while (cycles < 200 && clock.Elapsed < TimeSpan.FromSeconds(8))
            {
                await writer.ApplyAsync(rules);
                await writer.DeleteAsync();
                cycles++;
            }
            stop.Cancel();
        });

        int reads = 0, empty = 0, whole = 0;
        while (!stop.IsCancellationRequested && reads < 2000)
        {
            NatTableReport report = await reader.InspectAsync();
            string[] seen = report.Rules.Select(r => r.ToString()!).Order(StringComparer.Ordinal).ToArray();
            if (seen.Length == 0)
            {
                report.Partial.Should().BeEmpty();
                empty++;
            }
            else
            {
                seen.Should().Equal(expected, "a read sees the whole table or none of it");
                report.IsIntact.Should().BeTrue();
                whole++;
            }
            (await reader.ListAsync()).Count.Should().BeOneOf(0, rules.Length);
            reads++;
        }
        await writing;
        cycles.Should().BeGreaterThan(0);
        (empty + whole).Should().Be(reads, $"{reads} reads over {cycles} cycles: {empty} saw no table, {whole} the whole table");
    }
}

/// <summary>The same race made certain: the table is deleted right after the snapshot's table dump.</summary>
public sealed class TableSnapshotVanishingTests
{
    [NativeFact]
    public async Task A_table_deleted_between_the_dumps_of_a_snapshot_reads_as_gone_not_as_ENOENT()
    {
        using var ns = new TestNamespace();
        using (var nat = new NatTable("gone", new NatTableOptions { Namespace = ns.Namespace }))
        {
            await nat.AddAsync(new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true));
        }
        using var client = new NfTablesClient(ns.Namespace);
        int deletions = 0;
        client.AfterSnapshotTableDump = _ =>
        {
            if (deletions++ == 0)
            {
                ns.Nft("delete", "table", "inet", "gone");
            }
            return Task.CompletedTask;
        };

        Ruleset snapshot = await client.GetTableSnapshotAsync(NetfilterFamily.Inet, "gone");

        deletions.Should().Be(2, "the first read saw the table and lost it; the second read saw it gone");
        snapshot.Tables.Should().BeEmpty();
        snapshot.Sets.Should().BeEmpty();
        snapshot.Rules.Should().BeEmpty();
    }
}
