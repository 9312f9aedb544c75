using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.RuleFragments;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class PayloadExpressionTests
{
    [Fact]
    public void Load_tcp_dport()
    {
        NftExpression[] rule = TcpDportIs(22);
        ExpressionGolden.AddPath("payload-load-tcp-dport", rule);
        ExpressionGolden.ListPath("payload-load-tcp-dport", rule);
    }

    [Fact]
    public void Write_tcp_dport_with_the_inet_checksum_at_offset_16()
    {
        NftExpression[] add = Rule(TcpDportIs(80), ImmPort(R1, 8080), PayloadExpression.Write(PayloadBase.Transport, 2, 2, R1, checksumType: 1, checksumOffset: 16));
        ExpressionGolden.AddPath("payload-write-tcp-dport", add);
        // The kernel dumps all three checksum attributes.
        NftExpression[] list = Rule(TcpDportIs(80), ImmPort(R1, 8080), PayloadExpression.Write(PayloadBase.Transport, 2, 2, R1, 1, 16, 0));
        ExpressionGolden.ListPath("payload-write-tcp-dport", list);
    }

    [Fact]
    public void Write_ip_saddr_fixes_the_l4_pseudo_header_checksum()
    {
        NftExpression[] rule = { ImmAddress(R1, "10.0.0.1"), PayloadExpression.Write(PayloadBase.Network, 12, 4, R1, 1, 10, 1) };
        ExpressionGolden.AddPath("payload-write-ip-saddr", rule);
        ExpressionGolden.ListPath("payload-write-ip-saddr", rule);
    }

    [Fact]
    public void Write_ip_ttl_is_a_read_modify_write_of_two_bytes()
    {
        var bitwise = BitwiseExpression.MaskXor(R1, R1, NftData.FromBytes(new byte[] { 0x00, 0xff }), NftData.FromBytes(new byte[] { 0x40, 0x00 }));
        NftExpression[] add = { PayloadExpression.Load(PayloadBase.Network, 8, 2, R1), bitwise, PayloadExpression.Write(PayloadBase.Network, 8, 2, R1, 1, 10) };
        ExpressionGolden.AddPath("payload-write-ip-ttl", add);
        NftExpression[] list = { PayloadExpression.Load(PayloadBase.Network, 8, 2, R1), bitwise, PayloadExpression.Write(PayloadBase.Network, 8, 2, R1, 1, 10, 0) };
        ExpressionGolden.ListPath("payload-write-ip-ttl", list);
    }

    [Fact]
    public void Write_ip6_hoplimit_sends_no_checksum_attributes()
    {
        NftExpression[] add = { Imm(R1, NftData.FromByte(1)), PayloadExpression.Write(PayloadBase.Network, 7, 1, R1) };
        ExpressionGolden.AddPath("payload-write-ip6-hoplimit", add);
        NftExpression[] list = { Imm(R1, NftData.FromByte(1)), PayloadExpression.Write(PayloadBase.Network, 7, 1, R1, 0, 0, 0) };
        ExpressionGolden.ListPath("payload-write-ip6-hoplimit", list);
    }
}
