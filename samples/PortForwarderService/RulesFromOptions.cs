using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using Microsoft.Extensions.Logging;
using Netfilter.Net.Nat;

namespace PortForwarderService;

/// <summary>
/// Turns the configuration into typed rules. The library validates every rule as it is built;
/// an entry it refuses is logged with the reason and left out, so one typo does not take the
/// other forwards down.
/// </summary>
internal static partial class RulesFromOptions
{
    public static List<NatRule> Build(PortForwarderOptions options, ILogger logger)
    {
        var rules = new List<NatRule>();
        for (int i = 0; i < options.Forwards.Count; i++)
        {
            ForwardOptions f = options.Forwards[i];
            try
            {
                (IPAddress address, PortRange? toPorts) = ParseTarget(f.To);
                rules.Add(new DnatRule(ParseProtocol(f.Protocol), PortRange.Parse(f.Port), address, toPorts,
                    sources: f.Sources.Select(s => IPNetwork.Parse(s)).ToList(), masquerade: f.Masquerade));
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                LogInvalid(logger, "Forwards", i, e.Message);
            }
        }
        for (int i = 0; i < options.Redirects.Count; i++)
        {
            RedirectOptions r = options.Redirects[i];
            try
            {
                rules.Add(new RedirectRule(ParseProtocol(r.Protocol), PortRange.Parse(r.Port), r.ToPort, includeLocal: r.Local));
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                LogInvalid(logger, "Redirects", i, e.Message);
            }
        }
        return rules;
    }

    private static TransportProtocol ParseProtocol(string text) => text.ToLowerInvariant() switch
    {
        "tcp" => TransportProtocol.Tcp,
        "udp" => TransportProtocol.Udp,
        "both" => TransportProtocol.Both,
        _ => throw new ArgumentException($"Protocol must be tcp, udp or both, not '{text}'"),
    };

    /// <summary>"10.0.0.5", "10.0.0.5:22", "10.0.0.5:8000-8100", "[2001:db8::10]:22" or "2001:db8::10".</summary>
    private static (IPAddress Address, PortRange? Ports) ParseTarget(string text)
    {
        if (IPAddress.TryParse(text, out IPAddress? bare) && !text.StartsWith('['))
        {
            return (bare, null);
        }
        int colon = text.LastIndexOf(':');
        string host = colon > 0 ? text[..colon] : text;
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        if (colon <= 0 || !IPAddress.TryParse(host, out IPAddress? address))
        {
            throw new ArgumentException($"To must be ADDRESS, ADDRESS:PORT or [IPv6]:PORT, not '{text}'");
        }
        return (address, PortRange.Parse(text[(colon + 1)..]));
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "PortForwarder:{Section}:{Index} is not a valid rule and is skipped: {Reason}")]
    private static partial void LogInvalid(ILogger logger, string section, int index, string reason);
}
