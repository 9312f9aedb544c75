using System.Net;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.NativeTests.NfTables.Transactions;

/// <summary>
/// Every kind of operation a transaction can hold, applied to the kernel and checked with
/// <c>nft -a list ...</c>: where rules land (append, insert at the head, before or after a
/// handle), replace and delete by handle, flush, destroy (a no-op for absent objects), create
/// versus add, and set elements.
/// </summary>
public sealed class OperationKindTests
{
    private static async Task<(TestNamespace Ns, NfTablesClient Client, ulong A, ulong B)> ChainWithTwoRulesAsync()
    {
        var ns = new TestNamespace();
        var client = new NfTablesClient(ns.Namespace);
        NfTablesCommitResult result = await client.CommitAsync(new NfTablesTransaction()
            .AddTable(SampleRuleset.NatTable())
            .AddChain(SampleRuleset.RegularChain("c"))
            .AddRule(SampleRuleset.CountAndAccept("A", "c"))
            .AddRule(SampleRuleset.CountAndAccept("B", "c")));
        return (ns, client, result.Handles[2], result.Handles[3]);
    }

    private static string Text(string comment) => $"counter packets 0 bytes 0 accept comment \"{comment}\"";

    private static List<string> Comments(TestNamespace ns, string chain = "c") =>
        SampleRuleset.ListedRules(ns, chain).Select(r => r.Text).ToList();

    [NativeFact]
    public async Task Add_appends_and_returns_the_handles_nft_shows()
    {
        var (ns, client, a, b) = await ChainWithTwoRulesAsync();
        using (ns) using (client)
        {
            SampleRuleset.ListedRules(ns, "c").Should().Equal((Text("A"), a), (Text("B"), b));
            a.Should().NotBe(0);
            b.Should().NotBe(a);
        }
    }

    [NativeFact]
    public async Task Insert_without_a_position_puts_the_rule_at_the_head()
    {
        var (ns, client, a, b) = await ChainWithTwoRulesAsync();
        using (ns) using (client)
        {
            NfTablesCommitResult result = await client.CommitAsync(new NfTablesTransaction().InsertRule(SampleRuleset.CountAndAccept("C", "c")));
            SampleRuleset.ListedRules(ns, "c").Should().Equal((Text("C"), result.Handles[0]), (Text("A"), a), (Text("B"), b));
        }
    }

    [NativeFact]
    public async Task Insert_with_a_position_puts_the_rule_before_that_handle()
    {
        var (ns, client, a, b) = await ChainWithTwoRulesAsync();
        using (ns) using (client)
        {
            NfTablesCommitResult result = await client.CommitAsync(new NfTablesTransaction().InsertRule(SampleRuleset.CountAndAccept("C", "c") with { Position = b }));
            SampleRuleset.ListedRules(ns, "c").Should().Equal((Text("A"), a), (Text("C"), result.Handles[0]), (Text("B"), b));
        }
    }

    [NativeFact]
    public async Task Add_with_a_position_puts_the_rule_after_that_handle()
    {
        var (ns, client, a, b) = await ChainWithTwoRulesAsync();
        using (ns) using (client)
        {
            NfTablesCommitResult result = await client.CommitAsync(new NfTablesTransaction().AddRule(SampleRuleset.CountAndAccept("C", "c") with { Position = a }));
            SampleRuleset.ListedRules(ns, "c").Should().Equal((Text("A"), a), (Text("C"), result.Handles[0]), (Text("B"), b));
        }
    }

    [NativeFact]
    public async Task Replace_swaps_the_rule_in_place()
    {
        var (ns, client, a, b) = await ChainWithTwoRulesAsync();
        using (ns) using (client)
        {
            NfTablesCommitResult result = await client.CommitAsync(new NfTablesTransaction().ReplaceRule(SampleRuleset.CountAndAccept("A2", "c") with { Handle = a }));
            // The kernel gives the replacement a new handle, in the same place (nf_tables_newrule: nft_rule_replace).
            ulong replaced = result.Handles[0];
            replaced.Should().NotBe(0);
            SampleRuleset.ListedRules(ns, "c").Should().Equal((Text("A2"), replaced), (Text("B"), b));
        }
    }

    [NativeFact]
    public async Task Delete_by_handle_removes_only_that_rule()
    {
        var (ns, client, a, b) = await ChainWithTwoRulesAsync();
        using (ns) using (client)
        {
            await client.CommitAsync(new NfTablesTransaction().DeleteRule(NetfilterFamily.IPv4, SampleRuleset.Table, "c", a));
            SampleRuleset.ListedRules(ns, "c").Should().Equal((Text("B"), b));
        }
    }

