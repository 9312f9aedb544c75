using System;
using System.Collections.Generic;

namespace Netfilter.Net.Conntrack;

/// <summary>
/// One item of an event stream: a NEW/UPDATE/DESTROY of an entry, the explicit notice that
/// events were lost, or (from <see cref="ConntrackClient.WatchAsync"/>) a snapshot of the table.
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

    /// <summary>The entry, for <see cref="ConntrackEventType.New"/>, <see cref="ConntrackEventType.Update"/> and <see cref="ConntrackEventType.Destroy"/>. An event carries only what changed plus the tuples, status and id; read the rest with a get.</summary>
    public ConntrackEntry? Entry { get; }

    /// <summary>The whole table, for <see cref="ConntrackEventType.Snapshot"/>.</summary>
    public IReadOnlyList<ConntrackEntry>? Snapshot { get; }

    internal static ConntrackEvent ForEntry(ConntrackEventType type, ConntrackEntry entry) => new(type, entry, null);

    internal static ConntrackEvent Lost { get; } = new(ConntrackEventType.Lost, null, null);

    internal static ConntrackEvent ForSnapshot(IReadOnlyList<ConntrackEntry> entries) => new(ConntrackEventType.Snapshot, null, entries);

    /// <summary>"New tcp 10.0.1.2:40000 -> ...", "Lost", "Snapshot (12 entries)".</summary>
    public override string ToString() => Type switch
    {
        ConntrackEventType.Lost => "Lost: events were dropped (ENOBUFS); resynchronize with a dump",
        ConntrackEventType.Snapshot => $"Snapshot ({Snapshot?.Count ?? 0} entries)",
        _ => $"{Type} {Entry}",
    };
}
