namespace Netfilter.Net.Nat;

/// <summary>Where a time of a <see cref="NatAccessRecord"/> comes from, so a reader knows how far to trust it.</summary>
public enum NatAccessTimeSource
{
    /// <summary>Not known: a connection that was already open when the log started, without kernel timestamps.</summary>
    Unknown,

    /// <summary>
    /// The kernel's own timestamp (CTA_TIMESTAMP_START / CTA_TIMESTAMP_STOP, which need
    /// <c>net.netfilter.nf_conntrack_timestamp</c> = 1 when the connection starts; or
    /// CTA_TIMESTAMP_EVENT on Linux 6.14+): exact.
    /// </summary>
    Kernel,

    /// <summary>When the log received the kernel's event, on this process's clock: late by the event's delivery time (usually well under a millisecond).</summary>
    Observed,
}
