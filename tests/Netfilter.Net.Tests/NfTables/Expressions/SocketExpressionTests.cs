using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.Tests.Fakes;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Expressions;

public sealed class SocketExpressionTests
{
    [Fact]
    public void Transparent_matches_nft() =>
        // socket transparent 1 accept
        Verify("socket-transparent", SocketExpression.Load(SocketKey.Transparent, Register.R1), Eq(Register.R1, "01"), new ImmediateExpression(Verdict.Accept));

    [Fact]
    public void Mark_matches_nft() =>
        Verify("socket-mark", SocketExpression.Load(SocketKey.Mark, Register.R1), Eq(Register.R1, "05000000"));

    [Fact]
    public void Wildcard_matches_nft() =>
        Verify("socket-wildcard", SocketExpression.Load(SocketKey.Wildcard, Register.R1), Eq(Register.R1, "00"));

    [Fact]
    public void Cgroupv2_with_a_level_matches_nft() =>
        // socket cgroupv2 level 1 "/": the value is the cgroup id (inode) nft looked up.
        Verify("socket-cgroupv2", SocketExpression.Load(SocketKey.CgroupV2, Register.R1, level: 1), Eq(Register.R1, "0500000000000000"));

    [Fact]
    public void The_kernel_dumps_no_level_for_other_keys_and_the_text_is_unchanged()
    {
        var golden = SectionGoldenFile.Load("nftables-sections/socket-mark.golden");
        var socket = (SocketExpression)Decode(golden.Section("list").Bytes())[0];
        socket.Level.Should().BeNull();
        socket.ToString().Should().Be("[ socket load mark => reg 1 ]");
    }

    [Fact]
    public void Without_a_register_libnftnl_prints_the_level() =>
        // A hand-made expression with no DREG (the kernel refuses it; libnftnl 1.2.4 prints the level).
        Decode(Encode(new NftExpression[] { new UnknownExpression("socket", Convert.FromHexString("0800010000000003080003000000000a")) }))[0]
            .ToString().Should().Be("[ socket level 10 ]");
}
