using System.Net;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.NativeTests.NfTables.Transactions;

/// <summary>
/// A transaction lands whole or not at all: one bad operation in the middle of a thousand
/// leaves the ruleset byte-identical (as <c>nft -a list ruleset</c> prints it, handles
/// included) and the generation unchanged, and the exception names the operation, the
/// expression the kernel pointed at, and what the kernel said.
/// </summary>
public sealed class AtomicityTests
{
    private const string ExistingRuleset = """
        table ip txn {
          set allowed { type ipv4_addr; elements = { 192.0.2.1, 192.0.2.2 } }
          chain pre {
            type nat hook prerouting priority dstnat; policy accept;
            tcp dport 22 dnat to 10.0.0.22:22 comment "kept"
            ip saddr @allowed tcp dport 23 dnat to 10.0.0.23:23
          }
          chain other { counter accept; }
        }
        table inet bystander {
          chain c { udp dport 53 accept; }
        }
        """;

    /// <summary><c>tcp dport {port} jump nosuch</c>: nft sends it, and the kernel refuses the immediate (index 4) with ENOENT.</summary>
    private static Rule JumpToMissingChain(ushort port) => new(NetfilterFamily.IPv4, SampleRuleset.Table, SampleRuleset.Chain, new NftExpression[]
    {
        MetaExpression.Load(MetaKey.L4Proto, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromByte(6)),
        PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R1),
        new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromPort(port)),
        new ImmediateExpression(Verdict.JumpTo("nosuch")),
    });

    [NativeFact]
    public async Task One_invalid_rule_among_a_thousand_leaves_the_ruleset_byte_identical_and_is_named()
    {
        using var ns = new TestNamespace();
        ns.NftScript(ExistingRuleset);
        string before = ns.Nft("-a", "list", "ruleset");
        using var client = new NfTablesClient(ns.Namespace);
        uint generation = (await client.GetGenerationAsync()).Id;
        var tx = new NfTablesTransaction();
        for (int i = 0; i < 1000; i++)
        {
            tx.AddRule(i == 499 ? JumpToMissingChain(SampleRuleset.Port(i)) : SampleRuleset.Dnat(SampleRuleset.Port(i), SampleRuleset.Backend(i)));
        }

        Func<Task> commit = () => client.CommitAsync(tx);

        NfTablesException e = (await commit.Should().ThrowAsync<NfTablesException>()).Which;
        e.Should().NotBeOfType<NfTablesGenerationException>();
        e.Errno.Should().Be(Errno.ENOENT);
        e.OperationIndex.Should().Be(499);
        e.OperationDescription.Should().Be("add rule ip txn pre");
        e.ExpressionIndex.Should().Be(4, "the kernel pointed at the jump's immediate (NLMSGERR_ATTR_OFFS)");
        e.ExpressionName.Should().Be("immediate");
        e.AttributeOffset.Should().NotBeNull();
        e.Failures.Should().ContainSingle().Which.OperationIndex.Should().Be(499);
        e.Message.Should().Contain("operation 500 of 1000 (add rule ip txn pre), expression 5 (immediate); nothing was applied")
            .And.Contain("ENOENT");
        ns.Nft("-a", "list", "ruleset").Should().Be(before);
        (await client.GetGenerationAsync()).Id.Should().Be(generation, "an aborted transaction does not bump the generation");
    }

    [NativeFact]
    public async Task A_refused_comparison_is_named_by_its_expression_too()
    {
        using var ns = new TestNamespace();
        ns.NftScript(ExistingRuleset);
        string before = ns.Nft("-a", "list", "ruleset");
        using var client = new NfTablesClient(ns.Namespace);
        // 32 bytes from register 4 run past the 64 bytes of registers: the cmp's init fails with EOVERFLOW.
        var overflowing = new Rule(NetfilterFamily.IPv4, SampleRuleset.Table, "other", new NftExpression[]
        {
            PayloadExpression.Load(PayloadBase.Network, 12, 4, Register.R1),
            new CmpExpression(CmpOperator.Equal, Register.R4, NftData.FromBytes(new byte[32])),
            new ImmediateExpression(Verdict.Accept),
        });

        Func<Task> commit = () => client.CommitAsync(new NfTablesTransaction().AddRule(SampleRuleset.Accept("other")).AddRule(overflowing));

        NfTablesException e = (await commit.Should().ThrowAsync<NfTablesException>()).Which;
        e.Errno.Should().Be(Errno.EOVERFLOW);
        e.OperationIndex.Should().Be(1);
        e.ExpressionIndex.Should().Be(1);
        e.ExpressionName.Should().Be("cmp");
        ns.Nft("-a", "list", "ruleset").Should().Be(before);
    }

    [NativeFact]
    public async Task A_failure_after_new_tables_chains_sets_and_rules_rolls_all_of_them_back()
    {
        using var ns = new TestNamespace();
        ns.NftScript(ExistingRuleset);
        string before = ns.Nft("-a", "list", "ruleset");
        using var client = new NfTablesClient(ns.Namespace);
        var tx = new NfTablesTransaction()
            .AddTable(new Table(NetfilterFamily.IPv4, "fresh"))
            .AddChain(new Chain(NetfilterFamily.IPv4, "fresh", "c"))
            .AddSet(new Set(NetfilterFamily.IPv4, "fresh", "s") { KeyType = SetDataTypes.IPv4Address, KeyLength = 4, Id = 1 }, new[] { SampleRuleset.Element(IPAddress.Parse("198.51.100.1")) })
            .AddRule(new Rule(NetfilterFamily.IPv4, "fresh", "c", new NftExpression[] { new CounterExpression(), new ImmediateExpression(Verdict.Accept) }))
            .FlushChain(NetfilterFamily.IPv4, SampleRuleset.Table, "other")
            .DeleteElements(SampleRuleset.AddressSet("allowed"), new[] { SampleRuleset.Element(IPAddress.Parse("192.0.2.1")) })
            .DeleteTable(NetfilterFamily.Inet, "bystander")
            .DeleteSet(NetfilterFamily.IPv4, SampleRuleset.Table, "absent");

        Func<Task> commit = () => client.CommitAsync(tx);

        NfTablesException e = (await commit.Should().ThrowAsync<NfTablesException>()).Which;
        e.Errno.Should().Be(Errno.ENOENT);
        e.OperationIndex.Should().Be(8, "the set's elements are operation 3, so the delete of the absent set is the 9th");
        e.OperationDescription.Should().Be("delete set ip txn absent");
        e.ExpressionIndex.Should().BeNull();
        ns.Nft("-a", "list", "ruleset").Should().Be(before);
    }

    [NativeFact]
    public async Task Several_refusals_are_all_reported_in_operation_order()
    {
        using var ns = new TestNamespace();
        ns.NftScript(ExistingRuleset);
        using var client = new NfTablesClient(ns.Namespace);
        var tx = new NfTablesTransaction()
            .AddRule(JumpToMissingChain(1))
            .AddRule(SampleRuleset.Accept())
            .DeleteChain(NetfilterFamily.IPv4, SampleRuleset.Table, "absent")
            .AddRule(JumpToMissingChain(2));

        Func<Task> commit = () => client.CommitAsync(tx);

        NfTablesException e = (await commit.Should().ThrowAsync<NfTablesException>()).Which;
        e.OperationIndex.Should().Be(0);
        e.Failures.Select(f => (f.OperationIndex, f.Errno, f.ExpressionIndex)).Should().Equal(
            (0, Errno.ENOENT, (int?)4),
            (2, Errno.ENOENT, (int?)null),
            (3, Errno.ENOENT, (int?)4));
    }
}
