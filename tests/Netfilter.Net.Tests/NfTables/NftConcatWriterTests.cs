using System.Net;
using CsCheck;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Tests.NfTables;

/// <summary>
/// Concatenations are written by one writer (NftConcatWriter), for NftData.Concat and for the NAT
/// compiler's map keys and values alike. The expected bytes are spelled out here, as the kernel's
/// registers hold them: each part in network byte order, padded with zeros to 4 bytes.
/// </summary>
public sealed class NftConcatWriterTests
{
    private static readonly Gen<IPAddress> Address = Gen.OneOf(
        Gen.Byte.Array[4].Select(b => new IPAddress(b)),
        Gen.Byte.Array[16].Select(b => new IPAddress(b)));

    private static byte[] Padded(params byte[] part) => part.Concat(new byte[(4 - part.Length % 4) % 4]).ToArray();

    private static byte[] Port(int port) => Padded((byte)(port >> 8), (byte)port);

    [Fact]
    public void Nat_map_keys_are_the_parts_in_network_order_each_padded_to_4_bytes()
    {
        Gen.Select(Gen.Byte, Gen.Int[0, 65535], Address, Gen.Int[0, 65535]).Sample((protocol, port, address, targetPort) =>
        {
            byte[] key = Padded(protocol).Concat(Port(port)).ToArray();
            NatRuleCompiler.Key(protocol, port).Span.ToArray().Should().Equal(key);
            NatRuleCompiler.MasqueradeKey(protocol, port, address, targetPort).Span.ToArray().Should().Equal(
                key.Concat(address.GetAddressBytes()).Concat(Port(targetPort)));
        });
    }

    [Fact]
    public void NftData_Concat_pads_every_part_and_refuses_more_than_the_registers_hold()
    {
        Gen.Select(Gen.Byte.Array[1, 16], Gen.Byte.Array[1, 16]).Sample((a, b) =>
        {
            NftData.Concat(NftData.FromBytes(a), NftData.FromBytes(b)).Span.ToArray().Should().Equal(Padded(a).Concat(Padded(b)));
        });
        NftData.Concat(Enumerable.Repeat(NftData.FromBytes(new byte[13]), 4).ToArray()).Length.Should().Be(64, "four 13-byte parts take 16 each: all the registers");
        FluentActions.Invoking(() => NftData.Concat(Enumerable.Repeat(NftData.FromBytes(new byte[13]), 5).ToArray()))
            .Should().Throw<ArgumentException>().WithMessage("the concatenation is 80 bytes; registers hold 64*");
    }

    [Fact]
    public void A_port_outside_0_to_65535_is_refused_as_NftData_refuses_it()
    {
        FluentActions.Invoking(() => NatRuleCompiler.Key(6, 65536)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => NftData.FromPort(65536)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
