using System;
using System.Collections.Generic;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// A connection a helper expects (FTP data, SIP media ...): NFNL_SUBSYS_CTNETLINK_EXP, as
/// <c>conntrack -L expect</c> lists them.
/// </summary>
public sealed record ConntrackExpectation
{
    internal ConntrackExpectation(ConntrackTuple tuple)
    {
        Tuple = tuple;
    }

    /// <summary>The expected connection (CTA_EXPECT_TUPLE).</summary>
    public ConntrackTuple Tuple { get; }

    /// <summary>Which fields of <see cref="Tuple"/> must match (CTA_EXPECT_MASK).</summary>
    public ConntrackTuple? Mask { get; init; }

    /// <summary>The connection that created the expectation (CTA_EXPECT_MASTER).</summary>
    public ConntrackTuple? Master { get; init; }

    /// <summary>Time left (CTA_EXPECT_TIMEOUT).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The kernel's id (CTA_EXPECT_ID).</summary>
    public uint? Id { get; init; }

    /// <summary>The helper that made it (CTA_EXPECT_HELP_NAME), e.g. "ftp".</summary>
    public string? HelperName { get; init; }

    /// <summary>The zone (CTA_EXPECT_ZONE).</summary>
    public ushort Zone { get; init; }

    /// <summary>NF_CT_EXPECT_* flags (CTA_EXPECT_FLAGS): 1 permanent, 2 inactive, 4 userspace.</summary>
    public uint Flags { get; init; }

    /// <summary>The helper's expectation class (CTA_EXPECT_CLASS).</summary>
    public uint? Class { get; init; }

    /// <summary>The helper function (CTA_EXPECT_FN).</summary>
    public string? Function { get; init; }

    /// <summary>Attributes this version does not model (CTA_EXPECT_NAT, newer ones), as received.</summary>
    public IReadOnlyList<ConntrackRawAttribute> OtherAttributes { get; init; } = Array.Empty<ConntrackRawAttribute>();

    /// <summary>"expected tcp 10.0.0.1:0 -> 10.0.0.2:2000 (master tcp ...) helper ftp".</summary>
    public override string ToString() => $"expected {Tuple}" + (Master is null ? "" : $" (master {Master})") + (HelperName is null ? "" : $" helper {HelperName}");
}
