using System.Net;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class DupExpressionTests
{
    [Fact]
    public void Ip_dup_to_address_through_device_matches_nft() =>
        // ip: dup to 10.0.0.2 device "lo" (lo is ifindex 1 in a fresh namespace, host order)
        Verify("dup-ip",
            new ImmediateExpression(Register.R1, NftData.FromIPAddress(IPAddress.Parse("10.0.0.2"))),
            new ImmediateExpression(Register.R2, NftData.FromHostUInt32(1)),
            new DupExpression(address: Register.R1, device: Register.R2));

    [Fact]
    public void Netdev_dup_to_device_matches_nft() =>
        Verify("dup-netdev", new ImmediateExpression(Register.R1, NftData.FromHostUInt32(1)), new DupExpression(device: Register.R1));

    [Fact]
    public void Dup_needs_a_register() =>
        FluentActions.Invoking(() => new DupExpression()).Should().Throw<ArgumentException>().WithParameterName("address");
}

public sealed class FwdExpressionTests
{
    [Fact]
    public void Netdev_fwd_to_device_matches_nft() =>
        Verify("fwd-netdev", new ImmediateExpression(Register.R1, NftData.FromHostUInt32(1)), new FwdExpression(Register.R1));

    [Fact]
    public void Netdev_fwd_to_ipv4_next_hop_matches_nft() =>
        Verify("fwd-netdev-ip",
            new ImmediateExpression(Register.R1, NftData.FromHostUInt32(1)),
            new ImmediateExpression(Register.R2, NftData.FromIPAddress(IPAddress.Parse("10.0.0.1"))),
            new FwdExpression(Register.R1, Register.R2, NetfilterFamily.IPv4));

    [Fact]
    public void Netdev_fwd_to_ipv6_next_hop_matches_nft() =>
        Verify("fwd-netdev-ip6",
            new ImmediateExpression(Register.R1, NftData.FromHostUInt32(1)),
            new ImmediateExpression(Register.R2, NftData.FromIPAddress(IPAddress.Parse("fd00::1"))),
            new FwdExpression(Register.R1, Register.R2, NetfilterFamily.IPv6));
}
