using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Netlink;

public sealed class NetlinkAlignmentTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 4)]
    [InlineData(4, 4)]
    [InlineData(5, 8)]
    [InlineData(65535, 65536)]
    public void Align_rounds_up_to_four_bytes_like_NLMSG_ALIGN(int length, int aligned) =>
        NetlinkAlignment.Align(length).Should().Be(aligned);
}
