using System;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// NFT_USERDATA_MAXLEN (uapi nf_tables.h): the kernel's policy allows at most 256 bytes of
/// userdata on tables, chains, rules, sets and elements, and refuses more with ERANGE
/// ("Attribute failed policy validation"). Checked before anything is sent.
/// </summary>
internal static class UserDataLimit
{
    /// <summary>NFT_USERDATA_MAXLEN.</summary>
    public const int MaxLength = 256;

    /// <summary>Throws unless <paramref name="userData"/> fits.</summary>
    /// <param name="userData">The bytes.</param>
    /// <param name="what">What carries them, for the message ("rule", "element 3").</param>
    /// <param name="parameter">The caller's parameter.</param>
    public static void Check(ReadOnlyMemory<byte> userData, string what, string parameter)
    {
        if (userData.Length > MaxLength)
        {
            throw new ArgumentException($"the {what}'s userdata is {userData.Length} bytes; the kernel takes at most {MaxLength} (NFT_USERDATA_MAXLEN)", parameter);
        }
    }
}
