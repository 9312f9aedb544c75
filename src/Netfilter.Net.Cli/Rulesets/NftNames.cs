using System;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Cli.Rulesets;

/// <summary>nft's names for families, hooks and verdicts (libnftnl nftnl_family2str, nft's hook and verdict names), both ways.</summary>
internal static class NftNames
{
    public static string Family(NetfilterFamily family) => family switch
    {
        NetfilterFamily.Inet => "inet",
        NetfilterFamily.IPv4 => "ip",
        NetfilterFamily.IPv6 => "ip6",
        NetfilterFamily.Arp => "arp",
        NetfilterFamily.Bridge => "bridge",
        NetfilterFamily.Netdev => "netdev",
        _ => ((byte)family).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static bool TryParseFamily(string text, out NetfilterFamily family)
    {
        family = text switch
        {
            "inet" => NetfilterFamily.Inet,
            "ip" => NetfilterFamily.IPv4,
            "ip6" => NetfilterFamily.IPv6,
            "arp" => NetfilterFamily.Arp,
            "bridge" => NetfilterFamily.Bridge,
            "netdev" => NetfilterFamily.Netdev,
            _ => NetfilterFamily.Unspecified,
        };
        return family != NetfilterFamily.Unspecified;
    }

    /// <summary>The hook's name in <paramref name="family"/> (uapi netfilter.h nf_inet_hooks, nf_dev_hooks; netfilter_arp.h NF_ARP_*).</summary>
    public static string? Hook(NetfilterFamily family, uint number) => family switch
    {
        NetfilterFamily.Netdev => number switch { ChainHooks.NetdevIngress => "ingress", ChainHooks.NetdevEgress => "egress", _ => null },
        // NF_ARP_IN 0, NF_ARP_OUT 1, NF_ARP_FORWARD 2.
        NetfilterFamily.Arp => number switch { 0 => "input", 1 => "output", 2 => "forward", _ => null },
        _ => number switch
        {
            ChainHooks.Prerouting => "prerouting",
            ChainHooks.Input => "input",
            ChainHooks.Forward => "forward",
            ChainHooks.Output => "output",
            ChainHooks.Postrouting => "postrouting",
            ChainHooks.Ingress => "ingress",
            _ => null,
        },
    };

    public static string Verdict(VerdictKind kind) => kind switch
    {
        VerdictKind.Accept => "accept",
        VerdictKind.Drop => "drop",
        VerdictKind.Stolen => "stolen",
        VerdictKind.Queue => "queue",
        VerdictKind.Repeat => "repeat",
        VerdictKind.Stop => "stop",
        VerdictKind.Continue => "continue",
        VerdictKind.Break => "break",
        VerdictKind.Jump => "jump",
        VerdictKind.Goto => "goto",
        VerdictKind.Return => "return",
        _ => ((int)kind).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static bool TryParseVerdict(string text, out VerdictKind kind)
    {
        foreach (VerdictKind candidate in Enum.GetValues<VerdictKind>())
        {
            if (Verdict(candidate) == text)
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }
}
