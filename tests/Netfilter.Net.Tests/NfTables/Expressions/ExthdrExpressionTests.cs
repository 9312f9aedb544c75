using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class ExthdrExpressionTests
{
    [Fact]
    public void Tcp_option_load_matches_nft() =>
        // tcp option maxseg size 1400
        Verify("exthdr-tcpopt-load", ExthdrExpression.Load(ExthdrOp.TcpOption, 2, 2, 2, Register.R1), Eq(Register.R1, "0578"));

    [Fact]
    public void Tcp_option_write_matches_nft() =>
        // tcp option maxseg size set 1360
        Verify("exthdr-tcpopt-write", Imm(Register.R1, "0550"), ExthdrExpression.Write(ExthdrOp.TcpOption, 2, 2, 2, Register.R1));

    [Fact]
    public void Tcp_option_exists_matches_nft() =>
        Verify("exthdr-tcpopt-present", ExthdrExpression.Load(ExthdrOp.TcpOption, 4, 0, 1, Register.R1, present: true), Eq(Register.R1, "01"));

    [Fact]
    public void Tcp_option_reset_matches_nft() =>
        Verify("exthdr-tcpopt-reset", ExthdrExpression.ResetTcpOption(4));

    [Fact]
    public void Ipv4_option_exists_matches_nft() =>
        // ip option rr exists (inet: preceded by the nfproto check)
        Verify("exthdr-ipv4-present",
            MetaLoad(MetaKey.NfProto), Eq(Register.R1, "02"),
            ExthdrExpression.Load(ExthdrOp.IPv4, 7, 0, 1, Register.R1, present: true), Eq(Register.R1, "01"));

    [Fact]
    public void Ipv6_extension_header_matches_nft() =>
        // hbh nexthdr 6
        Verify("exthdr-ipv6",
            MetaLoad(MetaKey.NfProto), Eq(Register.R1, "0a"),
            ExthdrExpression.Load(ExthdrOp.IPv6, 0, 0, 1, Register.R1), Eq(Register.R1, "06"));

    [Fact]
    public void Sctp_chunk_field_matches_nft() =>
        // sctp chunk init num-inbound-streams 4: op sctp prints no name
        Verify("exthdr-sctp", ExthdrExpression.Load(ExthdrOp.Sctp, 1, 14, 2, Register.R1), Eq(Register.R1, "0004"));

    [Fact]
    public void Sctp_chunk_exists_matches_nft() =>
        Verify("exthdr-sctp-present", ExthdrExpression.Load(ExthdrOp.Sctp, 0, 0, 1, Register.R1, present: true), Eq(Register.R1, "01"));

    [Fact]
    public void Neither_register_nor_reset_prints_the_raw_fields() =>
        // libnftnl's last branch: no DREG, no SREG, and not a tcp option reset (TYPE 44, OFFSET 3, LEN 1, OP ipv6).
        Decode(Encode(new NftExpression[] { new UnknownExpression("exthdr", Convert.FromHexString("050002002c000000080003000000000308000400000000010800060000000000")) }))
            .Should().ContainSingle().Which.ToString().Should().Be("[ exthdr op 0 len 1 type 44 offset 3 ]");
}
