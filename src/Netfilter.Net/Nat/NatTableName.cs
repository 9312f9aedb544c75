using System.Diagnostics.CodeAnalysis;

namespace Netfilter.Net.Nat;

/// <summary>
/// What a NAT table's name may be: 1 to 64 ASCII letters, digits, '_' and '-'. The one place the
/// rule is written: <see cref="NatTable"/> refuses other names with it, and options that carry a
/// table name (<c>DoctorOptions.Table</c>, hosting options, a tool's <c>--table</c>) check them with it
/// before anything is opened.
/// </summary>
/// <remarks>
/// nftables itself takes any name up to 255 bytes (NFT_NAME_MAXLEN); the narrower rule keeps the
/// name safe to print in messages, comments ("nfnet NAT table NAME layout N") and command lines.
/// </remarks>
public static class NatTableName
{
    /// <summary>The longest name, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="name"/> is a NAT table name.</summary>
    public static bool IsValid([NotNullWhen(true)] string? name) => Problem(name) is null;

    /// <summary>
    /// Null when <paramref name="name"/> is a NAT table name; otherwise what is wrong, in words a user
    /// can act on (for example "a NAT table name holds letters, digits, '_' and '-' only; 'a b' has ' '").
    /// </summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return $"a NAT table name is 1 to {MaxLength} characters";
        }
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return $"a NAT table name holds letters, digits, '_' and '-' only; {InputText.Quote(name)} has {InputText.Quote(c)}";
            }
        }
        return null;
    }
}
