namespace Netfilter.Net.Tests.Reliability;

/// <summary>The one helper every message uses to repeat a caller's value: one line, bounded, and unchanged when it is ordinary.</summary>
public sealed class InputTextTests
{
    [Theory]
    [InlineData("eth0", "'eth0'")]
    [InlineData("", "''")]
    [InlineData("eth\n0", "'eth\\n0'")]
    [InlineData("a\r\nb\tc\0d", "'a\\r\\nb\\tc\\0d'")]
    [InlineData("\u001b[31mred", "'\\u001b[31mred'")]
    [InlineData("a\u2028b\u0085c", "'a\\u2028b\\u0085c'")]
    [InlineData("é ü 漢字", "'é ü 漢字'")]
    public void Quote_escapes_what_would_break_or_hide_in_a_line(string value, string expected)
    {
        InputText.Quote(value).Should().Be(expected);
    }

    [Fact]
    public void Quote_cuts_a_long_value_and_says_how_long_it_was()
    {
        string quoted = InputText.Quote(new string('x', 1 << 20));
        quoted.Should().Be("'" + new string('x', InputText.MaxQuotedLength) + "…' (1048576 characters)");
        InputText.Quote(new string('y', InputText.MaxQuotedLength)).Should().Be("'" + new string('y', InputText.MaxQuotedLength) + "'");
    }

    [Fact]
    public void Quote_never_cuts_a_character_in_half()
    {
        string value = new string('a', InputText.MaxQuotedLength - 1) + "😀" + "tail";
        string quoted = InputText.Quote(value);
        quoted.Should().StartWith("'" + new string('a', InputText.MaxQuotedLength - 1) + "…'");
        quoted.Should().NotContain("\ud83d…");
    }

    [Fact]
    public void Escape_leaves_ordinary_text_alone_and_cuts_nothing()
    {
        string text = "nfnet: --port: '0' is not a port";
        InputText.Escape(text).Should().BeSameAs(text);
        InputText.Escape(new string('z', 5000) + "\n").Should().HaveLength(5002).And.EndWith("\\n");
        InputText.Quote((string?)null).Should().Be("(null)");
        InputText.Quote('\n').Should().Be("'\\n'");
    }
}
