namespace Netfilter.Net.Routing;

/// <summary>What a policy rule does when it matches (uapi linux/fib_rules.h, FR_ACT_*).</summary>
public enum RuleAction : byte
{
    /// <summary>FR_ACT_UNSPEC (in a delete request: any action).</summary>
    Unspecified = 0,
    /// <summary>FR_ACT_TO_TBL: look the packet up in the rule's table ("lookup T").</summary>
    ToTable = 1,
    /// <summary>FR_ACT_GOTO: jump to another rule.</summary>
    Goto = 2,
    /// <summary>FR_ACT_NOP.</summary>
    Nop = 3,
    /// <summary>FR_ACT_BLACKHOLE: drop silently.</summary>
    Blackhole = 6,
    /// <summary>FR_ACT_UNREACHABLE: drop with ENETUNREACH.</summary>
    Unreachable = 7,
    /// <summary>FR_ACT_PROHIBIT: drop with EACCES.</summary>
    Prohibit = 8,
}
