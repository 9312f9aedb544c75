using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.Netlink;

/// <summary><see cref="NetlinkMessageReader"/> and <see cref="NetlinkAttributeReader"/>: strict on lengths, lenient on types, tolerant of a missing final pad.</summary>
public sealed class NetlinkReaderTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    private static List<(ushort Type, byte[] Payload)> Messages(byte[] datagram)
    {
        var list = new List<(ushort, byte[])>();
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out NetlinkMessage m))
        {
            list.Add((m.Type, m.Payload.ToArray()));
        }
        return list;
    }

    private static List<(ushort Type, ushort RawType, int Offset, byte[] Payload)> Attributes(byte[] data)
    {
        var list = new List<(ushort, ushort, int, byte[])>();
        var reader = new NetlinkAttributeReader(data, "test");
        while (reader.TryRead(out NetlinkAttribute a))
        {
            list.Add((a.Type, a.RawType, a.Offset, a.Payload.ToArray()));
        }
        return list;
    }

    [Fact]
    public void An_empty_datagram_has_no_messages()
    {
        Messages(Array.Empty<byte>()).Should().BeEmpty();
    }

    [Fact]
    public void Messages_are_read_at_aligned_offsets_and_the_last_may_lack_its_padding()
    {
        byte[] datagram = FakeReply.Message(0x20, 0, 1, new byte[] { 1 })
            .Concat(FakeReply.Message(0x21, 0, 2, new byte[] { 2, 3 }, pad: false)).ToArray();
        datagram.Length.Should().Be(20 + 18);

        Messages(datagram).Should().BeEquivalentTo(new[] { ((ushort)0x20, new byte[] { 1 }), ((ushort)0x21, new byte[] { 2, 3 }) }, o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(15u)]
    [InlineData(21u)]
    public void A_message_length_below_a_header_or_past_the_datagram_is_a_protocol_error(uint length)
    {
        byte[] datagram = FakeReply.Message(0x20, 0, 1, new byte[4]);
        HostOrder.WriteUInt32(datagram, length);

        Action act = () => Messages(datagram);

        act.Should().Throw<NetlinkProtocolException>().Which.Received.Should().Be(length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Bytes_after_the_last_message_too_few_for_a_header_are_a_protocol_error()
    {
        Action act = () => Messages(FakeReply.Ack(1).Concat(new byte[4]).ToArray());
        act.Should().Throw<NetlinkProtocolException>();
    }

    [Fact]
    public void Attribute_types_are_masked_of_NLA_F_NESTED_and_NLA_F_NET_BYTEORDER_but_the_raw_type_is_kept()
    {
        List<(ushort Type, ushort RawType, int Offset, byte[] Payload)> attributes = Attributes(Hex("0400 0480  0800 0540 01020304  0500 ffff 09 000000"));

        attributes.Select(a => (a.Type, a.RawType, a.Offset)).Should().Equal(
            ((ushort)4, (ushort)0x8004, 0), ((ushort)5, (ushort)0x4005, 4), ((ushort)0x3fff, (ushort)0xffff, 12));
        attributes[1].Payload.Should().Equal(1, 2, 3, 4);
        attributes[2].Payload.Should().Equal(9);
    }

    [Fact]
    public void The_last_attribute_may_lack_its_padding()
    {
        Attributes(Hex("0500 0100 aa 000000 0600 0200 bbcc")).Select(a => a.Payload).Should().BeEquivalentTo(new[] { new byte[] { 0xaa }, new byte[] { 0xbb, 0xcc } }, o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData("0300 0100 00000000")]       // nla_len below the header
    [InlineData("0900 0100 00000000")]       // runs past the span
    [InlineData("0400 0100 0000")]           // 2 bytes left: no room for a header
    public void Attribute_lengths_that_do_not_fit_are_a_protocol_error(string hex)
    {
        Action act = () => Attributes(Hex(hex));
        act.Should().Throw<NetlinkProtocolException>().Which.Context.Should().StartWith("test");
    }

    private delegate void AttributeCall(NetlinkAttribute attribute);

    /// <summary>Reads attribute <paramref name="index"/> of <paramref name="data"/> and returns the protocol error <paramref name="call"/> raises on it.</summary>
    private static NetlinkProtocolException ErrorFrom(string data, int index, AttributeCall call)
    {
        var reader = new NetlinkAttributeReader(Hex(data), "NFTA_THING");
        NetlinkAttribute attribute;
        int i = 0;
        do
        {
            reader.TryRead(out attribute).Should().BeTrue();
        }
        while (i++ < index);
        try
        {
            call(attribute);
        }
        catch (NetlinkProtocolException e)
        {
            return e;
        }
        throw new Xunit.Sdk.XunitException("expected a NetlinkProtocolException");
    }

    [Fact]
    public void Typed_getters_check_the_payload_length_and_say_what_they_expected()
    {
        const string twoBytes = "0600 0700 0102 0000";
        var reader = new NetlinkAttributeReader(Hex(twoBytes), "NFTA_THING");
        reader.TryRead(out NetlinkAttribute a).Should().BeTrue();
        a.GetUInt16BigEndian().Should().Be(0x0102);
        a.GetUInt16Host().Should().Be(0x0201);
        a.ExpectMinLength(2);

        NetlinkProtocolException e = ErrorFrom(twoBytes, 0, x => x.GetUInt32BigEndian());
        e.Context.Should().Be("NFTA_THING attribute 7");
        e.Expected.Should().Be("4 bytes of payload");
        e.Received.Should().Be("2");
        ErrorFrom(twoBytes, 0, x => x.GetUInt8()).Expected.Should().Be("1 bytes of payload");
        ErrorFrom(twoBytes, 0, x => x.GetUInt64BigEndian()).Expected.Should().Be("8 bytes of payload");
        ErrorFrom(twoBytes, 0, x => x.ExpectMinLength(3)).Expected.Should().Be("at least 3 bytes of payload");
    }

    [Fact]
    public void GetStringZ_needs_a_NUL_and_GetString_does_not()
    {
        const string strings = "0700 0100 616263 00  0700 0200 686900 00  0800 0300 6869 0061";
        ErrorFrom(strings, 0, x => x.GetStringZ()).Received.Should().Contain("no NUL");
        var reader = new NetlinkAttributeReader(Hex(strings), "strings");
        reader.TryRead(out NetlinkAttribute plain).Should().BeTrue();
        plain.GetString().Should().Be("abc");
        reader.TryRead(out NetlinkAttribute terminated).Should().BeTrue();
        terminated.GetStringZ().Should().Be("hi");
        reader.TryRead(out NetlinkAttribute early).Should().BeTrue();
        early.GetStringZ().Should().Be("hi", "anything after the first NUL is ignored");
    }

    [Fact]
    public void Nested_attributes_are_read_from_the_payload_with_offsets_relative_to_it()
    {
        var reader = new NetlinkAttributeReader(Hex("1000 0180  0800 0100 00000007  0400 0200"), "outer");
        reader.TryRead(out NetlinkAttribute outer).Should().BeTrue();
        outer.IsNested.Should().BeTrue();
        NetlinkAttributeReader inner = outer.GetNested();
        inner.TryRead(out NetlinkAttribute first).Should().BeTrue();
        first.GetUInt32BigEndian().Should().Be(7u);
        first.Offset.Should().Be(0);
        inner.TryRead(out NetlinkAttribute flag).Should().BeTrue();
        flag.Payload.Length.Should().Be(0);
        flag.Offset.Should().Be(8);
        inner.TryRead(out _).Should().BeFalse();
        reader.TryRead(out _).Should().BeFalse();
    }
}
