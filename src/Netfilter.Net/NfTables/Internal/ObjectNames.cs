using System;
using System.Text;

namespace Netfilter.Net.NfTables.Internal;

/// <summary>
/// The kernel's rule for table, chain and set names: NUL-terminated, at most NFT_NAME_MAXLEN
/// (256, uapi nf_tables.h) bytes with the NUL. Checked before anything is sent, so a bad name
/// is an <see cref="ArgumentException"/> naming the parameter rather than an ERANGE from the
/// middle of a batch.
/// </summary>
internal static class ObjectNames
{
    /// <summary>NFT_NAME_MAXLEN - 1: the longest name in bytes (UTF-8), without the NUL.</summary>
    public const int MaxLength = 255;

    /// <summary>Throws unless <paramref name="name"/> is a valid nftables object name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="what">What it names, for the message: "table", "chain", "set".</param>
    /// <param name="parameter">The caller's parameter that carried it.</param>
    public static void Check(string? name, string what, string parameter)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"the {what} name is empty", parameter);
        }
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"the {what} name {InputText.Quote(name)} contains a NUL character", parameter);
        }
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxLength)
        {
            throw new ArgumentException($"the {what} name {InputText.Quote(name)} is {bytes} bytes; nftables names are at most {MaxLength} (NFT_NAME_MAXLEN)", parameter);
        }
    }

    /// <summary>
    /// Throws unless a delete names its <paramref name="what"/> by a non-empty
    /// <paramref name="name"/> or, without one, by a nonzero <paramref name="handle"/>
    /// (NFTA_OBJ_NAME / NFTA_OBJ_HANDLE, NFTA_FLOWTABLE_NAME / _HANDLE).
    /// </summary>
    public static void CheckNameOrHandle(string? name, ulong handle, string what)
    {
        if (name is null && handle == 0)
        {
            throw new ArgumentException($"{(what == "object" ? "an" : "a")} {what} is named by its name or by its (nonzero) handle", nameof(handle));
        }
        if (name is not null && name.Length == 0)
        {
            throw new ArgumentException($"the {what} name is empty", nameof(name));
        }
    }
}
