using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace Netfilter.Net.Nat;

/// <summary>
/// Reads the canonical text of a typed rule (<see cref="NatRule.ToString"/>) back into the rule.
/// The NAT table stores that text as the nft comment of what each rule compiled into, which is
/// how <c>ListAsync</c> reads typed rules back from the kernel.
/// </summary>
public static class NatRuleParser
{
    /// <summary>Parses <paramref name="text"/>, e.g. <c>dnat tcp 2222 to 192.168.1.10:22 masquerade</c>.</summary>
    /// <exception cref="FormatException">The text is not a rule; the message says where.</exception>
    public static NatRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out NatRule? rule, out string? error))
        {
            throw new FormatException($"{InputText.Quote(text)} is not a NAT rule: {error}");
        }
        return rule!;
    }

    /// <summary>Parses <paramref name="text"/>; false with a reason when it is not a rule.</summary>
    public static bool TryParse(string text, out NatRule? rule, out string? error)
    {
        rule = null;
        error = null;
        try
        {
            var tokens = new Queue<string>(text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (tokens.Count == 0)
            {
                error = "empty";
                return false;
            }
            string kind = tokens.Dequeue();
            rule = kind switch
            {
                "redirect" => ParseRedirect(tokens),
                "dnat" => ParseDnat(tokens),
                "snat" => ParseSnat(tokens),
                "masquerade" => ParseMasquerade(tokens),
                "tproxy" => ParseTproxy(tokens),
                _ => throw new FormatException($"unknown kind {InputText.Quote(kind)}"),
            };
            if (tokens.Count > 0)
            {
                throw new FormatException($"unexpected {InputText.Quote(tokens.Peek())}");
            }
            return true;
        }
        // OverflowException: a number too large for its field ("to 99999999999") is just as malformed.
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            error = e.Message;
            rule = null;
            return false;
        }
    }

    private static RedirectRule ParseRedirect(Queue<string> t)
    {
        TransportProtocol protocol = TransportProtocol.Parse(t.Dequeue());
        PortRange ports = PortRange.Parse(t.Dequeue());
        Expect(t, "to");
        int toPort = int.Parse(t.Dequeue(), NumberStyles.None, CultureInfo.InvariantCulture);
        IPAddress? dst = null;
        string? iif = null;
        List<IPNetwork>? sources = null;
        bool local = false;
        while (t.Count > 0)
        {
            switch (t.Peek())
            {
                case "dst": t.Dequeue(); dst = NatEndpointParser.ParseAddress(t.Dequeue()); break;
                case "iif": t.Dequeue(); iif = t.Dequeue(); break;
                case "from": t.Dequeue(); sources = Networks(t.Dequeue()); break;
                case "local": t.Dequeue(); local = true; break;
                default: return new RedirectRule(protocol, ports, toPort, dst, iif, sources, local);
            }
        }
        return new RedirectRule(protocol, ports, toPort, dst, iif, sources, local);
    }

    private static DnatRule ParseDnat(Queue<string> t)
    {
        TransportProtocol protocol = TransportProtocol.Parse(t.Dequeue());
        string portText = t.Dequeue();
        PortRange? ports = portText == "all" ? null : PortRange.Parse(portText);
        Expect(t, "to");
        (IPAddress address, PortRange? toPorts) = NatEndpointParser.Parse(t.Dequeue());
        IPAddress? dst = null;
        string? iif = null;
        List<IPNetwork>? sources = null;
        bool persistent = false, random = false, masquerade = false, hairpin = false, local = false;
        while (t.Count > 0)
        {
            switch (t.Peek())
            {
                case "dst": t.Dequeue(); dst = NatEndpointParser.ParseAddress(t.Dequeue()); continue;
                case "iif": t.Dequeue(); iif = t.Dequeue(); continue;
                case "from": t.Dequeue(); sources = Networks(t.Dequeue()); continue;
                case "persistent": t.Dequeue(); persistent = true; continue;
                case "random": t.Dequeue(); random = true; continue;
                case "masquerade": t.Dequeue(); masquerade = true; continue;
                case "hairpin": t.Dequeue(); hairpin = true; continue;
                case "local": t.Dequeue(); local = true; continue;
            }
            break;
        }
        return new DnatRule(protocol, ports, address, toPorts, dst, iif, sources, persistent, random, masquerade, hairpin, local);
    }

    private static SnatRule ParseSnat(Queue<string> t)
    {
        string? oif = null;
        if (t.Count > 0 && t.Peek() == "oif")
        {
            t.Dequeue();
            oif = t.Dequeue();
        }
        Expect(t, "to");
        (IPAddress first, IPAddress? last) = NatEndpointParser.ParseAddressRange(t.Dequeue());
        List<IPNetwork>? sources = null;
        if (t.Count > 0 && t.Peek() == "from")
        {
            t.Dequeue();
            sources = Networks(t.Dequeue());
        }
        return new SnatRule(first, last, oif, sources);
    }

    private static MasqueradeRule ParseMasquerade(Queue<string> t)
    {
        string? oif = null;
        List<IPNetwork>? sources = null;
        bool random = false, fully = false;
        while (t.Count > 0)
        {
            switch (t.Peek())
            {
                case "oif": t.Dequeue(); oif = t.Dequeue(); continue;
                case "from": t.Dequeue(); sources = Networks(t.Dequeue()); continue;
                case "random": t.Dequeue(); random = true; continue;
                case "fully-random": t.Dequeue(); fully = true; continue;
            }
            break;
        }
        return new MasqueradeRule(oif, sources, random, fully);
    }

    private static TproxyRule ParseTproxy(Queue<string> t)
    {
        TransportProtocol protocol = TransportProtocol.Parse(t.Dequeue());
        PortRange ports = PortRange.Parse(t.Dequeue());
        Expect(t, "to");
        string endpoint = t.Dequeue();
        IPAddress? address = null;
        int colon = endpoint.LastIndexOf(':');
        if (colon < 0)
        {
            throw new FormatException($"{InputText.Quote(endpoint)} is not [address]:port");
        }
        if (colon > 0)
        {
            string host = endpoint.Substring(0, colon);
            if (host.Contains(':', StringComparison.Ordinal) && !(host.StartsWith('[') && host.EndsWith(']')))
            {
                throw new FormatException($"{InputText.Quote(endpoint)}: put an IPv6 address in brackets, e.g. [2001:db8::10]:8080");
            }
            address = NatEndpointParser.ParseAddress(host);
        }
        int toPort = int.Parse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        Expect(t, "mark");
        string markText = t.Dequeue();
        uint mark = markText.StartsWith("0x", StringComparison.Ordinal)
            ? uint.Parse(markText.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : uint.Parse(markText, NumberStyles.None, CultureInfo.InvariantCulture);
        return new TproxyRule(protocol, ports, toPort, mark, address);
    }

    private static List<IPNetwork> Networks(string text)
    {
        var list = new List<IPNetwork>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            list.Add(NatEndpointParser.ParseNetwork(part));
        }
        return list;
    }

    private static void Expect(Queue<string> t, string word)
    {
        if (t.Count == 0 || t.Dequeue() != word)
        {
            throw new FormatException($"expected '{word}'");
        }
    }
}
