using System;
using System.Text;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// Remembers recently decoded names (table, chain, expression) so that dumping 10,000 rules of
/// one chain does not allocate 10,000 copies each of "nat", "pre", "meta", "cmp" and "payload".
/// A small direct-mapped table: a slot holds the last name that hashed there; a miss decodes the
/// string and stores it. Races between threads only cost an extra allocation (a reference store
/// is atomic), so there is no lock.
/// </summary>
internal static class NameCache
{
    private const int Slots = 256;
    private static readonly string?[] s_names = new string?[Slots];

    /// <summary>The NUL-terminated string in <paramref name="attribute"/>, shared with earlier equal ones.</summary>
    public static string GetStringZ(in NetlinkAttribute attribute)
    {
        ReadOnlySpan<byte> payload = attribute.Payload;
        int nul = payload.IndexOf((byte)0);
        if (nul <= 0 || nul > 64)
        {
            // No NUL is the attribute's own error to report; empty and long names are not worth caching.
            return attribute.GetStringZ();
        }
        ReadOnlySpan<byte> bytes = payload.Slice(0, nul);
        int slot = Hash(bytes) & (Slots - 1);
        string? cached = s_names[slot];
        if (cached is not null && SameAscii(cached, bytes))
        {
            return cached;
        }
        string name = Encoding.UTF8.GetString(bytes);
        s_names[slot] = name;
        return name;
    }

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        uint hash = 2166136261;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 16777619;
        }
        return (int)(hash ^ (hash >> 16));
    }

    // A cached string equals the bytes only if every char is the byte itself (ASCII); names
    // with other characters simply never hit.
    private static bool SameAscii(string text, ReadOnlySpan<byte> bytes)
    {
        if (text.Length != bytes.Length)
        {
            return false;
        }
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] >= 0x80 || text[i] != bytes[i])
            {
                return false;
            }
        }
        return true;
    }
}
