using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

// iptables-nft writes these; nft only lists them.
public sealed class XtablesExpressionTests
{
    [Fact]
    public void Multiport_match_and_log_target_match_iptables_nft()
    {
        // iptables -A INPUT -p tcp -m multiport --dports 22,80 -j LOG --log-prefix x
        byte[] multiport = Convert.FromHexString("010216005000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
        byte[] log = Convert.FromHexString("0400780000000000000000000000000000000000000000000000000000000000");
        Verify("match-target",
            MetaLoad(MetaKey.L4Proto), Eq(Register.R1, "06"),
            new MatchExpression("multiport", 1, multiport),
            new CounterExpression(0, 0),
            new TargetExpression("LOG", 0, log));
    }

    [Fact]
    public void Addrtype_match_matches_iptables_nft() =>
        // iptables -A INPUT -m addrtype --dst-type LOCAL -j ACCEPT
        Verify("match-addrtype",
            new MatchExpression("addrtype", 1, Convert.FromHexString("0000040000000000")),
            new CounterExpression(0, 0),
            new ImmediateExpression(Verdict.Accept));
}
