namespace Netfilter.Net.Netfilter;

/// <summary>nfnetlink multicast groups (uapi nfnetlink.h, enum nfnetlink_groups). Group numbers, not masks.</summary>
internal static class NetfilterGroups
{
    /// <summary>NFNLGRP_CONNTRACK_NEW.</summary>
    public const uint ConntrackNew = 1;
    /// <summary>NFNLGRP_CONNTRACK_UPDATE.</summary>
    public const uint ConntrackUpdate = 2;
    /// <summary>NFNLGRP_CONNTRACK_DESTROY.</summary>
    public const uint ConntrackDestroy = 3;
    /// <summary>NFNLGRP_CONNTRACK_EXP_NEW.</summary>
    public const uint ConntrackExpectationNew = 4;
    /// <summary>NFNLGRP_CONNTRACK_EXP_UPDATE.</summary>
    public const uint ConntrackExpectationUpdate = 5;
    /// <summary>NFNLGRP_CONNTRACK_EXP_DESTROY.</summary>
    public const uint ConntrackExpectationDestroy = 6;
    /// <summary>NFNLGRP_NFTABLES: ruleset change notifications.</summary>
    public const uint NfTables = 7;
    /// <summary>NFNLGRP_ACCT_QUOTA.</summary>
    public const uint AcctQuota = 8;
    /// <summary>NFNLGRP_NFTRACE.</summary>
    public const uint NfTrace = 9;
}
