using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.RuleFragments;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class BitwiseExpressionTests
{
    [Fact]
    public void Mask_then_compare()
    {
        NftExpression[] rule =
        {
            MetaExpression.Load(MetaKey.Mark, R1),
            BitwiseExpression.MaskXor(R1, R1, Host(0xff), Host(0)),
            new CmpExpression(CmpOperator.Equal, R1, Host(3)),
        };
        ExpressionGolden.AddPath("bitwise-mask", rule);
        ExpressionGolden.ListPath("bitwise-mask", rule);
    }

    [Fact]
    public void Or_is_a_mask_and_an_xor()
    {
        NftExpression[] rule =
        {
            MetaExpression.Load(MetaKey.Mark, R1),
            BitwiseExpression.MaskXor(R1, R1, Host(0xffffffef), Host(0x10)),
            MetaExpression.Set(MetaKey.Mark, R1),
        };
        ExpressionGolden.AddPath("bitwise-mask-xor", rule);
        ExpressionGolden.ListPath("bitwise-mask-xor", rule);
    }

    [Fact]
    public void Flag_tests_send_no_operation_and_the_kernel_dumps_it()
    {
        NftExpression[] Rule(bool sendOperation) => new NftExpression[]
        {
            CtExpression.Load(CtKey.State, R1),
            BitwiseExpression.MaskXor(R1, R1, Host(6), Host(0), sendOperation),
            new CmpExpression(CmpOperator.NotEqual, R1, Host(0)),
            new ImmediateExpression(Verdict.Accept),
        };
        ExpressionGolden.AddPath("ct-load-state", Rule(sendOperation: false));
        ExpressionGolden.ListPath("ct-load-state", Rule(sendOperation: true));
    }

    [Fact]
    public void Left_shift()
    {
        NftExpression[] rule = { CtExpression.Load(CtKey.Mark, R1), BitwiseExpression.LeftShift(R1, R1, 4, 8), MetaExpression.Set(MetaKey.Mark, R1) };
        ExpressionGolden.AddPath("bitwise-lshift", rule);
        ExpressionGolden.ListPath("bitwise-lshift", rule);
    }

    [Fact]
    public void Right_shift()
    {
        NftExpression[] rule = { CtExpression.Load(CtKey.Mark, R1), BitwiseExpression.RightShift(R1, R1, 4, 8), MetaExpression.Set(MetaKey.Mark, R1) };
        ExpressionGolden.AddPath("bitwise-rshift", rule);
        ExpressionGolden.ListPath("bitwise-rshift", rule);
    }

    [Fact]
    public void And_of_two_registers_encodes_sreg2_and_renders_as_libnftnl_1_2_4_does()
    {
        // Kernel 6.13 form; nft 1.0.6 cannot produce it and libnftnl 1.2.4 prints an empty body
        // (the native ExpressionsATests shows the kernel accepts it and nft prints "[ bitwise ]").
        var and = BitwiseExpression.Combine(BitwiseOperation.And, R1, Register.R2, Register.R3, 4);
        and.ToString().Should().Be("[ bitwise ]");
        byte[] element = ExpressionGolden.EncodeElement(and);
        Convert.ToHexString(element).ToLowerInvariant().Should().Be(
            "3c000180" + "0c000100" + "6269747769736500" // NFTA_LIST_ELEM, NFTA_EXPR_NAME "bitwise"
            + "2c000280"                                  // NFTA_EXPR_DATA
            + "0800010000000001"                          // NFTA_BITWISE_SREG 1
            + "0800080000000002"                          // NFTA_BITWISE_SREG2 2
            + "0800020000000003"                          // NFTA_BITWISE_DREG 3
            + "0800060000000003"                          // NFTA_BITWISE_OP 3 (NFT_BITWISE_AND)
            + "0800030000000004");                        // NFTA_BITWISE_LEN 4
        NftExpression decoded = ExpressionGolden.DecodeElement(element);
        decoded.Should().BeOfType<BitwiseExpression>().Which.Source2.Should().Be(Register.R2);
        ExpressionGolden.EncodeElement(decoded).Should().Equal(element);
    }

    [Fact]
    public void Xor_with_a_constant_carries_data()
    {
        var xor = BitwiseExpression.Combine(BitwiseOperation.Xor, R1, Host(0x10), R1);
        xor.Length.Should().Be(4);
        xor.Data.Should().Be(Host(0x10));
        xor.Source2.Should().BeNull();
        NftExpression decoded = ExpressionGolden.DecodeElement(ExpressionGolden.EncodeElement(xor));
        ExpressionGolden.EncodeElement(decoded).Should().Equal(ExpressionGolden.EncodeElement(xor));
        decoded.ToString().Should().Be("[ bitwise ]");
    }

    [Fact]
    public void Bad_arguments_are_refused_before_anything_is_sent()
    {
        FluentActions.Invoking(() => BitwiseExpression.MaskXor(R1, R1, Host(1), NftData.FromByte(0)))
            .Should().Throw<ArgumentException>().WithParameterName("xor");
        FluentActions.Invoking(() => BitwiseExpression.LeftShift(R1, R1, 4, 32))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("shift");
        FluentActions.Invoking(() => BitwiseExpression.RightShift(R1, R1, 0, 1))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("length");
        FluentActions.Invoking(() => BitwiseExpression.Combine(BitwiseOperation.LeftShift, R1, Register.R2, R1, 4))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("operation");
    }
}
