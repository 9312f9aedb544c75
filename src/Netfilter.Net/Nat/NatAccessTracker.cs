using System;
using System.Collections.Generic;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Nat;

/// <summary>
/// The access log's bookkeeping, without I/O: which of the table's connections are open (keyed by
/// conntrack id, zone and original tuple), which rule each one matched, and when it began; from
/// these and a destroy event it builds the <see cref="NatAccessRecord"/>. <see cref="NatAccessLog"/>
/// feeds it the items of a conntrack watch.
/// </summary>
/// <remarks>
/// <para><b>Never twice.</b> A record is built only from a connection in the open table, and
/// building it removes the connection; an event or snapshot entry for a connection already open
/// changes nothing. So the dump read at start and the events that overlap it, or a re-read after a
/// loss, cannot report one connection twice.</para>
/// <para><b>Bounded.</b> The open table holds only connections whose conntrack entry exists (the
/// kernel's <c>nf_conntrack_max</c> bounds it): an entry leaves it when it is destroyed, or at the
/// end of the first re-read that no longer shows it (its end was lost with the events).</para>
/// </remarks>
internal sealed class NatAccessTracker
{
    private readonly Dictionary<ConnectionKey, OpenConnection> _open = new();
    private readonly Dictionary<ConnectionKey, int> _ignored = new();
    private readonly bool _includeOpen;
    private readonly TimeProvider _time;
    private int _snapshot;
    private bool _started;
    private bool _lost;

    public NatAccessTracker(IReadOnlyList<NatRule> rules, bool includeOpen, TimeProvider time)
    {
        Rules = rules;
        _includeOpen = includeOpen;
        _time = time;
    }

    /// <summary>The table's rules a connection is matched against.</summary>
    public IReadOnlyList<NatRule> Rules { get; set; }

    /// <summary>How many connections are followed now.</summary>
    public int OpenCount => _open.Count;

    /// <summary>How many connections open at start are left out (without <see cref="NatAccessLogOptions.IncludeOpen"/>) and still exist.</summary>
    public int IgnoredCount => _ignored.Count;

    /// <summary>A snapshot begins: the entries that follow are the whole table.</summary>
    public void BeginSnapshot() => _snapshot++;

    /// <summary>The watch reported a loss: the snapshot that follows settles what ended unseen.</summary>
    public void Lost() => _lost = true;

    /// <summary>
    /// An entry of a snapshot. Returns false when it is destination-translated but matches none of
    /// <see cref="Rules"/> (the caller may re-read the rules and offer it again).
    /// </summary>
    public bool Existing(ConntrackEntry entry)
    {
        ConnectionKey key = ConnectionKey.Of(entry);
        if (_open.TryGetValue(key, out OpenConnection? open))
        {
            open.Snapshot = _snapshot;
            return true;
        }
        if (_ignored.ContainsKey(key))
        {
            _ignored[key] = _snapshot;
            return true;
        }
        if (!_started && !_includeOpen)
        {
            // Open before the log began, and not asked for: never reported, remembered only so its
            // end is not mistaken for an unknown connection's.
            _ignored[key] = _snapshot;
            return true;
        }
        NatRule? rule = NatConnectionMatch.FindRule(Rules, entry);
        if (rule is null)
        {
            return false;
        }
        (DateTimeOffset? start, NatAccessTimeSource source) = entry.Started is DateTimeOffset started
            ? (started, NatAccessTimeSource.Kernel)
            : ((DateTimeOffset?)null, NatAccessTimeSource.Unknown);
        _open[key] = new OpenConnection(rule, start, source, wasOpen: true) { Snapshot = _snapshot };
        return true;
    }

    /// <summary>
    /// The snapshot ended. The first one yields the <see cref="NatAccessLogItemType.Started"/> item;
    /// one after a loss drops the connections it no longer shows (their end was lost) and yields
    /// the <see cref="NatAccessLogItemType.Lost"/> item that counts them.
    /// </summary>
    public NatAccessLogItem EndSnapshot(bool? accounting, bool? timestamps)
    {
        if (!_started)
        {
            _started = true;
            _lost = false;
            return NatAccessLogItem.ForStart(accounting, timestamps, _open.Count + _ignored.Count);
        }
        int ended = RemoveUnseen(_open);
        RemoveUnseen(_ignored);
        _lost = false;
        return NatAccessLogItem.ForLoss(ended);
    }

