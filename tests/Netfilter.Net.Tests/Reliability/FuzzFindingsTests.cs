using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.Tests.Reliability;

/// <summary>
/// Datagrams the long fuzz run (native-tests/Netfilter.Net.Benchmarks, suite "fuzz") found to
/// crash a decoder, kept byte for byte: each must now decode or raise NetlinkProtocolException,
/// never anything else (DESIGN.md: decoding is total).
/// </summary>
public sealed class FuzzFindingsTests
{
    [Theory]
    // NFT_MSG_NEWOBJ with an empty NFTA_OBJ_NAME: the object's constructor threw ArgumentException (1,000,000 iterations, seed 15: 11 such crashes).
    [InlineData("object", "64000000120a020800000000f87000000100000209000100726963680000000009000200667470680000000008000300000000030c000600000000000000000a0800050000000001110000000800010066747000050003000600000006000200009a0000")]
    // NFT_MSG_NEWOBJ with an empty NFTA_OBJ_TABLE.
    [InlineData("object", "64000000120a020800000000f87000000100000209000100000100000000000009000200667470680000000008000300000000030c00060000000000a500000a08000500000000011c000400080001006674700005000300060000000600020000020000")]
    // NFT_MSG_NEWFLOWTABLE with an empty NFTA_FLOWTABLE_NAME: Flowtable's constructor threw ArgumentException.
    [InlineData("flowtable", "24000000160a000000000000000000000100000006000100740001000700020000010000")]
    public void A_message_that_crashed_a_decoder_now_raises_NetlinkProtocolException(string codec, string hex)
    {
        byte[] datagram = Convert.FromHexString(hex);
        Action decode = () => Decode(codec, datagram);
        decode.Should().Throw<NetlinkProtocolException>().Which.Message.Should().Contain("empty");
    }

    private static void Decode(string codec, byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        reader.TryRead(out NetlinkMessage message).Should().BeTrue();
        _ = codec == "object" ? (object)ObjectCodec.Decode(message) : FlowtableCodec.Decode(message);
    }
}
