namespace Netfilter.Net.NfTables;

/// <summary>
/// Where a base chain is attached (NFTA_CHAIN_HOOK): the hook number, the priority, and for
/// netdev chains the device(s).
/// </summary>
/// <param name="HookNumber">NF_INET_* for ip/ip6/inet (see <see cref="ChainHooks"/>), NF_NETDEV_* for netdev.</param>
/// <param name="Priority">Lower runs first: dstnat is -100, filter 0, srcnat 100 (see <see cref="ChainPriorities"/>).</param>
/// <param name="Device">NFTA_HOOK_DEV: the device of a netdev chain.</param>
public sealed record ChainHook(uint HookNumber, int Priority, string? Device = null)
{
    /// <summary>NFTA_HOOK_DEVS: several devices (netdev chains, kernel 5.5).</summary>
    public System.Collections.Generic.IReadOnlyList<string>? Devices { get; init; }
}

/// <summary>Hook numbers for ip, ip6 and inet chains (uapi netfilter.h, enum nf_inet_hooks).</summary>
public static class ChainHooks
{
    /// <summary>NF_INET_PRE_ROUTING: prerouting, where DNAT happens for arriving packets.</summary>
    public const uint Prerouting = 0;
    /// <summary>NF_INET_LOCAL_IN: input.</summary>
    public const uint Input = 1;
    /// <summary>NF_INET_FORWARD: forward.</summary>
    public const uint Forward = 2;
    /// <summary>NF_INET_LOCAL_OUT: output, where DNAT happens for locally generated packets.</summary>
    public const uint Output = 3;
    /// <summary>NF_INET_POST_ROUTING: postrouting, where SNAT and masquerade happen.</summary>
    public const uint Postrouting = 4;
    /// <summary>NF_INET_INGRESS (inet family, kernel 5.10).</summary>
    public const uint Ingress = 5;
    /// <summary>NF_NETDEV_INGRESS (netdev family).</summary>
    public const uint NetdevIngress = 0;
    /// <summary>NF_NETDEV_EGRESS (netdev family).</summary>
    public const uint NetdevEgress = 1;

    /// <summary>nft's name of hook <paramref name="number"/> in <paramref name="family"/> (uapi netfilter.h nf_inet_hooks and nf_dev_hooks, netfilter_arp.h NF_ARP_*), or null.</summary>
    internal static string? NameOf(NetfilterFamily family, uint number) => family switch
    {
        NetfilterFamily.Netdev => number switch { NetdevIngress => "ingress", NetdevEgress => "egress", _ => null },
        // NF_ARP_IN 0, NF_ARP_OUT 1, NF_ARP_FORWARD 2.
        NetfilterFamily.Arp => number switch { 0 => "input", 1 => "output", 2 => "forward", _ => null },
        _ => number switch
        {
            Prerouting => "prerouting",
            Input => "input",
            Forward => "forward",
            Output => "output",
            Postrouting => "postrouting",
            Ingress => "ingress",
            _ => null,
        },
    };
}

/// <summary>Standard chain priorities (nft's named priorities, uapi netfilter_ipv4.h NF_IP_PRI_*).</summary>
public static class ChainPriorities
{
    /// <summary>raw: -300.</summary>
    public const int Raw = -300;
    /// <summary>mangle: -150.</summary>
    public const int Mangle = -150;
    /// <summary>dstnat: -100 (NF_IP_PRI_NAT_DST).</summary>
    public const int DestinationNat = -100;
    /// <summary>filter: 0.</summary>
    public const int Filter = 0;
    /// <summary>security: 50.</summary>
    public const int Security = 50;
    /// <summary>srcnat: 100 (NF_IP_PRI_NAT_SRC).</summary>
    public const int SourceNat = 100;
}
