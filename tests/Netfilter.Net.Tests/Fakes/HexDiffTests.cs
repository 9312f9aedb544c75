namespace Netfilter.Net.Tests.Fakes;

/// <summary>The golden comparisons are only as good as their report: the first differing offset, word by word.</summary>
public sealed class HexDiffTests
{
    [Fact]
    public void Equal_bytes_have_no_diff()
    {
        HexDiff.Describe(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 3 }).Should().BeNull();
    }

    [Fact]
    public void The_report_names_the_first_differing_byte_and_marks_its_word()
    {
        byte[] expected = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        byte[] actual = expected.ToArray();
        actual[21] = 0xff;

        string diff = HexDiff.Describe(expected, actual)!;

        diff.Should().StartWith("first difference at byte 21 (0x0015); expected 40 bytes, actual 40 bytes");
        diff.Should().Contain("   0014 | 14 15 16 17 | 14 ff 16 17   <--");
        diff.Should().Contain("   0010 | 10 11 12 13 | 10 11 12 13\n");
    }

    [Fact]
    public void A_shorter_actual_shows_missing_bytes_as_dots()
    {
        string diff = HexDiff.Describe(new byte[] { 1, 2, 3, 4, 5, 6 }, new byte[] { 1, 2, 3, 4, 5 })!;

        diff.Should().Contain("first difference at byte 5").And.Contain("   0004 | 05 06 .. .. | 05 .. .. ..   <--");
    }

    [Fact]
    public void Masking_zeroes_sequence_and_port_of_every_message_and_nothing_else()
    {
        byte[] two = FakeReply.Ack(0x11111111, portId: 0x22222222).Concat(FakeReply.Done(0x33333333, portId: 0x44444444)).ToArray();

        byte[] masked = HexDiff.MaskSequenceAndPort(two);

        masked.AsSpan(8, 8).ToArray().Should().OnlyContain(b => b == 0);
        masked.AsSpan(36 + 8, 8).ToArray().Should().OnlyContain(b => b == 0);
        masked.AsSpan(0, 8).ToArray().Should().Equal(two.AsSpan(0, 8).ToArray());
        masked.AsSpan(16, 20).ToArray().Should().Equal(two.AsSpan(16, 20).ToArray(), "the echoed header inside the ack is data, not masked");
    }
}