    [NativeFact]
    public async Task Destroy_of_absent_objects_is_a_no_op_and_of_present_ones_removes_them()
    {
        var (ns, client, a, b) = await ChainWithTwoRulesAsync();
        using (ns) using (client)
        {
            Set set = SampleRuleset.AddressSet("s");
            await client.CommitAsync(new NfTablesTransaction().AddSet(set, new[] { SampleRuleset.Element(IPAddress.Parse("192.0.2.1")) }));
            string before = ns.Nft("-a", "list", "ruleset");

            await client.CommitAsync(new NfTablesTransaction()
                .DestroyTable(NetfilterFamily.IPv4, "absent")
                .DestroyChain(NetfilterFamily.IPv4, SampleRuleset.Table, "absent")
                .DestroySet(NetfilterFamily.IPv4, SampleRuleset.Table, "absent")
                .DestroyRule(NetfilterFamily.IPv4, SampleRuleset.Table, "c", b + 1000)
                .DestroyElements(set, new[] { SampleRuleset.Element(IPAddress.Parse("192.0.2.99")) }));
            ns.Nft("-a", "list", "ruleset").Should().Be(before, "destroying what does not exist changes nothing");

            await client.CommitAsync(new NfTablesTransaction()
                .DestroyRule(NetfilterFamily.IPv4, SampleRuleset.Table, "c", a)
                .DestroyElements(set, new[] { SampleRuleset.Element(IPAddress.Parse("192.0.2.1")) }));
            SampleRuleset.ListedRules(ns, "c").Should().Equal((Text("B"), b));
            ns.Nft("list", "set", "ip", SampleRuleset.Table, "s").Should().NotContain("192.0.2.1");

            await client.CommitAsync(new NfTablesTransaction()
                .FlushChain(NetfilterFamily.IPv4, SampleRuleset.Table, "c")
                .DestroyChain(NetfilterFamily.IPv4, SampleRuleset.Table, "c")
                .DestroySet(NetfilterFamily.IPv4, SampleRuleset.Table, "s"));
            ns.Nft("list", "table", "ip", SampleRuleset.Table).Should().NotContain("chain c").And.NotContain("set s");

            await client.CommitAsync(new NfTablesTransaction().DestroyTable(NetfilterFamily.IPv4, SampleRuleset.Table));
            ns.Nft("list", "ruleset").Should().BeEmpty();
        }
    }

    [NativeFact]
    public async Task Delete_of_absent_objects_fails_and_names_the_operation()
    {
        var (ns, client, a, b) = await ChainWithTwoRulesAsync();
        using (ns) using (client)
        {
            string before = ns.Nft("-a", "list", "ruleset");
            Func<Task> act = () => client.CommitAsync(new NfTablesTransaction()
                .DeleteRule(NetfilterFamily.IPv4, SampleRuleset.Table, "c", a)
                .DeleteChain(NetfilterFamily.IPv4, SampleRuleset.Table, "absent"));
            NfTablesException e = (await act.Should().ThrowAsync<NfTablesException>()).Which;
            e.Errno.Should().Be(Errno.ENOENT);
            e.OperationIndex.Should().Be(1);
            e.OperationDescription.Should().Be("delete chain ip txn absent");
            e.Message.Should().Contain("operation 2 of 2 (delete chain ip txn absent)");
            ns.Nft("-a", "list", "ruleset").Should().Be(before, "the first delete was rolled back with the rest");
        }
    }

    [NativeFact]
    public async Task Flush_table_empties_every_chain_and_flush_chain_only_one()
    {
        var (ns, client, a, b) = await ChainWithTwoRulesAsync();
        using (ns) using (client)
        {
            await client.CommitAsync(new NfTablesTransaction()
                .AddChain(SampleRuleset.RegularChain("d"))
                .AddRule(SampleRuleset.CountAndAccept("D", "d"))
                .AddChain(SampleRuleset.RegularChain("e"))
                .AddRule(SampleRuleset.CountAndAccept("E", "e")));

            await client.CommitAsync(new NfTablesTransaction().FlushChain(NetfilterFamily.IPv4, SampleRuleset.Table, "d"));
            Comments(ns, "c").Should().Equal(Text("A"), Text("B"));
            Comments(ns, "d").Should().BeEmpty();
            Comments(ns, "e").Should().Equal(Text("E"));

            await client.CommitAsync(new NfTablesTransaction().FlushTable(NetfilterFamily.IPv4, SampleRuleset.Table));
            Comments(ns, "c").Should().BeEmpty();
            Comments(ns, "e").Should().BeEmpty();
            ns.Nft("list", "table", "ip", SampleRuleset.Table).Should().Contain("chain c").And.Contain("chain d").And.Contain("chain e");
        }
    }

