using System.Buffers.Binary;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// A refusal that an older kernel (or one built without the feature) explains becomes an
/// <see cref="NfTablesKernelFeatureException"/> naming the feature and the first kernel that has
/// it; the same errno on a kernel that has the feature, or another errno, stays a plain
/// <see cref="NfTablesException"/>. The errnos are those the kernel matrix
/// (native-tests/kernels) saw: EINVAL for NFT_MSG_DESTROY* on 6.1, EOPNOTSUPP for an unknown
/// table flag or bitwise operation, ENOENT without an attribute for a flowtable on a kernel
/// without CONFIG_NF_FLOW_TABLE.
/// </summary>
public sealed class KernelFeatureErrorTests
{
    private const int ENOENT = 2, EINVAL = 22, EOPNOTSUPP = 95;

    private static NfTablesException Commit(NfTablesTransaction tx, Version kernel, Func<RawMessage, byte[]> refuse)
    {
        var transport = new FakeKernel(NfTablesKernelModels.PortId).OnEveryRequest(NfTablesKernelModels.Refusing((_, m) => refuse(m)));
        using var client = new NfTablesClient(transport) { RunningKernel = kernel };
        Func<Task> act = () => client.CommitCoreAsync(tx, CancellationToken.None);
        return act.Should().ThrowAsync<NfTablesException>().GetAwaiter().GetResult().Which;
    }

    private static NfTablesTransaction DestroyTable() => new NfTablesTransaction().DestroyTable(NetfilterFamily.Inet, "t");

    [Fact]
    public void Destroy_refused_with_EINVAL_by_a_kernel_before_6_3_names_the_feature_and_the_kernel()
    {
        NfTablesException e = Commit(DestroyTable(), new Version(6, 1), m => KernelReplies.Error(m, 0x4242, EINVAL));

        NfTablesKernelFeatureException feature = e.Should().BeOfType<NfTablesKernelFeatureException>().Subject;
        feature.Errno.Should().Be(Errno.EINVAL, "the errno stays what the kernel said");
        feature.Feature.FirstKernel.Should().Be(new Version(6, 3));
        feature.Feature.Source.Should().Contain("f80a612dd77c");
        feature.RunningKernel.Should().Be(new Version(6, 1));
        feature.KernelTooOld.Should().BeTrue();
        feature.OperationDescription.Should().Be("destroy table inet t");
        feature.Message.Should().Contain("destroy table inet t").And.Contain("this kernel (6.1) is too old")
            .And.Contain("needs Linux 6.3 or later");
    }

    [Theory]
    [InlineData(6, 3, EINVAL)]
    [InlineData(6, 12, EINVAL)]
    [InlineData(6, 1, ENOENT)]
    public void The_same_errno_on_a_kernel_that_has_the_feature_or_another_errno_stays_plain(int major, int minor, int errno)
    {
        NfTablesException e = Commit(DestroyTable(), new Version(major, minor), m => KernelReplies.Error(m, 0x4242, errno));

        e.Should().BeOfType<NfTablesException>();
        e.Errno.Should().Be((Errno)errno);
    }

    [Theory]
    [InlineData(TableFlags.Owner, 5, 10, "5.12")]
    [InlineData(TableFlags.Owner | TableFlags.Persist, 6, 1, "6.9")]
    public void Table_flags_a_kernel_does_not_know_are_named(TableFlags flags, int major, int minor, string first)
    {
        var tx = new NfTablesTransaction().AddTable(new Table(NetfilterFamily.Inet, "t") { Flags = flags });

        NfTablesException e = Commit(tx, new Version(major, minor), m => KernelReplies.Error(m, 0x4242, EOPNOTSUPP));

        e.Should().BeOfType<NfTablesKernelFeatureException>().Which.Feature.FirstKernel.Should().Be(Version.Parse(first));
    }

    [Fact]
    public void A_bitwise_operation_between_registers_is_named_only_when_the_kernel_points_at_it()
    {
        var rule = new Rule(NetfilterFamily.Inet, "t", "c", new NftExpression[]
        {
            MetaExpression.Load(MetaKey.Mark, Register.R1),
            BitwiseExpression.Combine(BitwiseOperation.And, Register.R1, NftData.FromHostUInt32(0xff), Register.R1),
            new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromHostUInt32(1)),
        });
        var tx = new NfTablesTransaction().AddRule(rule);

        NfTablesException atBitwise = Commit(tx, new Version(6, 12), m => KernelReplies.Error(m, 0x4242, EOPNOTSUPP, null, (uint)ExpressionOffset(m, 1)));
        NfTablesException atMeta = Commit(tx, new Version(6, 12), m => KernelReplies.Error(m, 0x4242, EOPNOTSUPP, null, (uint)ExpressionOffset(m, 0)));
        NfTablesException onNewKernel = Commit(tx, new Version(6, 13), m => KernelReplies.Error(m, 0x4242, EOPNOTSUPP, null, (uint)ExpressionOffset(m, 1)));

