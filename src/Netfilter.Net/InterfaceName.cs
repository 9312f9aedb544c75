using System.Text;

namespace Netfilter.Net;

/// <summary>
/// Linux's rule for a network interface name (net/core/dev.c, dev_valid_name): 1 to 15 bytes
/// (IFNAMSIZ - 1), not "." or "..", and no '/', ':', whitespace or control character. The one
/// home of that rule: typed NAT rules (iif/oif) and per-interface sysctl keys both check it.
/// </summary>
internal static class InterfaceName
{
    /// <summary>The longest name Linux accepts, in bytes (IFNAMSIZ - 1).</summary>
    public const int MaxBytes = 15;

    /// <summary>
    /// Null when Linux accepts <paramref name="name"/>; otherwise why not, as the end of a sentence
    /// that begins "'NAME' is not an interface name: ".
    /// </summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxBytes)
        {
            return $"it is {bytes} bytes; Linux allows at most {MaxBytes} (IFNAMSIZ - 1)";
        }
        if (name is "." or "..")
        {
            return "Linux refuses \".\" and \"..\" (dev_valid_name)";
        }
        foreach (char c in name)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or ':')
            {
                return $"it contains {CharName(c)}, which Linux does not allow in names";
            }
        }
        return null;
    }

    /// <summary>"'NAME' is not an interface name: WHY" for a name <see cref="Problem"/> refuses.</summary>
    public static string Refusal(string name, string problem) => $"{InputText.Quote(name)} is not an interface name: {problem}";

    /// <summary>How a message names one character: "a space", or the character quoted.</summary>
    public static string CharName(char c) => c == ' ' ? "a space" : InputText.Quote(c);
}