    [NativeFact]
    public async Task Elements_are_added_deleted_and_flushed()
    {
        using var ns = new TestNamespace();
        using var client = new NfTablesClient(ns.Namespace);
        Set set = SampleRuleset.AddressSet("s");
        SetElement one = SampleRuleset.Element(IPAddress.Parse("192.0.2.1"));
        SetElement two = SampleRuleset.Element(IPAddress.Parse("192.0.2.2"));
        SetElement three = SampleRuleset.Element(IPAddress.Parse("192.0.2.3"));
        await client.CommitAsync(new NfTablesTransaction().AddTable(SampleRuleset.NatTable()).AddSet(set, new[] { one, two }));
        await client.CommitAsync(new NfTablesTransaction().AddElements(set, new[] { two, three }));
        Listed().Should().BeEquivalentTo("192.0.2.1", "192.0.2.2", "192.0.2.3");

        Func<Task> create = () => client.CommitAsync(new NfTablesTransaction().CreateElements(set, new[] { three }));
        (await create.Should().ThrowAsync<NfTablesException>()).Which.Errno.Should().Be(Errno.EEXIST);

        await client.CommitAsync(new NfTablesTransaction().DeleteElements(set, new[] { one, three }));
        Listed().Should().BeEquivalentTo("192.0.2.2");

        Func<Task> deleteAbsent = () => client.CommitAsync(new NfTablesTransaction().DeleteElements(set, new[] { one }));
        (await deleteAbsent.Should().ThrowAsync<NfTablesException>()).Which.Errno.Should().Be(Errno.ENOENT);

        await client.CommitAsync(new NfTablesTransaction().FlushSet(NetfilterFamily.IPv4, SampleRuleset.Table, "s"));
        Listed().Should().BeEmpty();
        ns.Nft("list", "sets").Should().Contain("set s", "flushing a set keeps the set");

        List<string> Listed() => ns.Nft("-j", "list", "set", "ip", SampleRuleset.Table, "s")
            .Split('"').Where(w => w.Count(c => c == '.') == 3 && IPAddress.TryParse(w, out _)).ToList();
    }

    [NativeFact]
    public async Task Create_fails_on_existing_objects_where_add_succeeds()
    {
        var (ns, client, _, _) = await ChainWithTwoRulesAsync();
        using (ns) using (client)
        {
            await client.CommitAsync(new NfTablesTransaction()
                .AddTable(SampleRuleset.NatTable())
                .AddChain(SampleRuleset.RegularChain("c")));

            Func<Task> table = () => client.CommitAsync(new NfTablesTransaction().CreateTable(SampleRuleset.NatTable()));
            (await table.Should().ThrowAsync<NfTablesException>()).Which.Errno.Should().Be(Errno.EEXIST);
            Func<Task> chain = () => client.CommitAsync(new NfTablesTransaction().CreateChain(SampleRuleset.RegularChain("c")));
            (await chain.Should().ThrowAsync<NfTablesException>()).Which.OperationDescription.Should().Be("create chain ip txn c");

            await client.CommitAsync(new NfTablesTransaction().CreateSet(SampleRuleset.AddressSet("fresh")));
            Func<Task> set = () => client.CommitAsync(new NfTablesTransaction().CreateSet(SampleRuleset.AddressSet("fresh")));
            (await set.Should().ThrowAsync<NfTablesException>()).Which.Errno.Should().Be(Errno.EEXIST);
        }
    }

    [NativeFact]
    public async Task Deleting_a_table_removes_everything_in_it()
    {
        var (ns, client, _, _) = await ChainWithTwoRulesAsync();
        using (ns) using (client)
        {
            await client.CommitAsync(new NfTablesTransaction().AddSet(SampleRuleset.AddressSet("s")).AddTable(new Table(NetfilterFamily.Inet, "other")));
            await client.CommitAsync(new NfTablesTransaction().DeleteTable(NetfilterFamily.IPv4, SampleRuleset.Table));
            ns.Nft("list", "ruleset").Should().Be("table inet other {\n}\n");
        }
    }
}
