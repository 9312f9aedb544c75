using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Netfilter.Net.Nat;

/// <summary>
/// Reads the target of a forward, <c>ADDR</c> or <c>ADDR:PORT[-PORT]</c> with IPv6 in brackets
/// (<c>192.168.1.10:22</c>, <c>[2001:db8::10]:22</c>), and a plain address, the way rule texts write
/// them (<see cref="DnatRule.ToString"/>) and tools take them from their users: the one reader of both,
/// used by <see cref="NatRuleParser"/> and by nfnet's <c>--to</c>, <c>--source</c> and <c>--dst</c>;
/// and the networks (<c>from 10.0.1.0/24</c>) and SNAT address ranges rules carry.
/// </summary>
/// <remarks>
/// Stricter than <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>: an IPv4 address is four
/// decimal numbers (that parser also takes <c>10.1</c>, <c>167772161</c> and octal <c>010</c>, which in
/// a rule are typos), and an IPv6 scope id (<c>%eth0</c>) is refused, since nftables matches and
/// translates the address alone and the scope would be lost silently.
/// </remarks>
public static class NatEndpointParser
{
    /// <summary>
    /// Reads <c>ADDR</c> or <c>ADDR:PORT[-PORT]</c> (IPv6 in brackets: <c>[2001:db8::10]:22</c>);
    /// false with <paramref name="error"/> saying what is wrong and what would be right.
    /// </summary>
    /// <param name="text">The endpoint.</param>
    /// <param name="address">The address (<see cref="IPAddress.None"/> when false).</param>
    /// <param name="ports">The port or port range after the address, or null when there is none.</param>
    /// <param name="error">Null when true; else the problem, quoting <paramref name="text"/>.</param>
    public static bool TryParse([NotNullWhen(true)] string? text, out IPAddress address, out PortRange? ports, [NotNullWhen(false)] out string? error)
    {
        address = IPAddress.None;
        ports = null;
        error = Read(text ?? string.Empty, ref address, ref ports);
        return error is null;
    }

    /// <summary>
    /// Reads an IPv4 or IPv6 address, IPv6 with or without brackets; false with <paramref name="error"/>
    /// saying what is wrong.
    /// </summary>
    /// <param name="text">The address.</param>
    /// <param name="address">The address (<see cref="IPAddress.None"/> when false).</param>
    /// <param name="error">Null when true; else the problem, quoting <paramref name="text"/>.</param>
    public static bool TryParseAddress([NotNullWhen(true)] string? text, out IPAddress address, [NotNullWhen(false)] out string? error)
    {
        text ??= string.Empty;
        string inner = text.Length > 2 && text[0] == '[' && text[^1] == ']' ? text[1..^1] : text;
        address = IPAddress.None;
        error = ScopeIdProblem(text, inner);
        if (error is not null)
        {
            return false;
        }
        if (IPAddress.TryParse(inner, out IPAddress? parsed) && parsed.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            && (parsed.AddressFamily == AddressFamily.InterNetworkV6 || IsDottedQuad(inner)))
        {
            address = parsed;
            return true;
        }
        error = $"{InputText.Quote(text)} is not an IPv4 or IPv6 address";
        return false;
    }