        NfTablesKernelFeatureException feature = atBitwise.Should().BeOfType<NfTablesKernelFeatureException>().Subject;
        feature.ExpressionName.Should().Be("bitwise");
        feature.Feature.FirstKernel.Should().Be(new Version(6, 13));
        atMeta.Should().BeOfType<NfTablesException>("the kernel pointed at the meta expression, which every kernel has");
        onNewKernel.Should().BeOfType<NfTablesException>();
    }

    [Fact]
    public void A_flowtable_refused_with_ENOENT_pointing_at_nothing_is_a_kernel_built_without_flowtables()
    {
        var tx = new NfTablesTransaction().AddFlowtable(new Flowtable(NetfilterFamily.Inet, "t", "ft") { HookNumber = Flowtable.IngressHook, Priority = 0, Devices = new[] { "veth0" } });
        // The table attribute follows the 16-byte header and the 4-byte nfgenmsg.
        const uint tableAttribute = 20;

        NfTablesException noType = Commit(tx, new Version(6, 18), m => KernelReplies.Error(m, 0x4242, ENOENT));
        NfTablesException noTable = Commit(tx, new Version(6, 18), m => KernelReplies.Error(m, 0x4242, ENOENT, null, tableAttribute));

        NfTablesKernelFeatureException feature = noType.Should().BeOfType<NfTablesKernelFeatureException>().Subject;
        feature.KernelTooOld.Should().BeFalse("6.18 is newer than 4.16: the kernel was built without the feature");
        feature.Feature.KernelConfig.Should().Contain("CONFIG_NF_FLOW_TABLE");
        feature.Message.Should().Contain("this kernel (6.18) was built without it");
        noTable.Should().BeOfType<NfTablesException>("ENOENT at NFTA_FLOWTABLE_TABLE is a missing table");
    }

    [Fact]
    public void A_catch_all_element_refused_by_a_kernel_before_5_13_is_named()
    {
        var set = new Set(NetfilterFamily.Inet, "t", "m") { KeyType = SetDataTypes.IPv4Address, KeyLength = 4 };
        var tx = new NfTablesTransaction().AddElements(set, new[] { new SetElement(NftData.FromBytes(ReadOnlySpan<byte>.Empty)) { Flags = SetElementFlags.CatchAll } });

        NfTablesException e = Commit(tx, new Version(5, 10), m => KernelReplies.Error(m, 0x4242, EINVAL));

        e.Should().BeOfType<NfTablesKernelFeatureException>().Which.Feature.FirstKernel.Should().Be(new Version(5, 13));
    }

    [Fact]
    public void ENOENT_at_an_expression_that_names_nothing_else_is_a_kernel_without_that_expression_type()
    {
        // This project's development kernel (6.18) is built without CONFIG_NFT_QUEUE: nft add rule ... queue is ENOENT.
        var queue = new NfTablesTransaction().AddRule(new Rule(NetfilterFamily.Inet, "t", "c", new NftExpression[] { new CounterExpression(), QueueExpression.ToQueues(1) }));
        var lookup = new NfTablesTransaction().AddRule(new Rule(NetfilterFamily.Inet, "t", "c", new NftExpression[]
        {
            PayloadExpression.Load(PayloadBase.Network, 12, 4, Register.R1),
            new LookupExpression("absent", Register.R1),
        }));

        NfTablesException noQueue = Commit(queue, new Version(6, 18), m => KernelReplies.Error(m, 0x4242, ENOENT, null, (uint)ExpressionOffset(m, 1)));
        NfTablesException noSet = Commit(lookup, new Version(6, 18), m => KernelReplies.Error(m, 0x4242, ENOENT, null, (uint)ExpressionOffset(m, 1)));

        NfTablesKernelFeatureException feature = noQueue.Should().BeOfType<NfTablesKernelFeatureException>().Subject;
        feature.Feature.KernelConfig.Should().Be("CONFIG_NFT_QUEUE");
        feature.KernelTooOld.Should().BeFalse();
        feature.ExpressionName.Should().Be("queue");
        noSet.Should().BeOfType<NfTablesException>("ENOENT at a lookup is a missing set");
    }

    [Fact]
    public void An_expression_newer_than_the_kernel_is_named_with_its_first_kernel()
    {
        var tx = new NfTablesTransaction().AddRule(new Rule(NetfilterFamily.Inet, "t", "c", new NftExpression[] { new LastExpression() }));

        NfTablesException e = Commit(tx, new Version(5, 10), m => KernelReplies.Error(m, 0x4242, ENOENT, null, (uint)ExpressionOffset(m, 0)));

        e.Should().BeOfType<NfTablesKernelFeatureException>().Which.Feature.FirstKernel.Should().Be(new Version(5, 14));
    }

    /// <summary>Where expression <paramref name="index"/>'s NFTA_LIST_ELEM starts in a NEWRULE message.</summary>
    private static int ExpressionOffset(RawMessage rule, int index)
    {
        int at = RawMessage.HeaderLength + 4;
        while (at + 4 <= rule.Bytes.Length)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(rule.Bytes.AsSpan(at));
            int type = BinaryPrimitives.ReadUInt16LittleEndian(rule.Bytes.AsSpan(at + 2)) & 0x3fff;
            if (type == 4)
            {
                int e = at + 4;
                for (int i = 0; i < index; i++)
                {
                    e += (BinaryPrimitives.ReadUInt16LittleEndian(rule.Bytes.AsSpan(e)) + 3) & ~3;
                }
                return e;
            }
            at += (length + 3) & ~3;
        }
        throw new InvalidOperationException("no expression list");
    }
}
