using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Diagnostics;

/// <summary>The probes that stand for a typed rule's traffic: its IP versions, protocols, public ports and input interface.</summary>
internal static class RuleTargets
{
    public static IEnumerable<IpFamilies> Families(NatRule rule)
    {
        IPAddress? address = rule switch
        {
            DnatRule d => d.ToAddress,
            RedirectRule r => r.Destination ?? (r.Sources.Count > 0 ? r.Sources[0].BaseAddress : null),
            TproxyRule t => t.ToAddress,
            _ => null,
        };
        if (address is null || address.AddressFamily == AddressFamily.InterNetwork)
        {
            yield return IpFamilies.IPv4;
        }
        if (address is null || address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            yield return IpFamilies.IPv6;
        }
    }

    /// <summary>The public ports (what clients connect to).</summary>
    public static PortRange PublicPorts(NatRule rule) => rule switch
    {
        DnatRule d => d.Ports ?? new PortRange(1, 65535),
        RedirectRule r => r.Ports,
        TproxyRule t => t.Ports,
        _ => new PortRange(1, 65535),
    };

    public static TransportProtocol Protocol(NatRule rule) => rule switch
    {
        DnatRule d => d.Protocol,
        RedirectRule r => r.Protocol,
        TproxyRule t => t.Protocol,
        _ => TransportProtocol.Both,
    };

    public static string? InputInterface(NatRule rule) => rule switch
    {
        DnatRule d => d.InputInterface,
        RedirectRule r => r.InputInterface,
        _ => null,
    };

    /// <summary>The base chains of our table the rule's pieces hang from, with their hooks.</summary>
    public static IEnumerable<(uint Hook, string Chain)> OwnChains(NatRule rule)
    {
        switch (rule)
        {
            case TproxyRule:
                yield return (ChainHooks.Prerouting, NatTableLayout.Tproxy);
                break;
            case DnatRule d:
                yield return (ChainHooks.Prerouting, NatTableLayout.Prerouting);
                if (d.IncludeLocal) yield return (ChainHooks.Output, NatTableLayout.Output);
                break;
            case RedirectRule r:
                yield return (ChainHooks.Prerouting, NatTableLayout.Prerouting);
                if (r.IncludeLocal) yield return (ChainHooks.Output, NatTableLayout.Output);
                break;
        }
    }

    /// <summary>nft's name of an inet hook, or "hook N".</summary>
    public static string HookName(uint hook) => NftNames.Hook(NetfilterFamily.Inet, hook) ?? $"hook {hook}";
}
