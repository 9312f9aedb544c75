using System;

namespace Netfilter.Net.Conntrack;

/// <summary>The status bits of a conntrack entry (uapi nf_conntrack_common.h, enum ip_conntrack_status, IPS_*).</summary>
[Flags]
public enum ConntrackStatus : uint
{
    /// <summary>No bit set.</summary>
    None = 0,
    /// <summary>IPS_EXPECTED: an expected connection (a helper's related flow).</summary>
    Expected = 1 << 0,
    /// <summary>IPS_SEEN_REPLY: packets were seen both ways. <c>conntrack -L</c> prints [UNREPLIED] without it.</summary>
    SeenReply = 1 << 1,
    /// <summary>IPS_ASSURED: never early-dropped. <c>conntrack -L</c> prints [ASSURED].</summary>
    Assured = 1 << 2,
    /// <summary>IPS_CONFIRMED: the first packet left the box; the entry is in the table.</summary>
    Confirmed = 1 << 3,
    /// <summary>IPS_SRC_NAT: the source is translated in the original direction (SNAT, masquerade).</summary>
    SourceNat = 1 << 4,
    /// <summary>IPS_DST_NAT: the destination is translated in the original direction (DNAT, redirect).</summary>
    DestinationNat = 1 << 5,
    /// <summary>IPS_SEQ_ADJUST: TCP sequence numbers are adjusted (a helper changed the payload length).</summary>
    SequenceAdjust = 1 << 6,
    /// <summary>IPS_SRC_NAT_DONE.</summary>
    SourceNatDone = 1 << 7,
    /// <summary>IPS_DST_NAT_DONE.</summary>
    DestinationNatDone = 1 << 8,
    /// <summary>IPS_DYING: removed from the table, about to be freed.</summary>
    Dying = 1 << 9,
    /// <summary>IPS_FIXED_TIMEOUT: the timeout does not change with traffic.</summary>
    FixedTimeout = 1 << 10,
    /// <summary>IPS_TEMPLATE: a template, not a real connection.</summary>
    Template = 1 << 11,
    /// <summary>IPS_UNTRACKED: obsolete.</summary>
    Untracked = 1 << 12,
    /// <summary>IPS_HELPER: a helper was attached explicitly (ruleset or ctnetlink).</summary>
    Helper = 1 << 13,
    /// <summary>IPS_OFFLOAD: offloaded to a flow table. <c>conntrack -L</c> prints [OFFLOAD].</summary>
    Offload = 1 << 14,
    /// <summary>IPS_HW_OFFLOAD: offloaded to hardware. <c>conntrack -L</c> prints [HW_OFFLOAD].</summary>
    HardwareOffload = 1 << 15,
}
