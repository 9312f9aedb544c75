using System.Net;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.NfTables.Transactions;

/// <summary>
/// Transactions far larger than one socket buffer: 10,000 rules in one batch (multi-megabyte
/// datagram, 10,000 acks and echoes coming back) and 100,000 set elements (split over many
/// NEWSETELEM messages, since an attribute holds at most 64 KiB). Both must apply whole and
/// read back completely.
/// </summary>
public sealed class LargeTransactionTests
{
    [NativeFact]
    public async Task Ten_thousand_rules_apply_in_one_transaction_and_read_back_completely()
    {
        const int count = 10_000;
        using var ns = new TestNamespace();
        var tx = new NfTablesTransaction()
            .AddTable(SampleRuleset.NatTable())
            .AddChain(SampleRuleset.PreroutingChain());
        for (int i = 0; i < count; i++)
        {
            tx.AddRule(SampleRuleset.Dnat(SampleRuleset.Port(i), SampleRuleset.Backend(i)));
        }
        using var client = new NfTablesClient(ns.Namespace);

        NfTablesCommitResult result = await client.CommitAsync(tx);

        // Every added rule got its handle back (NLM_F_ECHO), distinct and non-zero.
        ulong[] handles = result.Handles.Skip(2).ToArray();
        handles.Should().HaveCount(count).And.OnlyContain(h => h != 0).And.OnlyHaveUniqueItems();
        // nft sees all of them, in order, with the handles we were told.
        List<(string Text, ulong Handle)> listed = SampleRuleset.ListedRules(ns);
        listed.Should().HaveCount(count);
        for (int i = 0; i < count; i++)
        {
            listed[i].Text.Should().Be(SampleRuleset.DnatText(SampleRuleset.Port(i), SampleRuleset.Backend(i)));
            listed[i].Handle.Should().Be(handles[i]);
        }
        // Our own dump reads back the same rules, expression for expression.
        var dumped = new List<Rule>();
        await foreach (Rule rule in client.ListRulesAsync(NetfilterFamily.IPv4, SampleRuleset.Table, SampleRuleset.Chain))
        {
            dumped.Add(rule);
        }
        dumped.Should().HaveCount(count);
        for (int i = 0; i < count; i++)
        {
            dumped[i].Handle.Should().Be(handles[i]);
            string.Join(" ", dumped[i].Expressions).Should().Be(string.Join(" ", SampleRuleset.DnatExpressionsAsDumped(SampleRuleset.Port(i), SampleRuleset.Backend(i))));
        }
    }

    [NativeFact]
    public async Task A_hundred_thousand_set_elements_apply_in_one_transaction_and_read_back_completely()
    {
        const int count = 100_000;
        using var ns = new TestNamespace();
        Set set = SampleRuleset.AddressSet("many");
        var elements = new List<SetElement>(count);
        for (int i = 0; i < count; i++)
        {
            elements.Add(SampleRuleset.Element(SampleRuleset.Backend(i)));
        }
        var tx = new NfTablesTransaction()
            .AddTable(SampleRuleset.NatTable())
            .AddSet(set, elements);
        using var client = new NfTablesClient(ns.Namespace);

        NfTablesCommitResult result = await client.CommitAsync(tx);

        result.Messages.Should().BeGreaterThan(3, "100,000 elements do not fit in one 64 KiB element list");
        // Our dump, right after the commit, while the kernel may still be resizing the hash set
        // (a walk that then repeats some elements and skips as many is noticed and re-read):
        // every element, once, with the bytes we sent.
        var dumped = new HashSet<IPAddress>();
        await foreach (SetElement element in client.ListElementsAsync(NetfilterFamily.IPv4, SampleRuleset.Table, "many"))
        {
            dumped.Add(new IPAddress(element.Key.Span)).Should().BeTrue("each element is dumped once");
        }
        dumped.Should().HaveCount(count);
        // nft's view, every address once, read when the set has settled: nft drops the repeats of
        // a disturbed walk without noticing the skips, so a listing taken during the resize misses
        // elements (85,000-97,000 seen on 6.18) although the kernel holds them all.
        HashSet<string> listedAddresses = await SettledListingAsync(ns, "many");
        listedAddresses.Should().HaveCount(count);
        listedAddresses.SetEquals(dumped.Select(a => a.ToString())).Should().BeTrue("nft and our dump list the same elements");
        for (int i = 0; i < count; i += 997)
        {
            dumped.Should().Contain(SampleRuleset.Backend(i));
            listedAddresses.Should().Contain(SampleRuleset.Backend(i).ToString());
        }
    }

    /// <summary>The addresses nft lists in set <paramref name="set"/>, once two listings in a row agree (at most 20 listings, 250 ms apart).</summary>
    private static async Task<HashSet<string>> SettledListingAsync(TestNamespace ns, string set)
    {
        HashSet<string>? previous = null;
        for (int listing = 1; listing <= 20; listing++)
        {
            string text = ns.Nft("list", "set", "ip", SampleRuleset.Table, set);
            var addresses = new HashSet<string>(text.Split(new[] { ' ', ',', '\n', '\t', '{', '}', '=' }, StringSplitOptions.RemoveEmptyEntries).Where(w => IPAddress.TryParse(w, out _) && w.Count(c => c == '.') == 3));
            if (previous is not null && previous.SetEquals(addresses))
            {
                return addresses;
            }
            previous = addresses;
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"nft list set {set} did not settle in 20 listings (last: {previous!.Count} addresses)");
    }
}
