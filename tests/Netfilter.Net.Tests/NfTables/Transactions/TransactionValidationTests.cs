using System.Net;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>Bad input is refused when the operation is added, naming the parameter, so nothing is ever sent for it.</summary>
public sealed class TransactionValidationTests
{
    private static Rule Accept() => new(NetfilterFamily.IPv4, "t", "c", new NftExpression[] { new ImmediateExpression(Verdict.Accept) });

    private static readonly Set Set = new(NetfilterFamily.IPv4, "t", "s") { KeyType = SetDataTypes.IPv4Address, KeyLength = 4 };

    [Fact]
    public void Replacing_needs_the_handle_of_the_rule_to_replace()
    {
        Action act = () => new NfTablesTransaction().ReplaceRule(Accept());
        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("rule");
    }

    [Fact]
    public void Adding_or_inserting_a_rule_that_carries_a_handle_is_refused()
    {
        Action add = () => new NfTablesTransaction().AddRule(Accept() with { Handle = 5 });
        Action insert = () => new NfTablesTransaction().InsertRule(Accept() with { Handle = 5 });
        add.Should().Throw<ArgumentException>().WithMessage("*must not carry a handle*ReplaceRule*").Which.ParamName.Should().Be("rule");
        insert.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("rule");
    }

    [Fact]
    public void Deleting_a_rule_needs_a_handle()
    {
        Action delete = () => new NfTablesTransaction().DeleteRule(NetfilterFamily.IPv4, "t", "c", 0);
        Action destroy = () => new NfTablesTransaction().DestroyRule(NetfilterFamily.IPv4, "t", "c", 0);
        delete.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("handle");
        destroy.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("handle");
    }

    [Fact]
    public void Deleting_no_elements_is_refused_because_the_kernel_would_flush_the_set()
    {
        Action act = () => new NfTablesTransaction().DeleteElements(Set, Array.Empty<SetElement>());
        act.Should().Throw<ArgumentException>().WithMessage("*FlushSet*").Which.ParamName.Should().Be("elements");
        Action add = () => new NfTablesTransaction().AddElements(Set, Array.Empty<SetElement>());
        add.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("elements");
    }

    [Fact]
    public void A_null_element_is_refused()
    {
        Action act = () => new NfTablesTransaction().AddElements(Set, new SetElement[] { new(NftData.FromIPAddress(IPAddress.Loopback)), null! });
        act.Should().Throw<ArgumentException>().WithMessage("element 2 is null*").Which.ParamName.Should().Be("elements");
    }

    [Fact]
    public void Names_longer_than_NFT_NAME_MAXLEN_or_with_a_NUL_are_refused()
    {
        string longName = new('a', 256);
        Action table = () => new NfTablesTransaction().AddTable(new Table(NetfilterFamily.Inet, longName));
        Action deleteTable = () => new NfTablesTransaction().DeleteTable(NetfilterFamily.Inet, longName);
        Action chain = () => new NfTablesTransaction().FlushChain(NetfilterFamily.Inet, "t", "c\0d");
        Action rule = () => new NfTablesTransaction().AddRule(Accept() with { Chain = longName });

        table.Should().Throw<ArgumentException>().WithMessage("*256 bytes*at most 255*").Which.ParamName.Should().Be("table");
        deleteTable.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("name");
        chain.Should().Throw<ArgumentException>().WithMessage("*NUL*").Which.ParamName.Should().Be("name");
        rule.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("rule");
        new NfTablesTransaction().AddTable(new Table(NetfilterFamily.Inet, new string('a', 255))).Count.Should().Be(1);
    }

    [Fact]
    public void Userdata_longer_than_NFT_USERDATA_MAXLEN_is_refused()
    {
        byte[] tooLong = new byte[257];
        Action rule = () => new NfTablesTransaction().AddRule(Accept() with { UserData = tooLong });
        Action table = () => new NfTablesTransaction().AddTable(new Table(NetfilterFamily.Inet, "t") { UserData = tooLong });
        Action element = () => new NfTablesTransaction().AddElements(Set, new[] { new SetElement(NftData.FromIPAddress(IPAddress.Loopback)), new SetElement(NftData.FromIPAddress(IPAddress.Loopback)) { UserData = tooLong } });

        rule.Should().Throw<ArgumentException>().WithMessage("*257 bytes*at most 256*").Which.ParamName.Should().Be("rule");
        table.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("table");
        element.Should().Throw<ArgumentException>().WithMessage("the element 2's userdata*").Which.ParamName.Should().Be("elements");
        new NfTablesTransaction().AddRule(Accept() with { UserData = new byte[256] }).Count.Should().Be(1);
    }

    [Fact]
    public void Descriptions_say_what_each_operation_does_in_nfts_words()
    {
        var tx = new NfTablesTransaction()
            .AddTable(new Table(NetfilterFamily.Inet, "t"))
            .InsertRule(Accept() with { Position = 7 })
            .ReplaceRule(Accept() with { Handle = 9 })
            .DestroyRule(NetfilterFamily.IPv4, "t", "c", 3)
            .FlushChain(NetfilterFamily.IPv4, "t", "c")
            .FlushSet(NetfilterFamily.IPv4, "t", "s")
            .DeleteElements(Set, new[] { new SetElement(NftData.FromIPAddress(IPAddress.Loopback)) });

        tx.Descriptions.Should().Equal(
            "add table inet t",
            "insert rule ip t c position 7",
            "replace rule ip t c handle 9",
            "destroy rule ip t c handle 3",
            "flush chain ip t c",
            "flush set ip t s",
            "delete 1 element(s) of set ip t s");
    }

    [Fact]
    public async Task An_empty_transaction_sends_nothing()
    {
        var transport = new FakeKernel(NfTablesKernelModels.PortId).OnEveryRequest(_ => throw new InvalidOperationException("nothing should be sent"));
        using var client = new NfTablesClient(transport);

        NfTablesCommitResult result = await client.CommitCoreAsync(new NfTablesTransaction(), CancellationToken.None);

        result.Messages.Should().Be(0);
        transport.Sent.Should().BeEmpty();
    }
}
