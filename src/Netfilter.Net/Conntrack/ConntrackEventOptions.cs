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

    /// <summary>How many decoded events may wait for the consumer before the reader stops reading (and the kernel buffer starts to fill).</summary>
    public int QueueCapacity { get; init; } = 65536;
}
