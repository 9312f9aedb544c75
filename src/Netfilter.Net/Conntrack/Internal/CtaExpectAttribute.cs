namespace Netfilter.Net.Conntrack.Internal;

/// <summary>enum ctattr_expect (expectations, NFNL_SUBSYS_CTNETLINK_EXP).</summary>
internal static class CtaExpectAttribute
{
    /// <summary>CTA_EXPECT_MASTER (nested tuple).</summary>
    public const ushort Master = 1;
    /// <summary>CTA_EXPECT_TUPLE (nested tuple).</summary>
    public const ushort Tuple = 2;
    /// <summary>CTA_EXPECT_MASK (nested tuple).</summary>
    public const ushort Mask = 3;
    /// <summary>CTA_EXPECT_TIMEOUT (be32 seconds).</summary>
    public const ushort Timeout = 4;
    /// <summary>CTA_EXPECT_ID (be32).</summary>
    public const ushort Id = 5;
    /// <summary>CTA_EXPECT_HELP_NAME (string).</summary>
    public const ushort HelperName = 6;
    /// <summary>CTA_EXPECT_ZONE (be16).</summary>
    public const ushort Zone = 7;
    /// <summary>CTA_EXPECT_FLAGS (be32, NF_CT_EXPECT_*).</summary>
    public const ushort Flags = 8;
    /// <summary>CTA_EXPECT_CLASS (be32).</summary>
    public const ushort Class = 9;
    /// <summary>CTA_EXPECT_NAT (nested).</summary>
    public const ushort Nat = 10;
    /// <summary>CTA_EXPECT_FN (string).</summary>
    public const ushort Function = 11;
}
