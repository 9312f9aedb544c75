using System;
using System.Globalization;
using System.Text;

namespace Netfilter.Net;

/// <summary>
/// How a message quotes a value that came from the caller (a name, an address, a line of text):
/// in single quotes, with control characters escaped so the message stays on one line, and cut
/// to <see cref="MaxQuotedLength"/> characters so a megabyte of input never becomes a megabyte
/// of message. Every message of the library and of nfnet that repeats input goes through here;
/// it is public so that a tool built on the library (nfnet is one, and uses only the public API)
/// quotes its users' values the same way.
/// </summary>
public static class InputText
{
    /// <summary>At most this many characters of a value are repeated; a longer value is cut and its length said.</summary>
    public const int MaxQuotedLength = 64;

    /// <summary><c>'value'</c>, escaped and bounded; <c>'eth\n0'</c>; <c>'xxxx…' (1048576 characters)</c>.</summary>
    public static string Quote(string? text)
    {
        if (text is null)
        {
            return "(null)";
        }
        int keep = text.Length <= MaxQuotedLength ? text.Length : MaxQuotedLength;
        if (keep < text.Length && keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--; // never cut a character in half
        }
        var sb = new StringBuilder(keep + 32);
        sb.Append('\'');
        AppendEscaped(sb, text.AsSpan(0, keep));
        if (keep < text.Length)
        {
            sb.Append("…' (").Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
        }
        else
        {
            sb.Append('\'');
        }
        return sb.ToString();
    }

    /// <summary><c>'c'</c>, escaped: for "contains '\n'".</summary>
    public static string Quote(char c) => Quote(c.ToString());

    /// <summary>
    /// <paramref name="text"/> with every character that would break a line or hide in a
    /// terminal (C0 and C1 controls, DEL, the Unicode line and paragraph separators) written as
    /// an escape: <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\0</c>, otherwise <c>\u001b</c>. Nothing is cut.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NeedsEscape(text))
        {
            return text;
        }
        var sb = new StringBuilder(text.Length + 16);
        AppendEscaped(sb, text);
        return sb.ToString();
    }

    private static bool NeedsEscape(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (IsUnsafe(c))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    private static void AppendEscaped(StringBuilder sb, ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            switch (c)
            {
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (IsUnsafe(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
    }
}
