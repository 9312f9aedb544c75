using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Fakes;
using Netfilter.Net.Tests.Support;
using static Netfilter.Net.Tests.Fakes.KernelConstants;

namespace Netfilter.Net.Tests.Netlink;

/// <summary>
/// <see cref="NetlinkError.Decode"/> on the kernel's real answers (Captures/netlink) and on the
/// shapes struct nlmsgerr can take: ack, capped, uncapped with the whole request, with and
/// without extended-ack TLVs, and malformed.
/// </summary>
public sealed class NetlinkErrorTests
{
    private static NetlinkError DecodeSingle(byte[] datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        reader.TryRead(out NetlinkMessage message).Should().BeTrue();
        message.Type.Should().Be(NetlinkMessageType.Error);
        NetlinkError error = NetlinkError.Decode(message);
        reader.TryRead(out _).Should().BeFalse();
        return error;
    }

    private static List<(NetlinkMessageHeader Header, NetlinkError Error)> DecodeAll(byte[] datagram)
    {
        var result = new List<(NetlinkMessageHeader, NetlinkError)>();
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out NetlinkMessage message))
        {
            result.Add((message.Header, NetlinkError.Decode(message)));
        }
        return result;
    }

    [Fact]
    public void Capped_ack_from_the_kernel()
    {
        CaptureFile golden = CaptureFile.Load("netlink/capped-ack-and-error.txt");
        (NetlinkMessageHeader header, NetlinkError ack) = DecodeAll(golden.Replies.First()).Single();

        header.Flags.Should().Be(NetlinkMessageFlags.Capped);
        ack.IsAck.Should().BeTrue();
        ack.ErrorCode.Should().Be(0);
        ack.Request.Sequence.Should().Be(101u);
        ack.Request.Type.Should().Be((ushort)0x0a00, "it echoes the NEWTABLE header");
        ack.Message.Should().BeNull();
        ack.Offset.Should().BeNull();
    }

    [Fact]
    public void Capped_error_with_extended_ack_TLVs_from_the_kernel()
    {
        CaptureFile golden = CaptureFile.Load("netlink/capped-ack-and-error.txt");
        (NetlinkMessageHeader header, NetlinkError error) = DecodeAll(golden.Replies.Last()).Single();

        header.Flags.Should().Be(NetlinkMessageFlags.Capped | NetlinkMessageFlags.AckTlvs);
        error.IsAck.Should().BeFalse();
        error.Errno.Should().Be(Errno.ENOENT);
        error.Request.Sequence.Should().Be(102u);
        error.Request.Length.Should().Be(32u, "the echoed header still states the request's full length");
        error.Offset.Should().Be(20u, "NFTA_TABLE_NAME follows nlmsghdr (16) and nfgenmsg (4)");
        error.Message.Should().BeNull("nf_tables points at the attribute without text");
    }

    [Fact]
    public void Uncapped_error_echoing_the_whole_request_then_the_TLVs()
    {
        CaptureFile golden = CaptureFile.Load("netlink/delete-missing-table.txt");
        byte[] request = golden.Requests.Last();
        NetlinkError error = DecodeSingle(golden.Replies.Last());

        error.Errno.Should().Be(Errno.ENOENT);
        error.Request.Type.Should().Be((ushort)0x0a02);
        error.Offset.Should().Be(20u);
        // The offset counts from the failing message's header in what nft sent.
        var reader = new NetlinkMessageReader(request);
        reader.TryRead(out _);
        reader.TryRead(out NetlinkMessage deleted).Should().BeTrue();
        deleted.Header.Sequence.Should().Be(error.Request.Sequence);
        var attributes = new NetlinkAttributeReader(deleted.Bytes.Slice((int)error.Offset!.Value), "DELTABLE");
        attributes.TryRead(out NetlinkAttribute name).Should().BeTrue();
        name.Type.Should().Be(NftaTableName);
        name.GetStringZ().Should().Be("nosuch");
    }

    [Fact]
    public void Uncapped_error_with_kernel_text_offset_and_a_policy_TLV_that_is_ignored()
    {
        CaptureFile golden = CaptureFile.Load("netlink/policy-error-text.txt");
        NetlinkError error = DecodeSingle(golden.Replies.Single());

        error.Errno.Should().Be(Errno.ERANGE);
        error.Message.Should().Be("Attribute failed policy validation");
        error.Offset.Should().Be(20u);
        error.Request.Length.Should().Be(328u);
    }

    [Fact]
    public void EPERM_without_TLVs_echoing_the_whole_batch_begin()
    {
        CaptureFile golden = CaptureFile.Load("netlink/batch-eperm.txt");
        NetlinkError error = DecodeSingle(golden.Replies.Single());

        error.Errno.Should().Be(Errno.EPERM);
        error.Request.Type.Should().Be((ushort)0x10, "NFNL_MSG_BATCH_BEGIN");
        error.Request.Sequence.Should().Be(100u);
        error.Message.Should().BeNull();
        error.Offset.Should().BeNull();
    }

    [Fact]
    public void Error_without_TLVs_echoing_a_whole_request_ignores_what_follows_the_header()
    {
        byte[] request = TestRequest.Many(5, 1);
        NetlinkError error = DecodeSingle(FakeReply.Error(5, Errno.EINVAL, capped: false, request: request));

        error.Errno.Should().Be(Errno.EINVAL);
        error.Request.Should().Be(NetlinkMessageHeader.Read(request));
        error.Message.Should().BeNull();
    }

    [Fact]
    public void Error_with_text_and_offset_after_a_whole_echoed_request()
    {
        byte[] request = TestRequest.Many(5, 1);
        NetlinkError error = DecodeSingle(FakeReply.Error(5, Errno.EINVAL, "bad thing", 24, capped: false, request: request));

        error.Message.Should().Be("bad thing");
        error.Offset.Should().Be(24u);
    }

    [Fact]
    public void An_errno_above_zero_is_a_protocol_error()
    {
        byte[] message = FakeReply.Ack(1);
        HostOrder.WriteUInt32(message.AsSpan(16), 5);

        Action act = () => DecodeSingle(message);

        act.Should().Throw<NetlinkProtocolException>().Which.Expected.Should().Contain("0 or below");
    }

    [Fact]
    public void A_payload_shorter_than_errno_plus_header_is_a_protocol_error()
    {
        byte[] message = FakeReply.Message(NetlinkMessageType.Error, 0, 1, new byte[19]);

        Action act = () => DecodeSingle(message);

        act.Should().Throw<NetlinkProtocolException>().Which.Received.Should().Be("19");
    }

    [Theory]
    [InlineData(1000u)]        // longer than what follows
    [InlineData(8u)]           // shorter than its own header
    [InlineData(0x7ffffffeu)]  // NLMSG_ALIGN overflows int
    [InlineData(0xffffffffu)]
    public void An_uncapped_echo_whose_stated_length_does_not_fit_is_a_protocol_error(uint statedLength)
    {
        byte[] message = FakeReply.Error(1, Errno.EINVAL, "text", capped: false, request: TestRequest.Many(1, 1));
        HostOrder.WriteUInt32(message.AsSpan(20), statedLength);

        Action act = () => DecodeSingle(message);

        act.Should().Throw<NetlinkProtocolException>().Which.Context.Should().Be("NLMSG_ERROR");
    }

    [Fact]
    public void A_malformed_TLV_is_a_protocol_error()
    {
        byte[] message = FakeReply.Error(1, Errno.EINVAL, "text");
        // nla_len of the MSG TLV (after errno and the 16-byte capped header) runs past the end.
        HostOrder.WriteUInt16(message.AsSpan(16 + 4 + 16), 200);

        Action act = () => DecodeSingle(message);

        act.Should().Throw<NetlinkProtocolException>().Which.Context.Should().Contain("extended ack");
    }
}
