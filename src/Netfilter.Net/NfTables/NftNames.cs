using System;

namespace Netfilter.Net.NfTables;

/// <summary>
/// nft's names for families, hooks and verdicts (libnftnl nftnl_family2str, nft's hook and verdict
/// names), both ways: the one place they are spelled, for the library's messages, its ruleset
/// documents and any tool that writes nft's notation.
/// </summary>
public static class NftNames
{
    /// <summary>nft's name of <paramref name="family"/> ("inet", "ip", "ip6", "arp", "bridge", "netdev"), or null for a family nft has no name for.</summary>
    /// <param name="family">The family.</param>
    public static string? Family(NetfilterFamily family) => family switch
    {
        NetfilterFamily.Inet => "inet",
        NetfilterFamily.IPv4 => "ip",
        NetfilterFamily.IPv6 => "ip6",
        NetfilterFamily.Arp => "arp",
        NetfilterFamily.Bridge => "bridge",
        NetfilterFamily.Netdev => "netdev",
        _ => null,
    };

    /// <summary>The family nft names <paramref name="text"/> (the inverse of <see cref="Family"/>); false for any other text.</summary>
    /// <param name="text">"inet", "ip", "ip6", "arp", "bridge" or "netdev".</param>
    /// <param name="family">The family, or <see cref="NetfilterFamily.Unspecified"/> when false.</param>
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

    /// <summary>
    /// nft's name of hook <paramref name="number"/> in <paramref name="family"/> ("prerouting", "ingress"),
    /// or null for a number the family has no hook for (uapi netfilter.h nf_inet_hooks, nf_dev_hooks; netfilter_arp.h NF_ARP_*).
    /// </summary>
    /// <param name="family">The chain's family: netdev and arp number their hooks their own way.</param>
    /// <param name="number">The hook number (<see cref="ChainHooks"/>).</param>
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

    /// <summary>nft's name of <paramref name="kind"/> ("accept", "jump"), or null for a code nft has no name for.</summary>
    /// <param name="kind">The verdict code.</param>
    public static string? Verdict(VerdictKind kind) => kind switch
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
        _ => null,
    };

    /// <summary>The verdict code nft names <paramref name="text"/> (the inverse of <see cref="Verdict"/>); false for any other text.</summary>
    /// <param name="text">"accept", "drop", "jump", ...</param>
    /// <param name="kind">The code, or the default when false.</param>
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
