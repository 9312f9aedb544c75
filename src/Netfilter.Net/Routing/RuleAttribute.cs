namespace Netfilter.Net.Routing;

/// <summary>Policy rule attributes (uapi linux/fib_rules.h, FRA_*). Integers are host order, addresses network order.</summary>
internal static class RuleAttribute
{
    /// <summary>FRA_DST: destination prefix address; its length is fib_rule_hdr.dst_len.</summary>
    public const ushort Destination = 1;
    /// <summary>FRA_SRC: source prefix address.</summary>
    public const ushort Source = 2;
    /// <summary>FRA_IIFNAME: input interface name (string).</summary>
    public const ushort InputInterfaceName = 3;
    /// <summary>FRA_GOTO: target priority for FR_ACT_GOTO (u32).</summary>
    public const ushort Goto = 4;
    /// <summary>FRA_PRIORITY: the rule's preference (u32); rules are evaluated in ascending order.</summary>
    public const ushort Priority = 6;
    /// <summary>FRA_FWMARK: the packet mark to match (u32).</summary>
    public const ushort FirewallMark = 10;
    /// <summary>FRA_TABLE: table id (u32); needed for ids above 255.</summary>
    public const ushort Table = 15;
    /// <summary>FRA_FWMASK: mask applied to the packet mark before comparing (u32); the kernel uses 0xffffffff when only FRA_FWMARK is given.</summary>
    public const ushort FirewallMask = 16;
    /// <summary>FRA_OIFNAME: output interface name (string).</summary>
    public const ushort OutputInterfaceName = 17;
    /// <summary>FRA_PROTOCOL: who installed the rule (u8, RTPROT_*).</summary>
    public const ushort Protocol = 21;
}
