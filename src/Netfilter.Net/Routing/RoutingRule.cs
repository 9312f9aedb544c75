using System;
using System.Globalization;
using System.Net;
using System.Text;

namespace Netfilter.Net.Routing;

/// <summary>
/// A policy routing rule (<c>ip rule</c>): which packets it selects, and which routing table
/// they are looked up in. Read back from the kernel by <see cref="Sockets.TproxyRouting"/>.
/// </summary>
public sealed record RoutingRule
{
    /// <summary>IPv4 or IPv6: rules exist per family.</summary>
    public NetfilterFamily Family { get; init; }

    /// <summary>FRA_PRIORITY, the preference: rules are tried in ascending order (0 is "lookup local").</summary>
    public uint Priority { get; init; }

    /// <summary>FRA_FWMARK: the packet mark this rule selects (after <see cref="FirewallMask"/>), or null.</summary>
    public uint? FirewallMark { get; init; }

    /// <summary>FRA_FWMASK: the mask applied to the packet mark; the kernel reports 0xffffffff for a plain "fwmark M".</summary>
    public uint? FirewallMask { get; init; }

    /// <summary>The table looked up ("lookup T"), 0 when the action is not <see cref="RuleAction.ToTable"/>.</summary>
    public uint Table { get; init; }

    /// <summary>What the rule does.</summary>
    public RuleAction Action { get; init; } = RuleAction.ToTable;

    /// <summary>FRA_SRC: the source prefix selected, or null for "from all".</summary>
    public IPNetwork? Source { get; init; }

    /// <summary>FRA_DST: the destination prefix selected, or null.</summary>
    public IPNetwork? Destination { get; init; }

    /// <summary>FRA_IIFNAME: the input interface selected, or null.</summary>
    public string? InputInterface { get; init; }

    /// <summary>FRA_OIFNAME: the output interface selected, or null.</summary>
    public string? OutputInterface { get; init; }

    /// <summary>FIB_RULE_INVERT: the selectors are negated ("not").</summary>
    public bool Invert { get; init; }

    /// <summary>FRA_PROTOCOL: who installed the rule.</summary>
    public RouteProtocol Protocol { get; init; }

    /// <summary>The rule as <c>ip rule show</c> prints it, e.g. <c>32765:	from all fwmark 0x1 lookup 100</c>.</summary>
    public override string ToString()
    {
        // iproute2 ip/iprule.c print_rule(), for the selectors this type holds.
        var text = new StringBuilder();
        text.Append(Priority.ToString(CultureInfo.InvariantCulture)).Append(":\t");
        if (Invert)
        {
            text.Append("not ");
        }
        text.Append("from ").Append(Source is IPNetwork s ? Render(s) : "all");
        if (Destination is IPNetwork d)
        {
            text.Append(" to ").Append(Render(d));
        }
        if (FirewallMark is not null || FirewallMask is not null)
        {
            uint mark = FirewallMark ?? 0;
            uint mask = FirewallMask ?? uint.MaxValue;
            text.Append(CultureInfo.InvariantCulture, $" fwmark 0x{mark:x}");
            if (mask != uint.MaxValue)
            {
                text.Append(CultureInfo.InvariantCulture, $"/0x{mask:x}");
            }
        }
        if (InputInterface is not null)
        {
            text.Append(" iif ").Append(InputInterface);
        }
        if (OutputInterface is not null)
        {
            text.Append(" oif ").Append(OutputInterface);
        }
        text.Append(Action switch
        {
            RuleAction.ToTable => " lookup " + RouteTable.Name(Table),
            RuleAction.Goto => " goto",
            RuleAction.Nop => " nop",
            RuleAction.Blackhole => " blackhole",
            RuleAction.Unreachable => " unreachable",
            RuleAction.Prohibit => " prohibit",
            _ => string.Empty,
        });
        return text.ToString();
    }

    private static string Render(IPNetwork network) =>
        network.PrefixLength == network.BaseAddress.GetAddressBytes().Length * 8 ? network.BaseAddress.ToString() : network.ToString();
}
