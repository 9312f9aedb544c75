using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Testing.Internal;

namespace Netfilter.Net.Testing;

/// <summary>
/// The conntrack table of a fake namespace behind <see cref="IConntrackClient"/>: entries a test
/// creates (<see cref="CreateAsync(ConntrackEntry, CancellationToken)"/>, as <c>conntrack -I</c>
/// does) or that <see cref="FakeNamespace.SimulateConnection"/> makes through the namespace's NAT
/// rules, with the kernel's rules for what is stored, found, changed and deleted, and events.
/// </summary>
/// <remarks>
/// <para><b>As ctnetlink does it.</b> A created entry gets <see cref="ConntrackStatus.Confirmed"/>, an
/// <see cref="ConntrackEntry.Id"/> and a use count of 1; of the status given, only the bits users
/// may change are kept (the NAT bits, for one, are not: ctnetlink ignores them); expected or dying
/// entries are refused (EBUSY). A tuple finds the entry it is either direction of. An update may only
/// add status bits (clearing <see cref="ConntrackStatus.SeenReply"/> or <see cref="ConntrackStatus.Assured"/>,
/// or leaving out <see cref="ConntrackStatus.Confirmed"/>, is EBUSY); a mark with a mask becomes
/// <c>(old &amp; ~mask) ^ mark</c>, a mark without a mask replaces it. A get reports a use count of 2
/// (the lookup's own reference, as ctnetlink's). Labels need label storage, which the kernel gives entries only
/// while a <c>ct label set</c> rule exists in the namespace: by default they are dropped on create
/// and refused on update (ENOSPC), as there; <see cref="LabelsSupported"/> turns storage on.</para>
/// <para><b>Time.</b> Entries expire on the fake's own clock (<see cref="FakeNetfilter.AdvanceTime"/>),
/// never on the wall clock; <see cref="ConntrackEntry.Timeout"/> is the time left on it, in whole
/// seconds (the kernel's is usually a second less, having counted a tick).</para>
/// <para><b>Events.</b> <see cref="WatchAsync"/> yields a snapshot and then New, Update and Destroy
/// events, with the guarantee <see cref="ConntrackClient.WatchAsync"/> documents;
/// <see cref="FakeFaults.LoseConntrackEvents"/> makes every watch report
/// <see cref="ConntrackEventType.Lost"/> and take a fresh snapshot. As with the kernel, an event
/// carries the tuples, id, status and what changed, not the use count, and a Destroy carries
/// neither timeout nor TCP state. With the kernel's default nf_conntrack_events (2), an entry reports
/// its later updates and destruction only if a ctnetlink event listener existed when it was made,
/// and the kernel counts listeners on the whole host (any namespace, any process), so whether an
/// entry made while this namespace had no watch reports them depends on what else runs. The fake
/// takes the quiet case: an entry made while none of its watches ran is in a later watch's
/// snapshot, but its change or end is never an event. Do not rely on either outcome.</para>
/// <para>Dispose does nothing: every client of the namespace shares its one table.</para>
/// </remarks>
public sealed class FakeConntrack : IConntrackClient
{
    private readonly object _lock = new();
    private readonly List<Stored> _entries = new();
    private readonly List<Watcher> _watchers = new();
    private readonly FakeFaultState _faults;
    private readonly FakeClock _clock;
    private readonly Func<uint> _maxEntries;
    private uint _nextId = 0x2f6b_1a01;
    private uint _sequence;

    internal FakeConntrack(FakeFaultState faults, FakeClock clock, Func<uint> maxEntries)
    {
        _faults = faults;
        _clock = clock;
        _maxEntries = maxEntries;
    }

    /// <summary>
    /// Whether entries have label storage (CTA_LABELS), which the kernel gives them only while a
    /// <c>ct label set</c> rule exists in the namespace. False by default, as in a namespace
    /// without one: labels given on create are dropped and label updates fail with ENOSPC.
    /// </summary>
    public bool LabelsSupported { get; set; }

