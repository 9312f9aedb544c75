using System;
using System.Collections.Generic;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// One item of an event stream: a NEW/UPDATE/DESTROY of an entry, the explicit notice that
/// events were lost, or (from <see cref="ConntrackClient.WatchAsync"/>) a snapshot of the table,
/// whole or streamed entry by entry.
/// </summary>
public sealed record ConntrackEvent
{
    private ConntrackEvent(ConntrackEventType type, ConntrackEntry? entry, IReadOnlyList<ConntrackEntry>? snapshot)
    {
        Type = type;
        Entry = entry;
        Snapshot = snapshot;
    }

    /// <summary>What happened.</summary>
    public ConntrackEventType Type { get; }

    /// <summary>The entry, for <see cref="ConntrackEventType.New"/>, <see cref="ConntrackEventType.Update"/> and <see cref="ConntrackEventType.Destroy"/> (an event carries only what changed plus the tuples, status and id; read the rest with a get), and for <see cref="ConntrackEventType.Existing"/> (every field the dump gave).</summary>
    public ConntrackEntry? Entry { get; }

    /// <summary>The whole table, for <see cref="ConntrackEventType.Snapshot"/>; null when the snapshot is streamed (<see cref="ConntrackEventOptions.StreamSnapshot"/>: its entries follow as <see cref="ConntrackEventType.Existing"/> items).</summary>
    public IReadOnlyList<ConntrackEntry>? Snapshot { get; }

    internal static ConntrackEvent ForEntry(ConntrackEventType type, ConntrackEntry entry) => new(type, entry, null);

    internal static ConntrackEvent Lost { get; } = new(ConntrackEventType.Lost, null, null);

    internal static ConntrackEvent ForSnapshot(IReadOnlyList<ConntrackEntry> entries) => new(ConntrackEventType.Snapshot, null, entries);

    internal static ConntrackEvent SnapshotStart { get; } = new(ConntrackEventType.Snapshot, null, null);

    internal static ConntrackEvent ForExisting(ConntrackEntry entry) => new(ConntrackEventType.Existing, entry, null);

    internal static ConntrackEvent SnapshotEnd { get; } = new(ConntrackEventType.SnapshotEnd, null, null);

    /// <summary>"New tcp 10.0.1.2:40000 -> ...", "Lost", "Snapshot (12 entries)".</summary>
    public override string ToString() => Type switch
    {
        ConntrackEventType.Lost => "Lost: events were dropped (ENOBUFS); resynchronize with a dump",
        ConntrackEventType.Snapshot => Snapshot is null ? "Snapshot (streamed: its entries follow)" : $"Snapshot ({Snapshot.Count} entries)",
        ConntrackEventType.SnapshotEnd => "SnapshotEnd",
        _ => $"{Type} {Entry}",
    };
}
