using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class FibExpressionTests
{
    [Fact]
    public void Saddr_iif_oif_missing_matches_nft() =>
        // ip6: fib saddr . iif oif missing drop
        Verify("fib-saddr-iif-oif",
            new FibExpression(FibFlags.SourceAddress | FibFlags.InputInterface | FibFlags.Present, FibResult.OutputInterface, Register.R1),
            Eq(Register.R1, "00000000"),
            new ImmediateExpression(Verdict.Drop));

    [Fact]
    public void Daddr_type_matches_nft() =>
        // fib daddr type local (RTN_LOCAL = 2, host order)
        Verify("fib-daddr-type", new FibExpression(FibFlags.DestinationAddress, FibResult.AddressType, Register.R1), Eq(Register.R1, "02000000"));

    [Fact]
    public void Daddr_oif_exists_matches_nft() =>
        Verify("fib-daddr-oif-present", new FibExpression(FibFlags.DestinationAddress | FibFlags.Present, FibResult.OutputInterface, Register.R1), Eq(Register.R1, "01000000"));

    [Fact]
    public void Daddr_mark_oifname_matches_nft() =>
        Verify("fib-daddr-mark-oifname",
            new FibExpression(FibFlags.DestinationAddress | FibFlags.Mark, FibResult.OutputInterfaceName, Register.R1),
            new CmpExpression(CmpOperator.Equal, Register.R1, NftData.FromInterfaceName("lo")));

    [Fact]
    public void Unnamed_flag_bits_print_like_libnftnl() =>
        new FibExpression(FibFlags.SourceAddress | (FibFlags)0x80, FibResult.OutputInterface, Register.R1).ToString()
            .Should().Be("[ fib saddr . unknown 0x80oif => reg 1 ]");
}
