using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class ImmediateExpressionTests
{
    public static IEnumerable<object[]> Verdicts() => new[]
    {
        new object[] { "immediate-accept", Verdict.Accept },
        new object[] { "immediate-drop", Verdict.Drop },
        new object[] { "immediate-return", Verdict.Return },
        new object[] { "immediate-continue", Verdict.Continue },
        new object[] { "immediate-jump", Verdict.JumpTo("other") },
        new object[] { "immediate-goto", Verdict.GotoChain("other") },
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void Verdicts_go_to_register_0(string golden, Verdict verdict)
    {
        var rule = new NftExpression[] { new ImmediateExpression(verdict) };
        ExpressionGolden.AddPath(golden, rule);
        ExpressionGolden.ListPath(golden, rule);
    }

    [Fact]
    public void Data_goes_to_a_register()
    {
        // immediate reg 1 0x0000901f: port 8080 in network order (from the payload-write-tcp-dport capture).
        new ImmediateExpression(Register.R1, NftData.FromPort(8080)).ToString().Should().Be("[ immediate reg 1 0x0000901f ]");
    }
}
