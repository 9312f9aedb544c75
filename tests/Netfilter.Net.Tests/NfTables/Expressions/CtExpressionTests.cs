using System.Net;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.RuleFragments;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class CtExpressionTests
{
    private static CmpExpression Is(NftData data) => new(CmpOperator.Equal, R1, data);

    private static CmpExpression IsAddress(string address) => Is(NftData.FromIPAddress(IPAddress.Parse(address)));

    [Fact]
    public void Load_status_and_test_a_bit()
    {
        NftExpression[] Rule(bool op) =>
            new NftExpression[] { CtExpression.Load(CtKey.Status, R1), BitwiseExpression.MaskXor(R1, R1, Host(0x20), Host(0), op), new CmpExpression(CmpOperator.NotEqual, R1, Host(0)) };
        ExpressionGolden.AddPath("ct-load-status", Rule(false));
        ExpressionGolden.ListPath("ct-load-status", Rule(true));
    }

    [Fact]
    public void Direction_is_kept_by_the_kernel_for_addresses()
    {
        NftExpression[] rule = { CtExpression.Load(CtKey.Source, R1, CtDirection.Original), IsAddress("10.0.0.1") };
        ExpressionGolden.AddPath("ct-load-saddr-dir", rule);
        ExpressionGolden.ListPath("ct-load-saddr-dir", rule);
    }

    [Fact]
    public void Direction_is_dropped_by_the_kernel_for_the_protocol()
    {
        ExpressionGolden.AddPath("ct-load-protocol-dir", CtExpression.Load(CtKey.Protocol, R1, CtDirection.Original), Is(NftData.FromByte(6)));
        ExpressionGolden.ListPath("ct-load-protocol-dir", CtExpression.Load(CtKey.Protocol, R1), Is(NftData.FromByte(6)));
    }

    [Fact]
    public void Reply_direction_keys()
    {
        NftExpression[] port = Rule(L4ProtoIs(17), CtExpression.Load(CtKey.ProtoDestination, R1, CtDirection.Reply), Is(NftData.FromPort(53)));
        ExpressionGolden.AddPath("ct-load-reply-proto-dst", port);
        ExpressionGolden.ListPath("ct-load-reply-proto-dst", port);

        NftExpression[] address = { CtExpression.Load(CtKey.DestinationIPv6, R1, CtDirection.Reply), IsAddress("fd00::1") };
        ExpressionGolden.AddPath("ct-load-ip6-daddr", address);
        ExpressionGolden.ListPath("ct-load-ip6-daddr", address);
    }

    [Fact]
    public void Ct_id_has_no_name_in_libnftnl_1_2_4()
    {
        NftExpression[] rule = { CtExpression.Load(CtKey.Id, R1), Is(NftData.FromBigEndianUInt32(1)) };
        ExpressionGolden.AddPath("ct-load-id", rule);
        ExpressionGolden.ListPath("ct-load-id", rule);
        rule[0].ToString().Should().Be("[ ct load unknown => reg 1 ]");
    }

    [Fact]
    public void Set_mark_from_an_immediate_and_from_meta()
    {
        NftExpression[] immediate = { Imm(R1, Host(0x10)), CtExpression.Set(CtKey.Mark, R1) };
        ExpressionGolden.AddPath("ct-set-mark", immediate);
        ExpressionGolden.ListPath("ct-set-mark", immediate);

        NftExpression[] meta = { MetaExpression.Load(MetaKey.Mark, R1), CtExpression.Set(CtKey.Mark, R1) };
        ExpressionGolden.AddPath("ct-set-mark-from-meta", meta);
        ExpressionGolden.ListPath("ct-set-mark-from-meta", meta);
    }

    [Fact]
    public void Set_zone_of_a_direction()
    {
        // ct zone is 16 bits, host order.
        NftExpression[] rule = { Imm(R1, NftData.FromHostUInt16(2)), CtExpression.Set(CtKey.Zone, R1, CtDirection.Original) };
        ExpressionGolden.AddPath("ct-set-zone-dir", rule);
        ExpressionGolden.ListPath("ct-set-zone-dir", rule);
    }

    [Fact]
    public void Set_event_mask()
    {
        NftExpression[] rule = { Imm(R1, Host(3)), CtExpression.Set(CtKey.EventMask, R1) };
        ExpressionGolden.AddPath("ct-set-event", rule);
        ExpressionGolden.ListPath("ct-set-event", rule);
    }
}
