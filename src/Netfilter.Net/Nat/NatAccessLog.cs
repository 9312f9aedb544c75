using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Nat;

/// <summary>
/// The access log of a NAT table: one typed <see cref="NatAccessRecord"/> per connection the table
/// translated (who, to which public port, which rule, where it was sent, when, how long, how many
/// bytes each way), streamed from conntrack events as the connections end.
/// </summary>
/// <remarks>
/// <para><b>How a connection is attributed.</b> By matching, with no mark or label in the table's
/// layout: a destination-translated conntrack entry belongs to the first of the table's rules
/// (<see cref="INatTable.ListAsync"/>) whose protocol, public port, destination and sources match
/// its original tuple and whose target is its reply tuple's source. The rules are read as the log
/// starts and again when a translated connection matches none of them (a rule may have been added),
/// at most once per <see cref="NatAccessLogOptions.RulesRefreshInterval"/>. A connection is
/// attributed when it is first seen, so a rule removed while the connection lasts is still named.
/// Connections of other tables are not reported.</para>
/// <para><b>SNAT, masquerade and TPROXY are not attributed.</b> Matching reads which rule sent a
/// connection where from the entry's reply tuple, and only a forward or a redirect changes the
/// destination there. A <see cref="SnatRule"/> or <see cref="MasqueradeRule"/> rewrites the source of
/// connections that go where the client asked, so its entries are not destination-translated (the
/// log reads only those) and say nothing a rule could be told by but the output interface, which is
/// not in a conntrack entry. A forward's own masquerade is part of the forward: its connections are
/// the forward's. A <see cref="TproxyRule"/> translates nothing: the packets keep their addresses and
/// reach a local socket by policy routing, so conntrack records no translation to match. Attributing
/// them would take a mark set by the rule and kept in the entry, which the table's layout does not
/// have; <see cref="NatRuleStatistics"/> counts them instead.</para>
/// <para><b>The input interface.</b> A conntrack entry does not record the interface a connection
/// came in on, so two rules that differ only in their input interface (<c>iif lan</c> and
/// <c>iif wan</c>, same protocol, port, sources and target) cannot be told apart: both connections are
/// reported with the first of the two in the table's order. Rules whose targets differ are told apart
/// by the target. Give such rules distinct targets or sources when the log must separate them.</para>
/// <para><b>Built on the watch.</b> It reads <see cref="IConntrackClient.WatchAsync"/> (NEW and
/// DESTROY events of destination-translated entries, snapshots streamed), so a loss of events is
/// reported as the watch reports it: a <see cref="NatAccessLogItemType.Lost"/> item, after the log
/// has re-read the table. A connection is never reported twice (see <see cref="NatAccessLogItem"/>).</para>
/// <para><b>Bytes.</b> Counts need conntrack accounting on when the connection starts
/// (<see cref="NatAccessLogOptions.EnableAccounting"/>); without it a record's counters are null.
/// Events also need a listener when the entry is created: with <c>nf_conntrack_events</c> = 2 (the
/// default) that holds for every connection that starts after the log subscribed.</para>
/// </remarks>
/// <example>
/// <code>
/// using var table = new NatTable("nfnet");
/// using var conntrack = new ConntrackClient();
/// var log = new NatAccessLog(table, conntrack, new SysctlClient());
/// await foreach (NatAccessLogItem item in log.ReadAsync(new NatAccessLogOptions { EnableAccounting = true }, cancellationToken))
///     if (item.Record is { } r) Console.WriteLine($"{r.Client} used [{r.RuleText}] for {r.Duration}, {r.ServerToClient?.Bytes} bytes down");
/// </code>
/// </example>
public sealed class NatAccessLog
{
    private static readonly SysctlKey s_accounting = SysctlKey.Parse("net.netfilter.nf_conntrack_acct");
    private static readonly SysctlKey s_timestamps = SysctlKey.Parse("net.netfilter.nf_conntrack_timestamp");

    private static readonly ConntrackFilter s_translated = new()
    {
        Status = ConntrackStatus.DestinationNat,
        StatusMask = ConntrackStatus.DestinationNat,
    };

    private readonly INatTable _table;
    private readonly IConntrackClient _conntrack;
    private readonly ISysctlClient? _sysctl;
    private readonly TimeProvider _time;

    /// <summary>
    /// The log of <paramref name="table"/>, read through <paramref name="conntrack"/> (a client of the
    /// table's namespace). <paramref name="sysctl"/>, of the same namespace, lets the log say whether
    /// accounting is on and turn it on; without it the log cannot tell. The log owns none of them.
    /// </summary>
    public NatAccessLog(INatTable table, IConntrackClient conntrack, ISysctlClient? sysctl = null)
        : this(table, conntrack, sysctl, TimeProvider.System)
    {
    }

    internal NatAccessLog(INatTable table, IConntrackClient conntrack, ISysctlClient? sysctl, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(conntrack);
        _table = table;
        _conntrack = conntrack;
        _sysctl = sysctl;
        _time = time;
    }

