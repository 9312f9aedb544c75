using System.Net;
using CsCheck;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Tests.Nat;

/// <summary>
/// The compiler's map keys and values are written in one buffer (NatConcat) for speed; they must be
/// the bytes NftData.Concat makes of the same parts, which the goldens and the kernel agree on.
/// </summary>
public sealed class NatConcatTests
{
    private static readonly Gen<IPAddress> Address = Gen.OneOf(
        Gen.Byte.Array[4].Select(b => new IPAddress(b)),
        Gen.Byte.Array[16].Select(b => new IPAddress(b)));

    [Fact]
    public void Keys_and_values_are_the_bytes_of_NftData_Concat()
    {
        Gen.Select(Gen.Byte, Gen.Int[0, 65535], Address, Gen.Int[0, 65535]).Sample((protocol, port, address, targetPort) =>
        {
            NatRuleCompiler.Key(protocol, port).Should().Be(NftData.Concat(NftData.FromByte(protocol), NftData.FromPort(port)));
            NatRuleCompiler.MasqueradeKey(protocol, port, address, targetPort).Should().Be(
                NftData.Concat(NftData.FromByte(protocol), NftData.FromPort(port), NftData.FromIPAddress(address), NftData.FromPort(targetPort)));
        });
    }

    [Fact]
    public void A_port_outside_0_to_65535_is_refused_as_NftData_refuses_it()
    {
        FluentActions.Invoking(() => NatRuleCompiler.Key(6, 65536)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => NftData.FromPort(65536)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
