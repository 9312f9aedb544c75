using System;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// What to change on an existing entry (IPCTNL_MSG_CT_NEW without NLM_F_CREATE). Properties
/// left null stay as they are.
/// </summary>
/// <example>
/// <code>
/// await conntrack.UpdateAsync(entry.Original, new ConntrackUpdate { Mark = 42, Timeout = TimeSpan.FromMinutes(5) });
/// </code>
/// </example>
public sealed record ConntrackUpdate
{
    /// <summary>The new mark (CTA_MARK). With <see cref="MarkMask"/>, only the masked bits change.</summary>
    public uint? Mark { get; init; }

    /// <summary>Which bits of the mark to change (CTA_MARK_MASK): mark = (old &amp; ~mask) | (Mark &amp; mask).</summary>
    public uint? MarkMask { get; init; }

    /// <summary>The new time left before expiry (CTA_TIMEOUT), whole seconds.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The new status (CTA_STATUS): typically <c>entry.Status | ConntrackStatus.Assured</c>. The
    /// kernel keeps the bits it does not let users change (IPS_UNCHANGEABLE_MASK: NAT, expected,
    /// confirmed, dying, ...) and refuses to clear <see cref="ConntrackStatus.SeenReply"/> or
    /// <see cref="ConntrackStatus.Assured"/> (EBUSY).
    /// </summary>
    public ConntrackStatus? Status { get; init; }

    /// <summary>The new labels (CTA_LABELS). With <see cref="LabelsMask"/>, only the masked bits change; without it the kernel only adds bits.</summary>
    public ConntrackLabels? Labels { get; init; }

    /// <summary>Which label bits to change (CTA_LABELS_MASK).</summary>
    public ConntrackLabels? LabelsMask { get; init; }

    /// <summary>The new TCP state (CTA_PROTOINFO_TCP_STATE), for TCP entries.</summary>
    public TcpConntrackState? TcpState { get; init; }

    /// <summary>True when nothing would change.</summary>
    public bool IsEmpty => this == new ConntrackUpdate();
}
