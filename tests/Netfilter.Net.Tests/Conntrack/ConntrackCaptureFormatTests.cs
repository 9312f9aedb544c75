using Netfilter.Net.Tests.Support;

namespace Netfilter.Net.Tests.Conntrack;

/// <summary>
/// The conntrack captures moved from strace's hex-dump layout to the one capture layout of
/// Captures/ (<see cref="CaptureFile"/>). Each digest below was computed from the old files (every
/// datagram in order: its direction, length and bytes); the converted files must hold exactly the
/// same datagrams. conntrack -L expect's reply arrives by recvfrom, which the old reader glued to
/// the request before it; it is a datagram of its own now, with the same bytes.
/// </summary>
public sealed class ConntrackCaptureFormatTests
{
    [Theory]
    [InlineData("count", 2, "f4bed0875c86ba2b8867f700bfaa711633992a04cb52ab1d5a618b6ea36b2fd4")]
    [InlineData("create", 2, "19a19a473b576b94c46b953639dd04f521eec2514e6bc080650a722093513b19")]
    [InlineData("delete", 5, "c19d45cba6d0e18a8e77d1434723d18676cacf3d01e3b52efd2cb5d11250d97f")]
    [InlineData("dump-expect", 2, "815fd779f7b7164fdafb7a7ff618a3a518fa45b6ae3867f2bb5ece56b9e25061")]
    [InlineData("dump-extended", 3, "af3ad73ebfa5083f7f6b9d70c9f4be024e16b2abfab1d2954f6a0e7be321a837")]
    [InlineData("dump-ipv6", 3, "a3d2db24421104c487f094fbb8af1d74d4e3771e6ddb193babbb08aa8da9c8b2")]
    [InlineData("dump-mark", 3, "455909b091d31a41b38929c71dbd3906ca80f45529e2d47c2101f838b2df8cc1")]
    [InlineData("dump-status", 3, "c029cd55a083839981ac217c256c3f696b3c212ac9acbbb9ab076f45af69c1ca")]
    [InlineData("dump-tcp-dport", 3, "570cd53ac4112159b33e339592e4f0f1970ce373319bb5be82710bf792f00dd4")]
    [InlineData("dump-zone", 3, "1662f8cf7322f861309cbc2a7351c65e40a13a35190eff25047eecf2b9a41217")]
    [InlineData("dump", 3, "d3fde9549b94209611f887b254b6bf803224027b045bcae56afc820c148b9da6")]
    [InlineData("flush-expect", 2, "35b468b9ad2f9b3b2daa643cd30ab6932bc2a2a38e789819e72c64ca6e115d1f")]
    [InlineData("flush", 2, "2227f9328db9ea0e2ae1207a2fb98ce1430d8ffcc2f406903b6a24942104cd38")]
    [InlineData("get", 2, "4360dfb7d4d5d00da1ca50ee34cb8903988727d8a76f7b98a6ca8e1be7cf0724")]
    [InlineData("stats-cpu", 3, "b5b4457aacb0ff458c2a55ed510d6b401fbdb7bd1c6d07e8d9cc0328bb8e8b8d")]
    [InlineData("update-mark", 7, "07ab90d092f5c6e3c480a36e8c44884542372be156604b9cddfdf00899d1f6d4")]
    public void The_converted_capture_holds_the_same_datagrams(string name, int datagrams, string sha256)
    {
        CaptureFile capture = CaptureFile.Load($"conntrack/{name}.txt");
        capture.Datagrams.Should().HaveCount(datagrams);
        CaptureFile.Digest(capture.Datagrams).Should().Be(sha256);
    }
}
