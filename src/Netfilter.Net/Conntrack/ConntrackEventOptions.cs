namespace Netfilter.Net.Conntrack;

/// <summary>How to listen for conntrack events.</summary>
public sealed record ConntrackEventOptions
{
    /// <summary>The default kernel receive buffer for an event socket: 8 MiB (conntrackd's default netlink buffer is of this order).</summary>
    public const int DefaultReceiveBufferSize = 8 * 1024 * 1024;

    /// <summary>Which events to receive; all by default.</summary>
    public ConntrackEventTypes Types { get; init; } = ConntrackEventTypes.All;

    /// <summary>Only events whose entry matches (checked client-side). Null: all.</summary>
    public ConntrackFilter? Filter { get; init; }

    /// <summary>
    /// The kernel-side receive buffer in bytes (SO_RCVBUFFORCE, which needs CAP_NET_ADMIN;
    /// SO_RCVBUF capped by net.core.rmem_max otherwise). When a burst overflows it the stream
    /// yields <see cref="ConntrackEventType.Lost"/>.
    /// </summary>
    public int ReceiveBufferSize { get; init; } = DefaultReceiveBufferSize;

    /// <summary>
    /// For <see cref="ConntrackClient.WatchAsync"/>: stream each snapshot instead of reading it into
    /// one list first. The snapshot then comes as a <see cref="ConntrackEventType.Snapshot"/> item
    /// without a list, one <see cref="ConntrackEventType.Existing"/> item per entry as the dump
    /// decodes it, and <see cref="ConntrackEventType.SnapshotEnd"/>; memory stays bounded however
    /// large the table is. A snapshot the kernel marks inconsistent (NLM_F_DUMP_INTR: the table
    /// changed under the dump) cannot be retried once its entries were handed out, so it is
    /// followed by <see cref="ConntrackEventType.Lost"/> and a fresh snapshot, as after a loss of
    /// events. False by default: one <see cref="ConntrackEventType.Snapshot"/> item with the list.
    /// </summary>
    public bool StreamSnapshot { get; init; }

    /// <summary>How many decoded events may wait for the consumer before the reader stops reading (and the kernel buffer starts to fill).</summary>
    public int QueueCapacity { get; init; } = 65536;
}
