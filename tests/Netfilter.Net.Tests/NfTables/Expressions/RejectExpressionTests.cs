using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class RejectExpressionTests
{
    [Fact]
    public void Ip_default_is_icmp_port_unreachable() =>
        Verify("reject-ip", new RejectExpression(RejectType.IcmpUnreachable, 3));

    [Fact]
    public void Inet_default_is_icmpx_port_unreachable() =>
        Verify("reject-inet", new RejectExpression(RejectType.IcmpxUnreachable, 1));

    [Fact]
    public void Tcp_reset_matches_nft_and_the_kernel_drops_the_code() =>
        // The kernel dumps no NFTA_REJECT_ICMP_CODE for a TCP reset; libnftnl still prints "code 0".
        Verify("reject-tcp-reset", MetaLoad(MetaKey.L4Proto), Eq(Register.R1, "06"), new RejectExpression(RejectType.TcpReset, 0));

    [Fact]
    public void Icmpx_admin_prohibited_matches_nft() =>
        Verify("reject-icmpx", new RejectExpression(RejectType.IcmpxUnreachable, 3));

    [Fact]
    public void Icmpv6_admin_prohibited_matches_nft() =>
        Verify("reject-icmpv6", new RejectExpression(RejectType.IcmpUnreachable, 1));
}