    /// <summary>
    /// Streams the log: a <see cref="NatAccessLogItemType.Started"/> item once the log listens, then a
    /// <see cref="NatAccessLogItemType.Connection"/> item as each of the table's connections ends,
    /// and a <see cref="NatAccessLogItemType.Lost"/> item after the kernel dropped events. Cancelling
    /// <paramref name="cancellationToken"/> ends the stream normally.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer size that is not positive, a negative refresh interval, or accounting or timestamps asked for without a sysctl client.</exception>
    /// <exception cref="NatTableNotOwnedException">The table exists and was not made by Netfilter.Net.</exception>
    /// <exception cref="SysctlException">Accounting or timestamps could not be turned on (no permission, or conntrack is not loaded in the namespace).</exception>
    /// <exception cref="NetlinkException">The event socket could not be opened, or a dump failed.</exception>
    public IAsyncEnumerable<NatAccessLogItem> ReadAsync(NatAccessLogOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new NatAccessLogOptions();
        if (options.ReceiveBufferSize <= 0)
        {
            throw new ArgumentException($"{nameof(NatAccessLogOptions.ReceiveBufferSize)} must be positive, not {options.ReceiveBufferSize}", nameof(options));
        }
        if (options.RulesRefreshInterval < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(NatAccessLogOptions.RulesRefreshInterval)} must not be negative, not {options.RulesRefreshInterval}", nameof(options));
        }
        if ((options.EnableAccounting || options.EnableTimestamps) && _sysctl is null)
        {
            throw new ArgumentException($"{(options.EnableAccounting ? nameof(NatAccessLogOptions.EnableAccounting) : nameof(NatAccessLogOptions.EnableTimestamps))} needs a sysctl client of the table's namespace: pass one to the NatAccessLog constructor", nameof(options));
        }
        return ReadCoreAsync(options, cancellationToken);
    }

    private async IAsyncEnumerable<NatAccessLogItem> ReadCoreAsync(NatAccessLogOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (options.EnableAccounting)
        {
            _sysctl!.Write(s_accounting, "1");
        }
        if (options.EnableTimestamps)
        {
            _sysctl!.Write(s_timestamps, "1");
        }
        bool? accounting = ReadSwitch(s_accounting);
        bool? timestamps = ReadSwitch(s_timestamps);
        IReadOnlyList<NatRule>? rules = await ReadRulesAsync(cancellationToken).ConfigureAwait(false);
        if (rules is null)
        {
            yield break;
        }
        var tracker = new NatAccessTracker(rules, options.IncludeOpen, _time);
        long rulesReadAt = _time.GetTimestamp();
        var watch = new ConntrackEventOptions
        {
            Types = ConntrackEventTypes.New | ConntrackEventTypes.Destroy,
            Filter = s_translated,
            ReceiveBufferSize = options.ReceiveBufferSize,
            StreamSnapshot = true,
            Subscribed = options.Subscribed,
        };
        await foreach (ConntrackEvent e in _conntrack.WatchAsync(watch, cancellationToken).ConfigureAwait(false))
        {
            switch (e.Type)
            {
                case ConntrackEventType.Snapshot:
                    tracker.BeginSnapshot();
                    if (e.Snapshot is { } whole)
                    {
                        // A watch that does not stream its snapshot (the fake's) hands the table as one list.
                        foreach (ConntrackEntry entry in whole)
                        {
                            if (!tracker.Existing(entry) && await RefreshAsync().ConfigureAwait(false))
                            {
                                tracker.Existing(entry);
                            }
                        }
                        yield return tracker.EndSnapshot(accounting, timestamps);
                    }
                    break;
                case ConntrackEventType.Existing:
                    if (!tracker.Existing(e.Entry!) && await RefreshAsync().ConfigureAwait(false))
                    {
                        tracker.Existing(e.Entry!);
                    }
                    break;
                case ConntrackEventType.SnapshotEnd:
                    yield return tracker.EndSnapshot(accounting, timestamps);
                    break;
                case ConntrackEventType.Lost:
                    tracker.Lost();
                    break;
                case ConntrackEventType.New:
                    if (!tracker.New(e.Entry!) && await RefreshAsync().ConfigureAwait(false))
                    {
                        tracker.New(e.Entry!);
                    }
                    break;
                case ConntrackEventType.Destroy:
                    if (tracker.Destroy(e.Entry!) is NatAccessRecord record)
                    {
                        yield return NatAccessLogItem.ForConnection(record);
                    }
                    break;
            }
            if (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
        }

        // Re-reads the rules when the last read is older than the interval; true when it did.
        async Task<bool> RefreshAsync()
        {
            if (_time.GetElapsedTime(rulesReadAt) < options.RulesRefreshInterval)
            {
                return false;
            }
            IReadOnlyList<NatRule>? fresh = await ReadRulesAsync(cancellationToken).ConfigureAwait(false);
            rulesReadAt = _time.GetTimestamp();
            if (fresh is null)
            {
                return false;
            }
            rules = fresh;
            tracker.Rules = fresh;
            return true;
        }
    }

    private async Task<IReadOnlyList<NatRule>?> ReadRulesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _table.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private bool? ReadSwitch(SysctlKey key)
    {
        if (_sysctl is null || !_sysctl.TryRead(key, out string value))
        {
            return null;
        }
        return value.Trim() != "0";
    }
}
