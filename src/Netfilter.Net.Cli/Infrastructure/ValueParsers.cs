using System;
using System.Collections.Generic;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Linq;
using System.Net;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Cli.Infrastructure;

/// <summary>
/// Parsers for nfnet's option values. Each returns null (and no error) for a good value it
/// cannot represent otherwise, or an error message that names the option, the bad text and
/// what would be right. The System.CommandLine adapters at the bottom turn the message into a
/// parse error, so every bad argument gets its own line.
/// </summary>
internal static class ValueParsers
{
    /// <summary>"tcp", "udp" or "both" (case-insensitive); <paramref name="allowBoth"/> false for tproxy, whose surface is tcp|udp.</summary>
    public static string? TryParseProtocol(string option, string text, bool allowBoth, out TransportProtocol protocol)
    {
        // nfnet takes the word in any case; the library reads it as rules write it.
        if (TransportProtocol.TryParse(text.ToLowerInvariant(), out protocol) && (allowBoth || protocol != TransportProtocol.Both))
        {
            return null;
        }
        protocol = default;
        return $"{option}: {InputText.Quote(text)} is not a protocol: use {(allowBoth ? "tcp, udp or both" : "tcp or udp")}";
    }

    /// <summary>A port 1-65535.</summary>
    public static string? TryParsePort(string option, string text, out ushort port)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value is >= 1 and <= 65535)
        {
            port = (ushort)value;
            return null;
        }
        port = 0;
        return $"{option}: {InputText.Quote(text)} is not a port: use a number from 1 to 65535";
    }

    /// <summary>"80" or "8000-8100" (the library's reader, <see cref="PortRange.TryParse(string?, out PortRange, out string?)"/>).</summary>
    public static string? TryParsePortRange(string option, string text, out PortRange range) =>
        Nat.PortRange.TryParse(text, out range, out string? error) ? null : $"{option}: {error}";

    /// <summary>An IPv4 or IPv6 address, IPv6 with or without brackets (the library's reader, <see cref="NatEndpointParser.TryParseAddress"/>).</summary>
    public static string? TryParseAddress(string option, string text, out IPAddress address) =>
        NatEndpointParser.TryParseAddress(text, out address, out string? error) ? null : $"{option}: {error}";

    /// <summary>"ADDR" or "ADDR:PORT[-PORT]", IPv6 in brackets: "[2001:db8::10]:22" (the library's reader, <see cref="NatEndpointParser.TryParse"/>).</summary>
    public static string? TryParseTarget(string option, string text, out IPAddress address, out PortRange? ports) =>
        NatEndpointParser.TryParse(text, out address, out ports, out string? error) ? null : $"{option}: {error}";

    /// <summary>"ADDR" or "ADDR-ADDR" (an SNAT address range; the library's reader, <see cref="NatEndpointParser.TryParseAddressRange"/>).</summary>
    public static string? TryParseAddressRange(string option, string text, out IPAddress first, out IPAddress? last) =>
        NatEndpointParser.TryParseAddressRange(text, out first, out last, out string? error) ? null : $"{option}: {error}";

    /// <summary>"10.0.1.0/24", "fd01::/64", or a single address (a /32 or /128; the library's reader, <see cref="NatEndpointParser.TryParseNetwork"/>).</summary>
    public static string? TryParsePrefix(string option, string text, out IPNetwork network) =>
        NatEndpointParser.TryParseNetwork(text, out network, out string? error) ? null : $"{option}: {error}";

    /// <summary>A packet mark: decimal or 0x-hex, not 0.</summary>
    public static string? TryParseMark(string option, string text, out uint mark)
    {
        bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out mark)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out mark);
        if (!ok)
        {
            return $"{option}: {InputText.Quote(text)} is not a mark: use a number such as 1 or 0x1";
        }
        if (mark == 0)
        {
            return $"{option}: the mark selects the policy route, so it cannot be 0: use 1 or another value";
        }
        return null;
    }

    // --- System.CommandLine adapters: one error per bad token ---

    public static Func<ArgumentResult, TransportProtocol> Protocol(string option, bool allowBoth) => result =>
        Single(result, (string text, out TransportProtocol value) => TryParseProtocol(option, text, allowBoth, out value));

    public static Func<ArgumentResult, ushort> Port(string option) => result =>
        Single(result, (string text, out ushort value) => TryParsePort(option, text, out value));

    public static Func<ArgumentResult, PortRange> PortRange(string option) => result =>
        Single(result, (string text, out PortRange value) => TryParsePortRange(option, text, out value));

    public static Func<ArgumentResult, PortRange> SinglePort(string option) => result =>
        Single(result, (string text, out PortRange value) =>
        {
            string? error = TryParsePort(option, text, out ushort port);
            value = error is null ? Nat.PortRange.Single(port) : default;
            return error;
        });

    public static Func<ArgumentResult, uint> Mark(string option) => result =>
        Single(result, (string text, out uint value) => TryParseMark(option, text, out value));

    public static Func<ArgumentResult, IPAddress?> Address(string option) => result =>
        Single(result, (string text, out IPAddress? value) =>
        {
            string? error = TryParseAddress(option, text, out IPAddress parsed);
            value = error is null ? parsed : null;
            return error;
        });

    public static Func<ArgumentResult, IPNetwork[]> Prefixes(string option) => result =>
    {
        var list = new List<IPNetwork>();
        foreach (Token token in result.Tokens)
        {
            // "--source a,b" is accepted as well as "--source a --source b", and "a, b" too (spaces
            // only: a newline or a tab in a value is refused like anywhere else). An empty entry
            // ("a,,b", "a,") is a typo to point at, not something to skip: the user meant a prefix there.
            string[] parts = token.Value.Split(',').Select(p => p.Trim(' ')).ToArray();
            if (parts.Length > 1 && Array.IndexOf(parts, string.Empty) >= 0)
            {
                result.AddError($"{option}: {InputText.Quote(token.Value)} has an empty entry: separate prefixes with single commas (10.0.1.0/24,10.0.2.0/24)");
                continue;
            }
            foreach (string part in parts)
            {
                if (TryParsePrefix(option, part, out IPNetwork network) is string error)
                {
                    result.AddError(error);
                }
                else
                {
                    list.Add(network);
                }
            }
        }
        return list.ToArray();
    };

    internal delegate string? TryParse<T>(string text, out T value);

    private static T Single<T>(ArgumentResult result, TryParse<T> parse)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (parse(text, out T value) is string error)
        {
            result.AddError(error);
        }
        return value;
    }
}
