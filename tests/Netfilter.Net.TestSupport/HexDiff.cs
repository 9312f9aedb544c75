using System;
using System.Text;
using Netfilter.Net.Netlink;
using Xunit.Sdk;

namespace Netfilter.Net.TestSupport;

/// <summary>
/// Compares two byte strings and, when they differ, prints them side by side in 4-byte words
/// (netlink's unit: every header and attribute is word-aligned), starting from the offset of
/// the first difference, like `nft --debug=mnl` does one word per line. The one byte diff of
/// the test projects (tests/ and native-tests/ link this file).
/// </summary>
internal static class HexDiff
{
    /// <summary>Throws an xunit failure with a readable diff unless the bytes are equal.</summary>
    public static void ShouldEqual(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected, string what)
    {
        string? diff = Describe(expected, actual);
        if (diff is not null)
        {
            throw new XunitException($"{what}: bytes differ\n{diff}");
        }
    }

    /// <summary>Null when equal; otherwise the offset of the first difference and a word-by-word table around it.</summary>
    public static string? Describe(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        int common = Math.Min(expected.Length, actual.Length);
        int first = expected.Slice(0, common).CommonPrefixLength(actual.Slice(0, common));
        if (first == common && expected.Length == actual.Length)
        {
            return null;
        }
        var sb = new StringBuilder();
        sb.Append("first difference at byte ").Append(first).Append(" (0x").Append(first.ToString("x4")).Append(')');
        sb.Append("; expected ").Append(expected.Length).Append(" bytes, actual ").Append(actual.Length).Append(" bytes\n");
        sb.Append(" offset | expected    | actual\n");
        int longest = Math.Max(expected.Length, actual.Length);
        // Four words of context before the difference, then up to 24 words from it.
        int start = Math.Max(0, (first / 4 - 4) * 4);
        int end = Math.Min(longest, (first / 4 + 24) * 4);
        for (int offset = start; offset < end; offset += 4)
        {
            string e = Word(expected, offset);
            string a = Word(actual, offset);
            sb.Append(offset.ToString("x4").PadLeft(7)).Append(" | ").Append(e).Append(" | ").Append(a);
            if (e != a)
            {
                sb.Append("   <--");
            }
            sb.Append('\n');
        }
        if (end < longest)
        {
            sb.Append("    ... ").Append(longest - end).Append(" more bytes\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// Throws an xunit failure with a readable diff unless the datagrams are equal but for every
    /// message's nlmsg_seq and nlmsg_pid, which vary by run (<see cref="MaskSequenceAndPort"/>).
    /// </summary>
    public static void ShouldEqualIgnoringSequence(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected, string what) =>
        ShouldEqual(MaskSequenceAndPort(actual), MaskSequenceAndPort(expected), what);

    /// <summary>
    /// A copy with nlmsg_seq and nlmsg_pid of every message zeroed: they change from run to run
    /// (nft numbers from time(NULL) or 0, the port id is per socket), nothing else may.
    /// </summary>
    public static byte[] MaskSequenceAndPort(ReadOnlySpan<byte> datagram)
    {
        byte[] copy = datagram.ToArray();
        int offset = 0;
        while (offset + NetlinkAlignment.MessageHeaderLength <= copy.Length)
        {
            int length = (int)HostOrder.ReadUInt32(copy.AsSpan(offset));
            copy.AsSpan(offset + 8, 8).Clear();
            if (length < NetlinkAlignment.MessageHeaderLength)
            {
                break;
            }
            offset += NetlinkAlignment.Align(length);
        }
        return copy;
    }

    /// <summary>The hex of <paramref name="bytes"/>, space-separated, for messages.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static string Word(ReadOnlySpan<byte> bytes, int offset)
    {
        var sb = new StringBuilder(11);
        for (int i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }
            sb.Append(offset + i < bytes.Length ? bytes[offset + i].ToString("x2") : "..");
        }
        return sb.ToString();
    }
}