    /// <summary>True between a loss and the end of the snapshot that repairs it.</summary>
    public bool Repairing => _lost;

    /// <summary>A NEW event. Returns false when the connection matches none of <see cref="Rules"/>.</summary>
    public bool New(ConntrackEntry entry)
    {
        ConnectionKey key = ConnectionKey.Of(entry);
        if (_open.ContainsKey(key) || _ignored.ContainsKey(key))
        {
            // Already in the snapshot that overlapped the event.
            return true;
        }
        NatRule? rule = NatConnectionMatch.FindRule(Rules, entry);
        if (rule is null)
        {
            return false;
        }
        (DateTimeOffset start, NatAccessTimeSource source) = entry.EventTime is DateTimeOffset at
            ? (at, NatAccessTimeSource.Kernel)
            : entry.Started is DateTimeOffset started ? (started, NatAccessTimeSource.Kernel) : (_time.GetUtcNow(), NatAccessTimeSource.Observed);
        _open[key] = new OpenConnection(rule, start, source, wasOpen: false) { Snapshot = _snapshot };
        return true;
    }

    /// <summary>A DESTROY event: the record of the connection when the log was following it, else null.</summary>
    public NatAccessRecord? Destroy(ConntrackEntry entry)
    {
        ConnectionKey key = ConnectionKey.Of(entry);
        if (!_open.Remove(key, out OpenConnection? open))
        {
            _ignored.Remove(key);
            return null;
        }
        (DateTimeOffset? start, NatAccessTimeSource startSource) = entry.Started is DateTimeOffset started
            ? (started, NatAccessTimeSource.Kernel)
            : (open.Start, open.StartSource);
        (DateTimeOffset end, NatAccessTimeSource endSource) = entry.Stopped is DateTimeOffset stopped
            ? (stopped, NatAccessTimeSource.Kernel)
            : entry.EventTime is DateTimeOffset at ? (at, NatAccessTimeSource.Kernel) : (_time.GetUtcNow(), NatAccessTimeSource.Observed);
        return new NatAccessRecord
        {
            Id = entry.Id ?? 0,
            Protocol = entry.Protocol,
            Client = entry.Original.SourceEndPoint,
            Public = entry.Original.DestinationEndPoint,
            Rule = open.Rule,
            Target = entry.Reply.SourceEndPoint,
            Start = start,
            StartSource = startSource,
            End = end,
            EndSource = endSource,
            ClientToServer = entry.OriginalCounters,
            ServerToClient = entry.ReplyCounters,
            WasOpen = open.WasOpen,
        };
    }

    private int RemoveUnseen<T>(Dictionary<ConnectionKey, T> table)
    {
        var unseen = new List<ConnectionKey>();
        foreach (KeyValuePair<ConnectionKey, T> pair in table)
        {
            int seenIn = pair.Value is OpenConnection open ? open.Snapshot : pair.Value is int n ? n : _snapshot;
            if (seenIn != _snapshot)
            {
                unseen.Add(pair.Key);
            }
        }
        foreach (ConnectionKey key in unseen)
        {
            table.Remove(key);
        }
        return unseen.Count;
    }

    /// <summary>
    /// What names one connection: the conntrack id alone is a 32-bit hash that two entries of a
    /// large table can share, so the zone and original tuple go with it.
    /// </summary>
    private readonly record struct ConnectionKey(uint Id, ushort Zone, ConntrackTuple Original)
    {
        public static ConnectionKey Of(ConntrackEntry entry) => new(entry.Id ?? 0, entry.Zone, entry.Original);
    }

    private sealed class OpenConnection
    {
        public OpenConnection(NatRule rule, DateTimeOffset? start, NatAccessTimeSource startSource, bool wasOpen)
        {
            Rule = rule;
            Start = start;
            StartSource = startSource;
            WasOpen = wasOpen;
        }

        public NatRule Rule { get; }

        public DateTimeOffset? Start { get; }

        public NatAccessTimeSource StartSource { get; }

        public bool WasOpen { get; }

        /// <summary>The last snapshot that showed the connection.</summary>
        public int Snapshot { get; set; }
    }
}
