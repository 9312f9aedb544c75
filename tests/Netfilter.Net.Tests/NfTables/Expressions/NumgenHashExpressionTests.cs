using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class NumgenExpressionTests
{
    [Fact]
    public void Incremental_with_offset_matches_nft() =>
        // meta mark set numgen inc mod 2 offset 100
        Verify("numgen-inc", new NumgenExpression(NumgenType.Incremental, 2, Register.R1, 100), MetaExpression.Set(MetaKey.Mark, Register.R1));

    [Fact]
    public void Random_matches_nft() =>
        // nft sends offset 0; libnftnl does not print it.
        Verify("numgen-random", new NumgenExpression(NumgenType.Random, 10, Register.R1), MetaExpression.Set(MetaKey.Mark, Register.R1));

    [Fact]
    public void A_zero_modulus_is_refused_before_sending() =>
        FluentActions.Invoking(() => new NumgenExpression(NumgenType.Random, 0, Register.R1))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("modulus");
}

public sealed class HashExpressionTests
{
    [Fact]
    public void Jhash_of_a_concatenation_matches_nft() =>
        // meta mark set jhash ip saddr . tcp dport mod 2 seed 0xdeadbeef offset 100
        Verify("hash-jhash",
            MetaLoad(MetaKey.NfProto), Eq(Register.R1, "02"),
            MetaLoad(MetaKey.L4Proto), Eq(Register.R1, "06"),
            PayloadExpression.Load(PayloadBase.Network, 12, 4, Register.R2),
            PayloadExpression.Load(PayloadBase.Transport, 2, 2, Register.R32(5)),
            HashExpression.Jenkins(Register.R2, 8, 0xdeadbeef, 2, Register.R1, offset: 100),
            MetaExpression.Set(MetaKey.Mark, Register.R1));

    [Fact]
    public void Symhash_matches_nft() =>
        Verify("hash-symhash", HashExpression.Symmetric(2, Register.R1, offset: 100), MetaExpression.Set(MetaKey.Mark, Register.R1));

    [Fact]
    public void Bad_arguments_are_refused_before_sending()
    {
        FluentActions.Invoking(() => HashExpression.Symmetric(0, Register.R1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("modulus");
        FluentActions.Invoking(() => HashExpression.Jenkins(Register.R2, 0, 1, 2, Register.R1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("length");
    }
}
