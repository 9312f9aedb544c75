using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Netfilter.Net.NfTables;

/// <summary>
/// A flowtable (NFT_MSG_NEWFLOWTABLE): a software (or hardware) fast path that established
/// connections take once a rule has added them (<see cref="Expressions.FlowOffloadExpression"/>,
/// nft "flow add @ft"). It hooks at ingress of <see cref="Devices"/>. Needs CONFIG_NF_FLOW_TABLE.
/// </summary>
/// <example>
/// <code>
/// new Flowtable(NetfilterFamily.Inet, "filter", "ft") { HookNumber = Flowtable.IngressHook, Priority = 0, Devices = new[] { "eth0", "eth1" }, Flags = FlowtableFlags.None }
/// </code>
/// </example>
public sealed record Flowtable
{
    /// <summary>NF_NETDEV_INGRESS: the only hook a flowtable takes.</summary>
    public const uint IngressHook = 0;

    /// <summary>A flowtable named <paramref name="name"/> in <paramref name="table"/>.</summary>
    public Flowtable(NetfilterFamily family, string table, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Family = family;
        Table = table;
        Name = name;
    }

    /// <summary>The table's family.</summary>
    public NetfilterFamily Family { get; init; }

    /// <summary>NFTA_FLOWTABLE_TABLE.</summary>
    public string Table { get; init; }

    /// <summary>NFTA_FLOWTABLE_NAME.</summary>
    public string Name { get; init; }

    /// <summary>NFTA_FLOWTABLE_HANDLE: kernel-assigned; 0 for a flowtable not read from the kernel.</summary>
    public ulong Handle { get; init; }

    /// <summary>NFTA_FLOWTABLE_USE: rules referring to it (read-only).</summary>
    public uint Use { get; init; }

    /// <summary>NFTA_FLOWTABLE_HOOK_NUM (<see cref="IngressHook"/>). The hook is sent only with a <see cref="Priority"/>.</summary>
    public uint? HookNumber { get; init; }

    /// <summary>NFTA_FLOWTABLE_HOOK_PRIORITY.</summary>
    public int? Priority { get; init; }

    /// <summary>NFTA_FLOWTABLE_HOOK_DEVS: the devices whose ingress it hooks.</summary>
    public IReadOnlyList<string>? Devices { get; init; }

    /// <summary>NFTA_FLOWTABLE_FLAGS, when present (nft always sends it).</summary>
    public FlowtableFlags? Flags { get; init; }

    /// <summary>
    /// libnftnl 1.2.4's text (nftnl_flowtable_snprintf), as <c>nft --debug=netlink add flowtable</c>
    /// prints it: <c>flow table t ft use 0 size 0 flags 0 hook prerouting prio 0  dev {  lo  } </c>
    /// (libnftnl names the hook after the table family's hooks, so the ingress hook 0 of an inet
    /// flowtable prints as "prerouting").
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        // "size" is a libnftnl field that no kernel attribute fills: always 0.
        sb.Append(c, $"flow table {Table} {Name} use {Use} size 0 flags {(uint)(Flags ?? FlowtableFlags.None):x}");
        if (HookNumber is uint hook)
        {
            sb.Append(c, $" hook {HookName(Family, hook)} prio {Priority ?? 0} ");
            if (Devices is not null)
            {
                sb.Append(" dev { ");
                foreach (string device in Devices)
                {
                    sb.Append(' ').Append(device).Append(' ');
                }
                sb.Append(" } ");
            }
        }
        return sb.ToString();
    }

    // libnftnl nftnl_hooknum2str.
    private static string HookName(NetfilterFamily family, uint hook) => family switch
    {
        NetfilterFamily.IPv4 or NetfilterFamily.IPv6 or NetfilterFamily.Inet or NetfilterFamily.Bridge => hook switch
        {
            0 => "prerouting",
            1 => "input",
            2 => "forward",
            3 => "output",
            4 => "postrouting",
            _ => "unknown",
        },
        NetfilterFamily.Arp => hook switch
        {
            0 => "input",
            1 => "output",
            2 => "forward",
            _ => "unknown",
        },
        NetfilterFamily.Netdev => hook == 0 ? "ingress" : "unknown",
        _ => "unknown",
    };
}
