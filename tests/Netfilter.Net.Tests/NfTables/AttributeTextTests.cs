using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables.Internal.Documents;

namespace Netfilter.Net.Tests.NfTables;

/// <summary>
/// The ruleset document's attribute text (<see cref="AttributeText"/>) is exact: any bytes,
/// written and parsed back, are the same bytes, whether they are attributes the library wrote,
/// nests, strings, or garbage that only the hex fallback can carry.
/// </summary>
public sealed class AttributeTextTests
{
    private static string Text(ReadOnlySpan<byte> data)
    {
        using var json = new JsonBuffer();
        AttributeText.Write(json, data, leadingSpace: false);
        return Encoding.ASCII.GetString(json.Written.Span);
    }

    private static byte[] Parsed(string text)
    {
        using var scratch = new NetlinkWriter(64);
        return AttributeText.Parse(Encoding.ASCII.GetBytes(text), scratch).ToArray();
    }

    [Fact]
    public void Each_kind_of_value_has_its_own_short_form()
    {
        using var writer = new NetlinkWriter(256);
        writer.WriteUInt32BigEndian(1, 16);
        writer.WriteUInt64BigEndian(2, 600);
        writer.WriteStringZ(3, "a set");
        writer.WriteBytes(4, new byte[] { 0, 0x50 });
        writer.WriteFlag(5);
        using (writer.BeginNested(6))
        {
            writer.WriteUInt32BigEndian(1, 0xfffffffd);
            writer.WriteStringZ(2, "it's");
        }
        string text = Text(writer.WrittenSpan);
        text.Should().Be("1:16 2:600L 3:'a set' 4:x0050 5:x 6{1:4294967293 2:x6974277300}", "a quote inside a string makes it hex");
        Parsed(text).Should().Equal(writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Bytes_that_are_not_exactly_padded_attributes_go_as_hex_of_the_whole()
    {
        Text(new byte[] { 1, 2, 3 }).Should().Be("=010203");
        // A valid attribute with nonzero padding, and one whose last padding is missing.
        Text(new byte[] { 5, 0, 1, 0, 7, 9, 0, 0 }).Should().Be("=0500010007090000");
        Text(new byte[] { 5, 0, 1, 0, 7 }).Should().Be("=0500010007");
        Text(ReadOnlySpan<byte>.Empty).Should().Be("=");
        Parsed("=").Should().BeEmpty();
    }

    [Fact]
    public void Any_bytes_written_and_parsed_are_the_same_bytes()
    {
        var random = new Random(20260101);
        for (int i = 0; i < 3000; i++)
        {
            byte[] data = i % 3 == 0 ? RandomBytes(random) : RandomAttributes(random, depth: 0);
            string text = Text(data);
            Parsed(text).Should().Equal(data, $"case {i}: {Convert.ToHexString(data)} written as {text}");
            if (i % 3 != 0 && data.Length > 0)
            {
                text.Should().NotStartWith("=", $"case {i} is well-formed attributes");
            }
        }
    }

    [Theory]
    [InlineData("1:", "at character 3: a value is a number from 0 to 4294967295, a number with 'L', a 'quoted' name or x and hex digits")]
    [InlineData("1:4294967296", "at character 3: a value is a number from 0 to 4294967295, a number with 'L', a 'quoted' name or x and hex digits")]
    [InlineData("70000:1", "at character 1: an attribute starts with its type, a number from 0 to 65535")]
    [InlineData("1{2:3", "at character 6: a nest is not closed with '}'")]
    [InlineData("1:'abc", "at character 3: a quoted string is not closed")]
    [InlineData("1:x0", "at character 4: hex digits come in pairs")]
    [InlineData("1", "at character 2: attribute 1 has no value (':' or '{' must follow the type)")]
    public void Text_that_does_not_follow_the_grammar_is_refused_with_the_place(string text, string message)
    {
        Action parse = () => Parsed(text);
        parse.Should().Throw<FormatException>().WithMessage(message);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 40)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] RandomAttributes(Random random, int depth)
    {
        using var writer = new NetlinkWriter(256);
        int count = random.Next(0, 5);
        for (int i = 0; i < count; i++)
        {
            ushort type = (ushort)random.Next(0, 0x4000);
            if (random.Next(0, 8) == 0)
            {
                type |= NetlinkWriter.NetByteOrderFlag;
            }
            switch (random.Next(0, depth < 3 ? 6 : 5))
            {
                case 0:
                    writer.WriteUInt32BigEndian(type, (uint)random.NextInt64(0, 1L << 32));
                    break;
                case 1:
                    writer.WriteUInt64BigEndian(type, (ulong)random.NextInt64());
                    break;
                case 2:
                    writer.WriteStringZ(type, new string((char)random.Next(0x20, 0x7f), random.Next(1, 12)));
                    break;
                case 3:
                    writer.WriteBytes(type, RandomBytes(random));
                    break;
                case 4:
                    writer.WriteFlag(type);
                    break;
                default:
                    using (writer.BeginNested(type))
                    {
                        writer.WriteRaw(RandomAttributes(random, depth + 1));
                    }
                    break;
            }
        }
        return writer.WrittenSpan.ToArray();
    }
}
