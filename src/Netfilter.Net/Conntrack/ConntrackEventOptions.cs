using System;

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

    /// <summary>
    /// Called each time the stream has joined the kernel's event groups: once as it starts (during
    /// the first <c>MoveNextAsync</c>, before anything is yielded) and again after each
    /// resubscription that follows a loss. Every change the kernel makes after the call is
    /// delivered, or reported as <see cref="ConntrackEventType.Lost"/>. Start work whose events you
    /// must see from here, instead of guessing how long subscribing takes. It runs on the
    /// enumerating thread: keep it short, and do not throw (an exception ends the stream).
    /// </summary>
    public Action? Subscribed { get; init; }

    /// <summary>How many decoded events may wait for the consumer before the reader stops reading (and the kernel buffer starts to fill).</summary>
    public int QueueCapacity { get; init; } = 65536;
}