    /// <summary>The entries now, as a dump would return them (in the order they were created).</summary>
    public IReadOnlyList<ConntrackEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return _entries.Select(Report).ToList();
            }
        }
    }

    /// <summary>The number of entries.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ConntrackEntry> DumpAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        return Stream(filter, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ConntrackEntry>> ListAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        cancellationToken.ThrowIfCancellationRequested();
        Deny("dump IPCTNL_MSG_CT_GET");
        return Task.FromResult<IReadOnlyList<ConntrackEntry>>(Matching(filter));
    }

    /// <inheritdoc />
    public Task<ConntrackEntry?> GetAsync(ConntrackTuple original, ushort zone = 0, CancellationToken cancellationToken = default)
    {
        ConntrackValidation.RequireCompleteTuple(original, nameof(original));
        cancellationToken.ThrowIfCancellationRequested();
        Deny($"get conntrack entry {original}");
        lock (_lock)
        {
            // ctnetlink_get_conntrack reports the entry while its lookup (nf_conntrack_find_get)
            // holds a reference of its own: use is 2 for an entry nothing else holds.
            return Task.FromResult(Find(original, zone) is Stored found ? Report(found) with { Use = found.Entry.Use + 1 } : null);
        }
    }

    /// <inheritdoc />
    public Task CreateAsync(ConntrackEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return CreateAsync(new[] { entry }, cancellationToken);
    }

    /// <summary>
    /// Creates many entries, as <see cref="ConntrackClient.CreateAsync(IEnumerable{ConntrackEntry}, CancellationToken)"/>
    /// does: each on its own; when some are refused the others are created all the same and the
    /// exception names the first refused.
    /// </summary>
    /// <returns>How many entries were created.</returns>
    /// <exception cref="ArgumentException">An entry has no timeout, or a tuple lacks a field (nothing was created).</exception>
    /// <exception cref="NetlinkException">An entry was refused: EEXIST when it exists, EBUSY for an expected or dying status.</exception>
    public Task<int> CreateAsync(IEnumerable<ConntrackEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = new List<ConntrackEntry>(entries);
        for (int i = 0; i < list.Count; i++)
        {
            ConntrackValidation.RequireCreatable(list[i], $"{nameof(entries)}[{i}]");
        }
        cancellationToken.ThrowIfCancellationRequested();
        int created = 0;
        var refused = new List<(int Index, Errno Errno)>();
        lock (_lock)
        {
            for (int i = 0; i < list.Count; i++)
            {
                Errno? errno = _faults.NetAdminDenied ? Errno.EPERM : CreateOne(list[i]);
                if (errno is Errno e)
                {
                    refused.Add((i, e));
                }
                else
                {
                    created++;
                }
            }
        }
        if (refused.Count > 0)
        {
            (int index, Errno errno) = refused[0];
            throw new NetlinkException(errno, $"create conntrack entry #{index} ({list[index].Original})", NextSequence(), null, null,
                detail: $"{refused.Count} of {list.Count} entries in this request were refused, {created} created in all");
        }
        return Task.FromResult(created);
    }

    /// <inheritdoc />
    public Task<bool> UpdateAsync(ConntrackTuple original, ConntrackUpdate update, ushort zone = 0, CancellationToken cancellationToken = default)
    {
        ConntrackValidation.RequireUpdate(original, update, nameof(original), nameof(update));
        cancellationToken.ThrowIfCancellationRequested();
        string operation = $"update conntrack entry {original}";
        Deny(operation);
        lock (_lock)
        {
            if (Find(original, zone) is not Stored found)
            {
                return Task.FromResult(false);
            }
            ConntrackEntry entry = found.Entry;
            if (update.Status is ConntrackStatus status)
            {
                if (ChangeStatus(entry.Status, status) is not ConntrackStatus changed)
                {
                    throw new NetlinkException(Errno.EBUSY, operation, NextSequence());
                }
                entry = entry with { Status = changed };
            }
            if (update.Labels is ConntrackLabels labels)
            {
                if (!LabelsSupported)
                {
                    throw new NetlinkException(Errno.ENOSPC, operation, NextSequence());
                }
                entry = entry with { Labels = ReplaceLabels(entry.Labels, labels, update.LabelsMask) };
            }
            if (update.Timeout is TimeSpan timeout)
            {
                found.ExpiresAt = _clock.Now + TimeSpan.FromSeconds(Math.Floor(timeout.TotalSeconds));
            }
            if (update.Mark is uint mark)
            {
                // ctnetlink_change_mark: (old & ~CTA_MARK_MASK) ^ mark; without CTA_MARK_MASK
                // nothing of the old mark is kept, so the mark is simply replaced.
                uint keep = update.MarkMask is uint mask ? ~mask : 0;
                entry = entry with { Mark = (entry.Mark & keep) ^ mark };
            }
            if (update.TcpState is TcpConntrackState state)
            {
                entry = entry with { ProtocolInfo = (entry.ProtocolInfo as TcpConntrackInfo ?? new TcpConntrackInfo()) with { State = state } };
            }
            found.Entry = entry;
            Publish(ConntrackEventType.Update, found);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(ConntrackEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ConntrackValidation.RequireCompleteTuple(entry.Original, nameof(entry));
        cancellationToken.ThrowIfCancellationRequested();
        Deny($"delete conntrack entry {entry.Original}");
        lock (_lock)
        {
            if (Find(entry.Original, entry.Zone) is not Stored found || (entry.Id is uint id && found.Entry.Id != id))
            {
                return Task.FromResult(false);
            }
            Remove(found);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<int> DeleteAsync(ConntrackFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        filter.Validate(nameof(filter));
        if (filter.IsEmpty)
        {
            throw new ArgumentException("an empty filter matches every entry: call FlushAsync() to empty the table", nameof(filter));
        }
        cancellationToken.ThrowIfCancellationRequested();
        Deny("dump IPCTNL_MSG_CT_GET");
        return Task.FromResult(RemoveMatching(filter));
    }

    /// <inheritdoc />
    public Task FlushAsync(ConntrackFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        cancellationToken.ThrowIfCancellationRequested();
        Deny("flush conntrack table");
        RemoveMatching(filter);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ConntrackEvent> WatchAsync(ConntrackEventOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = ConntrackClient.CheckEventOptions(options, nameof(options));
        return WatchCoreAsync(options, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ConntrackStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Deny("get IPCTNL_MSG_CT_GET_STATS");
        lock (_lock)
        {
            return Task.FromResult(new ConntrackStatistics((uint)_entries.Count, _maxEntries()));
        }
    }

    /// <summary>Does nothing: the table belongs to the fake namespace, which every client shares.</summary>
    public void Dispose()
    {
    }

    /// <summary>Adds an entry as the kernel's packet path confirms one (no ctnetlink status rules), for <see cref="FakeNamespace.SimulateConnection"/>.</summary>
    internal ConntrackEntry Confirm(ConntrackEntry entry, TimeSpan timeout)
    {
        lock (_lock)
        {
            if (Find(entry.Original, entry.Zone) is not null || Find(entry.Reply, entry.Zone) is not null)
            {
                throw new InvalidOperationException($"a connection with the tuple {entry.Original} (or its reply {entry.Reply}) is tracked already");
            }
            var stored = new Stored(entry with { Id = _nextId += 0x9e37_79b1, Use = 1, Timeout = null }, _clock.Now + timeout, hasEvents: _watchers.Count > 0);
            _entries.Add(stored);
            Publish(ConntrackEventType.New, stored);
            return Report(stored);
        }
    }

    /// <summary>Removes the entries whose time ran out on the fake's clock, with Destroy events.</summary>
    internal void Expire()
    {
        lock (_lock)
        {
            foreach (Stored stored in _entries.Where(e => e.ExpiresAt <= _clock.Now).ToList())
            {
                Remove(stored);
            }
        }
    }

    /// <summary>Every watch reports events lost (ENOBUFS) and takes a fresh snapshot.</summary>
    internal void LoseEvents()
    {
        lock (_lock)
        {
            foreach (Watcher watcher in _watchers)
            {
                watcher.Writer.TryWrite(ConntrackEvent.Lost);
            }
        }
    }

    private Errno? CreateOne(ConntrackEntry entry)
    {
        if (Find(entry.Original, entry.Zone) is not null || Find(entry.Reply, entry.Zone) is not null)
        {
            return Errno.EEXIST;
        }
        // ctnetlink_create_conntrack: IPS_CONFIRMED first, then the status the request carries
        // (with IPS_CONFIRMED, as the client sends it) through nf_ct_change_status_common.
        if (ChangeStatus(ConntrackStatus.Confirmed, entry.Status | ConntrackStatus.Confirmed) is not ConntrackStatus status)
        {
            return Errno.EBUSY;
        }
        ConntrackEntry stored = entry with
        {
            Status = status,
            Id = _nextId += 0x9e37_79b1,
            Use = 1,
            Timeout = null,
            Labels = LabelsSupported ? entry.Labels : default,
            ProtocolInfo = Kept(entry),
            OriginalCounters = null,
            ReplyCounters = null,
            Started = null,
            Stopped = null,
            EventTime = null,
        };
        var item = new Stored(stored, _clock.Now + TimeSpan.FromSeconds(Math.Floor(entry.Timeout!.Value.TotalSeconds)), hasEvents: _watchers.Count > 0);
        _entries.Add(item);
        Publish(ConntrackEventType.New, item);
        return null;
    }

    /// <summary>
    /// The protocol state ctnetlink_create_conntrack keeps: TCP starts in NONE unless a state is
    /// given, its flags are those sent (conntrack -I's SACK_PERM | BE_LIBERAL by default), and
    /// the window scales stay 0 unless both are sent and both directions' flags have
    /// WINDOW_SCALE (nlattr_to_tcp); SCTP state is kept as sent (nlattr_to_sctp).
    /// </summary>
    private static ConntrackProtocolInfo? Kept(ConntrackEntry entry)
    {
        if (entry.Protocol != ProtocolType.Tcp)
        {
            return entry.ProtocolInfo;
        }
        const TcpConntrackFlags Liberal = TcpConntrackFlags.SackPermitted | TcpConntrackFlags.BeLiberal;
        TcpConntrackInfo sent = entry.ProtocolInfo as TcpConntrackInfo ?? new TcpConntrackInfo();
        TcpConntrackFlags original = sent.FlagsOriginal ?? Liberal, reply = sent.FlagsReply ?? Liberal;
        bool scales = sent.WindowScaleOriginal is not null && sent.WindowScaleReply is not null
            && (original & reply & TcpConntrackFlags.WindowScale) != 0;
        return new TcpConntrackInfo
        {
            State = sent.State ?? TcpConntrackState.None,
            WindowScaleOriginal = scales ? sent.WindowScaleOriginal : 0,
            WindowScaleReply = scales ? sent.WindowScaleReply : 0,
            FlagsOriginal = original,
            FlagsReply = reply,
        };
    }

    /// <summary>What a destroy event says of the protocol (tcp_to_nlattr, sctp_to_nlattr, dccp_to_nlattr with destroy = true).</summary>
    private static ConntrackProtocolInfo? StateOnly(ConntrackProtocolInfo? info) => info switch
    {
        TcpConntrackInfo tcp => new TcpConntrackInfo { State = tcp.State },
        SctpConntrackInfo sctp => new SctpConntrackInfo { State = sctp.State },
        DccpConntrackInfo dccp => new DccpConntrackInfo { State = dccp.State },
        _ => null,
    };

    /// <summary>nf_ct_change_status_common: the new status, or null for EBUSY.</summary>
    private static ConntrackStatus? ChangeStatus(ConntrackStatus current, ConntrackStatus wanted)
    {
        const ConntrackStatus Unchangeable = ConntrackStatus.SourceNatDone | ConntrackStatus.DestinationNatDone | ConntrackStatus.SourceNat | ConntrackStatus.DestinationNat
            | ConntrackStatus.Expected | ConntrackStatus.Confirmed | ConntrackStatus.Dying | ConntrackStatus.SequenceAdjust | ConntrackStatus.Template
            | ConntrackStatus.Untracked | ConntrackStatus.Offload | ConntrackStatus.HardwareOffload;
        ConntrackStatus changed = current ^ wanted;
        if ((changed & (ConntrackStatus.Expected | ConntrackStatus.Confirmed | ConntrackStatus.Dying)) != 0
            || ((changed & ConntrackStatus.SeenReply) != 0 && (wanted & ConntrackStatus.SeenReply) == 0)
            || ((changed & ConntrackStatus.Assured) != 0 && (wanted & ConntrackStatus.Assured) == 0))
        {
            return null;
        }
        // __nf_ct_change_status(ct, status, 0): changeable bits are only ever set.
        return current | (wanted & ~Unchangeable & (ConntrackStatus)0xffff);
    }

    /// <summary>nf_connlabels_replace: each word becomes (old &amp; ~mask) ^ labels (mask 0 without one).</summary>
    private static ConntrackLabels ReplaceLabels(ConntrackLabels old, ConntrackLabels labels, ConntrackLabels? mask)
    {
        int[] bits = Enumerable.Range(0, ConntrackLabels.BitCount)
            .Where(b => (old.Contains(b) && mask is ConntrackLabels m && !m.Contains(b)) ^ labels.Contains(b))
            .ToArray();
        return ConntrackLabels.FromBits(bits);
    }

    private Stored? Find(ConntrackTuple tuple, ushort zone)
    {
        foreach (Stored stored in _entries)
        {
            if (stored.Entry.Zone == zone && (Same(stored.Entry.Original, tuple) || Same(stored.Entry.Reply, tuple)))
            {
                return stored;
            }
        }
        return null;
    }

    private static bool Same(ConntrackTuple a, ConntrackTuple b) => a with { Zone = null } == b with { Zone = null };

    private List<ConntrackEntry> Matching(ConntrackFilter? filter)
    {
        lock (_lock)
        {
            return _entries.Select(Report).Where(e => filter is null || filter.Matches(e)).ToList();
        }
    }

    private int RemoveMatching(ConntrackFilter? filter)
    {
        lock (_lock)
        {
            List<Stored> gone = _entries.Where(e => filter is null || filter.Matches(Report(e))).ToList();
            foreach (Stored stored in gone)
            {
                Remove(stored);
            }
            return gone.Count;
        }
    }

    private void Remove(Stored stored)
    {
        _entries.Remove(stored);
        Publish(ConntrackEventType.Destroy, stored);
    }

    private ConntrackEntry Report(Stored stored)
    {
        TimeSpan left = stored.ExpiresAt - _clock.Now;
        return stored.Entry with { Timeout = TimeSpan.FromSeconds(Math.Max(0, Math.Floor(left.TotalSeconds))) };
    }

    /// <summary>Queues the event for every watch that wants it (under the table's lock, so events keep the order of the changes).</summary>
    private void Publish(ConntrackEventType type, Stored stored)
    {
        if (_watchers.Count == 0 || !stored.HasEvents)
        {
            return;
        }
        ConntrackEntry entry = Report(stored) with { Use = null };
        if (type == ConntrackEventType.Destroy)
        {
            // ctnetlink_conntrack_event dumps the protocol info with destroy = true: the state alone.
            entry = entry with { Timeout = null, ProtocolInfo = StateOnly(entry.ProtocolInfo) };
        }
        ConntrackEventTypes wanted = type switch
        {
            ConntrackEventType.New => ConntrackEventTypes.New,
            ConntrackEventType.Update => ConntrackEventTypes.Update,
            _ => ConntrackEventTypes.Destroy,
        };
        ConntrackEvent item = ConntrackEvent.ForEntry(type, entry);
        foreach (Watcher watcher in _watchers)
        {
            if ((watcher.Options.Types & wanted) != 0 && (watcher.Options.Filter is null || watcher.Options.Filter.Matches(entry)))
            {
                watcher.Writer.TryWrite(item);
            }
        }
    }

    private async IAsyncEnumerable<ConntrackEntry> Stream(ConntrackFilter? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        Deny("dump IPCTNL_MSG_CT_GET");
        foreach (ConntrackEntry entry in Matching(filter))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }
    }

    private async IAsyncEnumerable<ConntrackEvent> WatchCoreAsync(ConntrackEventOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_faults.NetAdminDenied)
        {
            // Joining a conntrack multicast group needs CAP_NET_ADMIN (netlink_bind).
            throw FakeErrors.Denied($"setsockopt(NETLINK_ADD_MEMBERSHIP, {FirstGroup(options.Types)})", 0);
        }
        var watcher = new Watcher(options);
        IReadOnlyList<ConntrackEntry> snapshot;
        lock (_lock)
        {
            // Subscribed before the snapshot is taken, under the same lock: nothing falls in between.
            _watchers.Add(watcher);
            snapshot = Matching(options.Filter);
        }
        options.Subscribed?.Invoke();
        try
        {
            yield return ConntrackEventSnapshot(snapshot);
            while (true)
            {
                ConntrackEvent item;
                try
                {
                    item = await watcher.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
                yield return item;
                if (item.Type == ConntrackEventType.Lost)
                {
                    lock (_lock)
                    {
                        // What was queued before the loss is dropped with the old subscription, as the client closes its socket.
                        while (watcher.Reader.TryRead(out _))
                        {
                        }
                        snapshot = Matching(options.Filter);
                    }
                    // The client subscribes a new socket here: it says so again.
                    options.Subscribed?.Invoke();
                    yield return ConntrackEventSnapshot(snapshot);
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    private static ConntrackEvent ConntrackEventSnapshot(IReadOnlyList<ConntrackEntry> entries) => ConntrackEvent.ForSnapshot(entries);

    private static int FirstGroup(ConntrackEventTypes types) =>
        (types & ConntrackEventTypes.New) != 0 ? 1 : (types & ConntrackEventTypes.Update) != 0 ? 2 : 3;

    private void Deny(string operation)
    {
        if (_faults.NetAdminDenied)
        {
            throw FakeErrors.Denied(operation, NextSequence());
        }
    }

    private uint NextSequence() => Interlocked.Increment(ref _sequence);

    private sealed class Stored
    {
        public Stored(ConntrackEntry entry, TimeSpan expiresAt, bool hasEvents)
        {
            Entry = entry;
            ExpiresAt = expiresAt;
            HasEvents = hasEvents;
        }

        /// <summary>
        /// Whether the entry has the kernel's event extension: with nf_conntrack_events at its
        /// default (2, autodetect), nf_ct_ecache_ext_add gives it only to entries made while a
        /// ctnetlink event listener exists, and an entry without it never reports an Update or a
        /// Destroy, even to a watch started later. The kernel looks for listeners on the whole host
        /// (nf_ctnetlink_has_listener is global since Linux 6.3), the fake in its own watches only.
        /// </summary>
        public bool HasEvents { get; }

        public ConntrackEntry Entry { get; set; }

        public TimeSpan ExpiresAt { get; set; }
    }

    private sealed class Watcher
    {
        private readonly Channel<ConntrackEvent> _channel = Channel.CreateUnbounded<ConntrackEvent>(new UnboundedChannelOptions { SingleReader = true });

        public Watcher(ConntrackEventOptions options) => Options = options;

        public ConntrackEventOptions Options { get; }

        public ChannelWriter<ConntrackEvent> Writer => _channel.Writer;

        public ChannelReader<ConntrackEvent> Reader => _channel.Reader;
    }
}
