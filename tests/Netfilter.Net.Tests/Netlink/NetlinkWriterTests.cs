using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.Netlink;

/// <summary>
/// <see cref="NetlinkWriter"/> byte for byte: headers, padding, byte order per call, strings,
/// nests, limits. Expected bytes are written out by hand from the uapi layouts (struct nlmsghdr,
/// struct nlattr, NLA_ALIGN); the golden captures from nft are in GoldenCaptureTests.
/// </summary>
public sealed class NetlinkWriterTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    private static byte[] Attributes(Action<NetlinkWriter> write)
    {
        using var writer = new NetlinkWriter(64);
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    public NetlinkWriterTests()
    {
        // Host order below is spelled out as little-endian: the machines we build for (x64, arm64).
        BitConverter.IsLittleEndian.Should().BeTrue();
    }

    [Fact]
    public void A_message_is_a_host_order_nlmsghdr_whose_length_is_patched_at_the_end_and_padded()
    {
        using var writer = new NetlinkWriter(64);
        writer.BeginMessage(0x0a00, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, 0x01020304, 0x0a0b0c0d).Should().Be(0);
        writer.CurrentMessageOffset.Should().Be(0);
        writer.WriteRaw(new byte[] { 1, 2, 3 });
        writer.EndMessage();
        writer.CurrentMessageOffset.Should().Be(-1);

        HexDiff.ShouldEqual(writer.WrittenSpan, Hex("14000000 000a 0500 04030201 0d0c0b0a 01020300"), "nlmsghdr + 3 raw bytes");
        writer.MessageCount.Should().Be(1);
    }

    [Fact]
    public void Two_messages_follow_each_other_at_aligned_offsets()
    {
        using var writer = new NetlinkWriter(64);
        writer.BeginMessage(0x10, NetlinkMessageFlags.Request, 1);
        writer.WriteUInt8(1, 0xab);
        writer.EndMessage();
        writer.BeginMessage(0x11, NetlinkMessageFlags.Request, 2).Should().Be(24);
        writer.EndMessage();

        HexDiff.ShouldEqual(writer.WrittenSpan, Hex("18000000 1000 0100 01000000 00000000 0500 0100 ab000000  10000000 1100 0100 02000000 00000000"), "two messages");
    }

    [Theory]
    [InlineData("uint8", "0500 0100 ab000000")]
    [InlineData("uint16-be", "0600 0200 12340000")]
    [InlineData("uint16-host", "0600 0300 34120000")]
    [InlineData("uint32-be", "0800 0400 01020304")]
    [InlineData("int32-be", "0800 0500 fffffffe")]
    [InlineData("uint32-host", "0800 0600 04030201")]
    [InlineData("uint64-be", "0c00 0700 0102030405060708")]
    [InlineData("uint64-host", "0c00 0800 0807060504030201")]
    [InlineData("flag", "0400 0900")]
    [InlineData("bytes", "0700 0a00 010203 00")]
    public void Integers_are_in_the_byte_order_the_method_names_and_padded_to_four(string kind, string expected)
    {
        byte[] bytes = Attributes(w =>
        {
            switch (kind)
            {
                case "uint8": w.WriteUInt8(1, 0xab); break;
                case "uint16-be": w.WriteUInt16BigEndian(2, 0x1234); break;
                case "uint16-host": w.WriteUInt16Host(3, 0x1234); break;
                case "uint32-be": w.WriteUInt32BigEndian(4, 0x01020304); break;
                case "int32-be": w.WriteInt32BigEndian(5, -2); break;
                case "uint32-host": w.WriteUInt32Host(6, 0x01020304); break;
                case "uint64-be": w.WriteUInt64BigEndian(7, 0x0102030405060708); break;
                case "uint64-host": w.WriteUInt64Host(8, 0x0102030405060708); break;
                case "flag": w.WriteFlag(9); break;
                case "bytes": w.WriteBytes(10, new byte[] { 1, 2, 3 }); break;
            }
        });
        HexDiff.ShouldEqual(bytes, Hex(expected), kind);
    }

    [Theory]
    [InlineData("", "0500 0100 00 000000")]
    [InlineData("t", "0600 0100 7400 0000")]
    [InlineData("abc", "0800 0100 61626300")]
    [InlineData("abcd", "0900 0100 6162636400 000000")]
    [InlineData("é", "0700 0100 c3a900 00")]
    public void Strings_are_UTF8_NUL_terminated_and_nla_len_counts_the_NUL_but_not_the_padding(string value, string expected)
    {
        HexDiff.ShouldEqual(Attributes(w => w.WriteStringZ(1, value)), Hex(expected), $"\"{value}\"");
    }

    [Fact]
    public void Nests_set_NLA_F_NESTED_and_their_length_covers_everything_inside_including_padding()
    {
        byte[] bytes = Attributes(w =>
        {
            using (w.BeginNested(4))
            {
                w.WriteUInt32BigEndian(1, 1);
                using (w.BeginNested(2))
                {
                    w.WriteUInt8(1, 7);
                }
            }
            using (w.BeginNested(5))
            {
            }
        });

        HexDiff.ShouldEqual(bytes, Hex("1800 0480  0800 0100 00000001  0c00 0280 0500 0100 07000000  0400 0580"), "nested");
    }

    [Fact]
    public void Padding_is_zero_even_when_the_pooled_buffer_held_other_bytes()
    {
        using var writer = new NetlinkWriter(64);
        writer.WriteBytes(1, Enumerable.Repeat((byte)0xff, 40).ToArray());
        writer.Reset();
        writer.WriteStringZ(1, "a");
        HexDiff.ShouldEqual(writer.WrittenSpan, Hex("0600 0100 6100 0000"), "after reset");
    }

    [Fact]
    public void Cancelling_a_nest_removes_it_and_everything_in_it()
    {
        using var writer = new NetlinkWriter(64);
        writer.WriteUInt8(1, 1);
        NetlinkNest nest = writer.BeginNested(2);
        writer.WriteUInt32BigEndian(3, 3);
        nest.Cancel();
        nest.Dispose();
        writer.WriteUInt8(4, 4);

        HexDiff.ShouldEqual(writer.WrittenSpan, Hex("0500 0100 01000000 0500 0400 04000000"), "cancelled nest");
    }

    [Fact]
    public void Cancelling_a_nest_declared_with_using_var_is_not_undone_when_the_scope_ends()
    {
        using var writer = new NetlinkWriter(64);
        WriteWithCancelledNest(writer);

        HexDiff.ShouldEqual(writer.WrittenSpan, Hex("0500 0100 01000000 0800 0400 00000004 0800 0500 00000005"), "after the scope of a cancelled nest");
    }

    private static void WriteWithCancelledNest(NetlinkWriter writer)
    {
        writer.WriteUInt8(1, 1);
        {
            using var nest = writer.BeginNested(2);
            writer.WriteUInt32BigEndian(3, 3);
            nest.Cancel();
            // Written where the nest was; the nest's Dispose at the end of scope must not patch
            // nla_len at its old offset (it would write 16 over attribute 4's 8).
            writer.WriteUInt32BigEndian(4, 4);
            writer.WriteUInt32BigEndian(5, 5);
        }
    }

    [Fact]
    public void An_attribute_payload_over_65531_bytes_is_refused_before_anything_is_written()
    {
        using var writer = new NetlinkWriter(64);
        writer.WriteBytes(1, new byte[NetlinkWriter.MaxAttributePayload]);
        writer.WrittenSpan.Slice(0, 2).ToArray().Should().Equal(0xff, 0xff);
        int length = writer.Length;

        Action tooLong = () => writer.WriteBytes(2, new byte[NetlinkWriter.MaxAttributePayload + 1]);
        Action negative = () => writer.BeginAttribute(2, -1);

        tooLong.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("payloadLength");
        negative.Should().Throw<ArgumentOutOfRangeException>();
        writer.Length.Should().Be(length);
        NetlinkWriter.MaxAttributePayload.Should().Be(65531);
    }

    [Fact]
    public void A_nest_that_outgrows_nla_len_is_refused_when_it_ends()
    {
        using var writer = new NetlinkWriter(64);
        NetlinkNest nest = writer.BeginNested(1);
        writer.WriteBytes(1, new byte[40000]);
        writer.WriteBytes(2, new byte[40000]);

        Action act = () => nest.Dispose();

        act.Should().Throw<InvalidOperationException>().WithMessage("*16 bits*");
    }

    [Fact]
    public void Reset_drops_everything_including_an_open_message()
    {
        using var writer = new NetlinkWriter(64);
        writer.BeginMessage(0x10, NetlinkMessageFlags.Request, 1);
        writer.WriteUInt8(1, 1);
        writer.Reset();

        writer.Length.Should().Be(0);
        writer.MessageCount.Should().Be(0);
        writer.CurrentMessageOffset.Should().Be(-1);
        writer.BeginMessage(0x11, NetlinkMessageFlags.Request, 2).Should().Be(0);
        writer.EndMessage();
        HexDiff.ShouldEqual(writer.WrittenSpan, Hex("10000000 1100 0100 02000000 00000000"), "after reset");
    }

    [Fact]
    public void Message_scopes_must_pair()
    {
        using var writer = new NetlinkWriter(64);
        Action endFirst = () => writer.EndMessage();
        endFirst.Should().Throw<InvalidOperationException>();

        writer.BeginMessage(0x10, NetlinkMessageFlags.Request, 1);
        Action beginTwice = () => writer.BeginMessage(0x10, NetlinkMessageFlags.Request, 2);
        beginTwice.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void The_buffer_grows_past_its_initial_capacity_without_losing_bytes()
    {
        using var writer = new NetlinkWriter(64);
        writer.BeginMessage(0x10, NetlinkMessageFlags.Request, 1);
        for (int i = 0; i < 10_000; i++)
        {
            writer.WriteUInt32BigEndian(1, (uint)i);
        }
        writer.EndMessage();

        writer.Length.Should().Be(16 + 10_000 * 8);
        HostOrder.ReadUInt32(writer.WrittenSpan).Should().Be((uint)writer.Length);
        var reader = new NetlinkMessageReader(writer.WrittenSpan);
        reader.TryRead(out NetlinkMessage message).Should().BeTrue();
        var attributes = new NetlinkAttributeReader(message.Payload, "test");
        uint expected = 0;
        while (attributes.TryRead(out NetlinkAttribute attribute))
        {
            attribute.GetUInt32BigEndian().Should().Be(expected++);
        }
        expected.Should().Be(10_000u);
    }

    [Fact]
    public void Dispose_twice_is_harmless()
    {
        var writer = new NetlinkWriter(64);
        writer.WriteUInt8(1, 1);
        writer.Dispose();
        writer.Dispose();
        writer.Length.Should().Be(0);
    }
}
