using System.Net;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class RtExpressionTests
{
    [Fact]
    public void Classid_matches_nft() =>
        Verify("rt-classid", new RtExpression(RtKey.ClassId, Register.R1), Eq(Register.R1, "0a000000"));

    [Fact]
    public void Ipv4_next_hop_matches_nft() =>
        Verify("rt-nexthop4", new RtExpression(RtKey.NextHop4, Register.R1), new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromIPAddress(IPAddress.Parse("10.0.0.1"))));

    [Fact]
    public void Ipv6_next_hop_matches_nft() =>
        Verify("rt-nexthop6", new RtExpression(RtKey.NextHop6, Register.R1), new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromIPAddress(IPAddress.Parse("fd00::1"))));

    [Fact]
    public void Tcp_mss_matches_nft() =>
        // rt mtu 1400: 2 bytes, host order
        Verify("rt-tcpmss", new RtExpression(RtKey.TcpMss, Register.R1), new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromHostUInt16(1400)));
}

public sealed class XfrmExpressionTests
{
    [Fact]
    public void Reqid_in_matches_nft() =>
        Verify("xfrm-reqid", new XfrmExpression(XfrmKey.RequestId, XfrmDirection.In, 0, Register.R1), Eq(Register.R1, "01000000"));

    [Fact]
    public void Ipv4_daddr_out_matches_nft() =>
        Verify("xfrm-daddr4", new XfrmExpression(XfrmKey.DestinationAddress4, XfrmDirection.Out, 0, Register.R1), new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromIPAddress(IPAddress.Parse("1.2.3.4"))));

    [Fact]
    public void Spi_of_the_second_state_matches_nft() =>
        // ipsec in spnum 1 spi 1 (network order)
        Verify("xfrm-spi", new XfrmExpression(XfrmKey.Spi, XfrmDirection.In, 1, Register.R1), new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromBigEndianUInt32(1)));
}
