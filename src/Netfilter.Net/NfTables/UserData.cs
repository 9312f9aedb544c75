using System;
using System.Collections.Generic;
using System.Text;

namespace Netfilter.Net.NfTables;

/// <summary>
/// nft's userdata format (libnftnl udata.c): a sequence of TLVs, each one byte of type, one
/// byte of length, then the value. nft stores comments there as NUL-terminated strings with
/// type 0 for tables, chains, rules and set elements (NFTNL_UDATA_*_COMMENT) and 7 for sets
/// (NFTNL_UDATA_SET_COMMENT); the kernel keeps the bytes without looking at them.
/// </summary>
public static class UserData
{
    /// <summary>NFTNL_UDATA_TABLE_COMMENT, NFTNL_UDATA_CHAIN_COMMENT, NFTNL_UDATA_RULE_COMMENT, NFTNL_UDATA_SET_ELEM_COMMENT.</summary>
    public const byte CommentType = 0;

    /// <summary>NFTNL_UDATA_SET_COMMENT.</summary>
    public const byte SetCommentType = 7;

    /// <summary>The longest comment nft accepts (NFTNL_UDATA_COMMENT_MAXLEN).</summary>
    public const int MaxCommentLength = 128;

    /// <summary>Encodes a comment as nft does: type, length (including the NUL), text, NUL.</summary>
    /// <exception cref="ArgumentException">The comment is longer than 128 bytes.</exception>
    public static byte[] Comment(string comment, byte type = CommentType)
    {
        ArgumentNullException.ThrowIfNull(comment);
        int length = Encoding.UTF8.GetByteCount(comment);
        if (length + 1 > MaxCommentLength)
        {
            throw new ArgumentException($"a comment is at most {MaxCommentLength - 1} bytes (nft's limit); this one is {length}", nameof(comment));
        }
        // Encoded in place: every typed rule's pieces carry one, so a large apply makes thousands.
        var bytes = new byte[length + 3];
        bytes[0] = type;
        bytes[1] = (byte)(length + 1);
        Encoding.UTF8.GetBytes(comment, bytes.AsSpan(2, length));
        return bytes;
    }

    /// <summary>Reads the comment TLV of <paramref name="type"/> from <paramref name="userData"/>, or null.</summary>
    public static string? ReadComment(ReadOnlySpan<byte> userData, byte type = CommentType)
    {
        foreach ((byte t, byte[] value) in Parse(userData))
        {
            if (t == type)
            {
                int nul = Array.IndexOf(value, (byte)0);
                return Encoding.UTF8.GetString(value, 0, nul < 0 ? value.Length : nul);
            }
        }
        return null;
    }

    /// <summary>Splits userdata into TLVs; stops quietly at a truncated TLV (userdata is opaque to the kernel).</summary>
    public static IReadOnlyList<(byte Type, byte[] Value)> Parse(ReadOnlySpan<byte> userData)
    {
        var result = new List<(byte, byte[])>();
        int offset = 0;
        while (offset + 2 <= userData.Length)
        {
            byte type = userData[offset];
            int length = userData[offset + 1];
            if (offset + 2 + length > userData.Length)
            {
                break;
            }
            result.Add((type, userData.Slice(offset + 2, length).ToArray()));
            offset += 2 + length;
        }
        return result;
    }
}
