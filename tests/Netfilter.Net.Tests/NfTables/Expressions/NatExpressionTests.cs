using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.RuleFragments;

namespace Netfilter.Net.Tests.NfTables.Expressions;

/// <summary>
/// nat, add path and list path: the kernel dumps ADDR_MAX = ADDR_MIN and PROTO_MAX = PROTO_MIN
/// when max was absent, and ORs NF_NAT_RANGE_MAP_IPS into the flags when an address is given.
/// </summary>
public sealed class NatExpressionTests
{
    private static readonly Register R3 = Register.R3;
    private static readonly Register R4 = Register.R4;

    [Fact]
    public void Dnat_to_an_address()
    {
        ExpressionGolden.AddPath("nat-dnat-addr", ImmAddress(R1, "10.0.0.1"), new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = R1 });
        ExpressionGolden.ListPath("nat-dnat-addr", ImmAddress(R1, "10.0.0.1"),
            new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = R1, AddressMax = R1, Flags = NatRangeFlags.MapIps });
    }

    [Fact]
    public void Dnat_to_an_address_and_port()
    {
        ExpressionGolden.AddPath("nat-dnat-addr-port", Rule(TcpDportIs(80), ImmAddress(R1, "10.0.0.1"), ImmPort(R2, 8080),
            new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = R1, ProtoMin = R2, Flags = NatRangeFlags.ProtoSpecified }));
        ExpressionGolden.ListPath("nat-dnat-addr-port", Rule(TcpDportIs(80), ImmAddress(R1, "10.0.0.1"), ImmPort(R2, 8080),
            new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = R1, AddressMax = R1, ProtoMin = R2, ProtoMax = R2, Flags = NatRangeFlags.MapIps | NatRangeFlags.ProtoSpecified }));
    }

    [Fact]
    public void Dnat_to_a_port_range()
    {
        ExpressionGolden.AddPath("nat-dnat-port-range", Rule(TcpDportIs(80), ImmAddress(R1, "10.0.0.1"), ImmPort(R2, 8000), ImmPort(R3, 8100),
            new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = R1, ProtoMin = R2, ProtoMax = R3, Flags = NatRangeFlags.ProtoSpecified }));
        ExpressionGolden.ListPath("nat-dnat-port-range", Rule(TcpDportIs(80), ImmAddress(R1, "10.0.0.1"), ImmPort(R2, 8000), ImmPort(R3, 8100),
            new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = R1, AddressMax = R1, ProtoMin = R2, ProtoMax = R3, Flags = NatRangeFlags.MapIps | NatRangeFlags.ProtoSpecified }));
    }

    [Fact]
    public void Snat_to_an_address_range()
    {
        NftExpression[] loads = { ImmAddress(R1, "10.0.0.1"), ImmAddress(R2, "10.0.0.10") };
        ExpressionGolden.AddPath("nat-snat-addr-range", Rule(loads, new NatExpression(NatType.Snat, NetfilterFamily.IPv4) { AddressMin = R1, AddressMax = R2 }));
        ExpressionGolden.ListPath("nat-snat-addr-range", Rule(loads, new NatExpression(NatType.Snat, NetfilterFamily.IPv4) { AddressMin = R1, AddressMax = R2, Flags = NatRangeFlags.MapIps }));
    }

    [Theory]
    [InlineData("nat-snat-random", NatRangeFlags.ProtoRandom)]
    [InlineData("nat-snat-fully-random", NatRangeFlags.ProtoRandomFully)]
    [InlineData("nat-snat-persistent", NatRangeFlags.Persistent)]
    public void Snat_flags(string golden, NatRangeFlags flags)
    {
        ExpressionGolden.AddPath(golden, ImmAddress(R1, "10.0.0.1"), new NatExpression(NatType.Snat, NetfilterFamily.IPv4) { AddressMin = R1, Flags = flags });
        ExpressionGolden.ListPath(golden, ImmAddress(R1, "10.0.0.1"),
            new NatExpression(NatType.Snat, NetfilterFamily.IPv4) { AddressMin = R1, AddressMax = R1, Flags = flags | NatRangeFlags.MapIps });
    }

    [Fact]
    public void Snat_to_address_and_port_ranges_random_and_persistent()
    {
        NftExpression[] loads = Rule(L4ProtoIs(6), ImmAddress(R1, "10.0.0.1"), ImmAddress(R2, "10.0.0.10"), ImmPort(R3, 1000), ImmPort(R4, 2000));
        const NatRangeFlags flags = NatRangeFlags.ProtoSpecified | NatRangeFlags.ProtoRandom | NatRangeFlags.Persistent;
        ExpressionGolden.AddPath("nat-snat-random-persistent", Rule(loads,
            new NatExpression(NatType.Snat, NetfilterFamily.IPv4) { AddressMin = R1, AddressMax = R2, ProtoMin = R3, ProtoMax = R4, Flags = flags }));
        ExpressionGolden.ListPath("nat-snat-random-persistent", Rule(loads,
            new NatExpression(NatType.Snat, NetfilterFamily.IPv4) { AddressMin = R1, AddressMax = R2, ProtoMin = R3, ProtoMax = R4, Flags = flags | NatRangeFlags.MapIps }));
    }

    [Fact]
    public void Snat_prefix_map_uses_netmap_and_a_32_bit_register()
    {
        // The map value is a concatenation (prefix start . prefix end): the second half is in NFT_REG32_01 (reg 9).
        ExpressionGolden.AddPath("nat-snat-netmap", LoadIPv4Saddr(), new LookupExpression("__map%d", R1, R1, setId: 1),
            new NatExpression(NatType.Snat, NetfilterFamily.IPv4) { AddressMin = R1, AddressMax = Register.R32(1), Flags = NatRangeFlags.Netmap });
        ExpressionGolden.ListPath("nat-snat-netmap", LoadIPv4Saddr(), new LookupExpression("__map0", R1, R1, flags: 0),
            new NatExpression(NatType.Snat, NetfilterFamily.IPv4) { AddressMin = R1, AddressMax = Register.R32(1), Flags = NatRangeFlags.Netmap | NatRangeFlags.MapIps });
    }

    [Fact]
    public void Ip6_dnat_to_address_and_port()
    {
        NftExpression[] loads = Rule(TcpDportIs(80), ImmAddress(R1, "fd00::1"), ImmPort(R2, 8080));
        ExpressionGolden.AddPath("nat-ip6-dnat", Rule(loads, new NatExpression(NatType.Dnat, NetfilterFamily.IPv6) { AddressMin = R1, ProtoMin = R2, Flags = NatRangeFlags.ProtoSpecified }));
        ExpressionGolden.ListPath("nat-ip6-dnat", Rule(loads,
            new NatExpression(NatType.Dnat, NetfilterFamily.IPv6) { AddressMin = R1, AddressMax = R1, ProtoMin = R2, ProtoMax = R2, Flags = NatRangeFlags.MapIps | NatRangeFlags.ProtoSpecified }));
    }

    [Fact]
    public void Ip6_snat_to_an_address_range()
    {
        NftExpression[] loads = { ImmAddress(R1, "fd00::1"), ImmAddress(R2, "fd00::10") };
        ExpressionGolden.AddPath("nat-ip6-snat-range", Rule(loads, new NatExpression(NatType.Snat, NetfilterFamily.IPv6) { AddressMin = R1, AddressMax = R2 }));
        ExpressionGolden.ListPath("nat-ip6-snat-range", Rule(loads, new NatExpression(NatType.Snat, NetfilterFamily.IPv6) { AddressMin = R1, AddressMax = R2, Flags = NatRangeFlags.MapIps }));
    }

    [Fact]
    public void Inet_table_dnat_names_the_family_of_the_registers()
    {
        NftExpression[] loads = Rule(L4ProtoIs(6), ImmAddress(R1, "10.0.0.1"), ImmPort(R2, 8080));
        ExpressionGolden.AddPath("nat-inet-dnat-ip", Rule(loads, new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = R1, ProtoMin = R2, Flags = NatRangeFlags.ProtoSpecified }));
        ExpressionGolden.ListPath("nat-inet-dnat-ip", Rule(loads,
            new NatExpression(NatType.Dnat, NetfilterFamily.IPv4) { AddressMin = R1, AddressMax = R1, ProtoMin = R2, ProtoMax = R2, Flags = NatRangeFlags.MapIps | NatRangeFlags.ProtoSpecified }));

        ExpressionGolden.AddPath("nat-inet-dnat-ip6", ImmAddress(R1, "fd00::1"), new NatExpression(NatType.Dnat, NetfilterFamily.IPv6) { AddressMin = R1 });
        ExpressionGolden.ListPath("nat-inet-dnat-ip6", ImmAddress(R1, "fd00::1"),
            new NatExpression(NatType.Dnat, NetfilterFamily.IPv6) { AddressMin = R1, AddressMax = R1, Flags = NatRangeFlags.MapIps });
    }

    [Fact]
    public void A_family_wider_than_NFPROTO_keeps_the_expression_raw()
    {
        // NFTA_NAT_TYPE 1, NFTA_NAT_FAMILY 0x102: NetfilterFamily is a byte, so decoding it would lose bits.
        byte[] data = { 8, 0, 1, 0, 0, 0, 0, 1, 8, 0, 2, 0, 0, 0, 1, 2 };
        ExpressionRegistry.Decode("nat", data).Should().BeOfType<UnknownExpression>();
        ExpressionRegistry.Decode("nat", data.Take(12).Concat(new byte[] { 0, 0, 0, 2 }).ToArray()).ToString().Should().Be("[ nat dnat ip ]");
    }
}