    /// <summary>
    /// Reads a network: a prefix (<c>10.0.1.0/24</c>, <c>fd01::/64</c>) or a single address (a /32 or
    /// /128), the form of a rule's <c>from</c> and nfnet's <c>--source</c>; false with
    /// <paramref name="error"/> saying what is wrong. A prefix with host bits set
    /// (<c>10.0.1.5/24</c>) is refused with the network that was probably meant, since nftables
    /// would match the whole network and the host part would be dropped silently.
    /// </summary>
    /// <param name="text">The prefix or address.</param>
    /// <param name="network">The network (default when false).</param>
    /// <param name="error">Null when true; else the problem, quoting <paramref name="text"/>.</param>
    public static bool TryParseNetwork([NotNullWhen(true)] string? text, out IPNetwork network, [NotNullWhen(false)] out string? error)
    {
        text ??= string.Empty;
        network = default;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!TryParseAddress(slash < 0 ? text : text.Substring(0, slash), out IPAddress address, out _))
        {
            error = $"{InputText.Quote(text)} is not an address or a prefix (10.0.1.0/24, fd01::/64)";
            return false;
        }
        int bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int length = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > bits))
        {
            error = $"{InputText.Quote(text)} has a bad prefix length: use 0 to {bits}";
            return false;
        }
        var candidate = new IPNetwork(Truncate(address, length), length);
        if (!candidate.BaseAddress.Equals(address))
        {
            error = $"{InputText.Quote(text)} has host bits set: did you mean {candidate}?";
            return false;
        }
        network = candidate;
        error = null;
        return true;
    }

    /// <summary>
    /// Reads an address or an address range, <c>ADDR</c> or <c>ADDR-ADDR</c> (<c>10.0.2.1-10.0.2.9</c>),
    /// the form of an SNAT rule's <c>to</c>; false with <paramref name="error"/> saying what is wrong.
    /// Whether the two ends make a range (same family, in order) is the rule's check
    /// (<see cref="SnatRule"/>), which names the rule.
    /// </summary>
    /// <param name="text">The address or range.</param>
    /// <param name="first">The address, or the range's first address (<see cref="IPAddress.None"/> when false).</param>
    /// <param name="last">The range's last address; null for a single address.</param>
    /// <param name="error">Null when true; else the problem, quoting <paramref name="text"/>.</param>
    public static bool TryParseAddressRange([NotNullWhen(true)] string? text, out IPAddress first, out IPAddress? last, [NotNullWhen(false)] out string? error)
    {
        text ??= string.Empty;
        last = null;
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return TryParseAddress(text, out first, out error);
        }
        if (!TryParseAddress(text.Substring(0, dash), out first, out _) || !TryParseAddress(text.Substring(dash + 1), out IPAddress end, out _))
        {
            first = IPAddress.None;
            error = $"{InputText.Quote(text)} is not an address (10.0.2.1) or an address range (10.0.2.1-10.0.2.9)";
            return false;
        }
        last = end;
        error = null;
        return true;
    }

    /// <summary>Reads an endpoint or throws <see cref="FormatException"/> with the problem (for rule texts).</summary>
    internal static (IPAddress Address, PortRange? Ports) Parse(string text) =>
        TryParse(text, out IPAddress address, out PortRange? ports, out string? error) ? (address, ports) : throw new FormatException(error);

    /// <summary>Reads an address or throws <see cref="FormatException"/> with the problem (for rule texts).</summary>
    internal static IPAddress ParseAddress(string text) =>
        TryParseAddress(text, out IPAddress address, out string? error) ? address : throw new FormatException(error);

    /// <summary>Reads a network or throws <see cref="FormatException"/> with the problem (for rule texts).</summary>
    internal static IPNetwork ParseNetwork(string text) =>
        TryParseNetwork(text, out IPNetwork network, out string? error) ? network : throw new FormatException(error);

    /// <summary>Reads an address or address range or throws <see cref="FormatException"/> with the problem (for rule texts).</summary>
    internal static (IPAddress First, IPAddress? Last) ParseAddressRange(string text) =>
        TryParseAddressRange(text, out IPAddress first, out IPAddress? last, out string? error) ? (first, last) : throw new FormatException(error);

    /// <summary>The network part of <paramref name="address"/>: every bit after the first <paramref name="prefixLength"/> cleared.</summary>
    private static IPAddress Truncate(IPAddress address, int prefixLength)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            int keep = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xff << (8 - keep));
        }
        return new IPAddress(bytes);
    }

    private static string? Read(string text, ref IPAddress address, ref PortRange? ports)
    {
        string host = text;
        string? portText = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return $"{InputText.Quote(text)} has no closing ']': write [2001:db8::10]:22";
            }
            host = text.Substring(1, close - 1);
            if (ScopeIdProblem(text, host) is string scope)
            {
                return scope;
            }
            string rest = text.Substring(close + 1);
            if (rest.Length > 0)
            {
                if (rest[0] != ':' || rest.Length == 1)
                {
                    return $"{InputText.Quote(text)}: after ']' comes ':PORT', e.g. [2001:db8::10]:22";
                }
                portText = rest.Substring(1);
            }
            if (!IPAddress.TryParse(host, out IPAddress? v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return $"{InputText.Quote(host)} in brackets is not an IPv6 address";
            }
            address = v6;
        }
        else
        {
            int colons = text.AsSpan().Count(':');
            if (colons > 1)
            {
                return $"{InputText.Quote(text)}: put an IPv6 address in brackets, e.g. [2001:db8::10]:22";
            }
            if (colons == 1)
            {
                int colon = text.IndexOf(':', StringComparison.Ordinal);
                host = text.Substring(0, colon);
                portText = text.Substring(colon + 1);
            }
            if (!IPAddress.TryParse(host, out IPAddress? v4) || v4.AddressFamily != AddressFamily.InterNetwork || !IsDottedQuad(host))
            {
                return $"{InputText.Quote(text)} is not ADDR or ADDR:PORT (IPv4 such as 192.168.1.10:22, or IPv6 in brackets such as [2001:db8::10]:22)";
            }
            address = v4;
        }
        if (portText is not null)
        {
            if (!PortRange.TryParse(portText, out PortRange range))
            {
                address = IPAddress.None;
                return $"{InputText.Quote(portText)} in {InputText.Quote(text)} is not a port (22) or a port range (8000-8100)";
            }
            ports = range;
        }
        return null;
    }

    /// <summary>
    /// IPAddress.TryParse keeps an IPv6 scope id ("%eth0" becomes an interface index, or is dropped
    /// when no such interface exists here), but nftables matches addresses without one: refuse it
    /// instead of losing it silently (a rule refuses a scoped address too).
    /// </summary>
    private static string? ScopeIdProblem(string text, string address)
    {
        int percent = address.IndexOf('%', StringComparison.Ordinal);
        return percent < 0
            ? null
            : $"'{text}' has a scope id ('{address[percent..]}'): nftables cannot carry a scope id, it matches and translates the address alone; give the address without '%'";
    }

    // IPAddress.TryParse also takes "10.1" or "167772161" as IPv4, and reads "010" as octal (8):
    // in a rule those are typos, so only four plain decimal numbers pass.
    private static bool IsDottedQuad(string text)
    {
        string[] parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }
        foreach (string part in parts)
        {
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0') || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int octet) || octet > 255)
            {
                return false;
            }
        }
        return true;
    }
}
