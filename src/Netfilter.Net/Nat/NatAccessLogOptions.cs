using System;
using Netfilter.Net.Conntrack;

namespace Netfilter.Net.Nat;

/// <summary>How <see cref="NatAccessLog.ReadAsync"/> listens.</summary>
public sealed record NatAccessLogOptions
{
    /// <summary>
    /// Also report the table's connections already open as the log starts (read from a conntrack
    /// dump after subscribing; never reported twice). Their <see cref="NatAccessRecord.Start"/> is
    /// the kernel's start timestamp when <c>nf_conntrack_timestamp</c> was on as they began, else
    /// unknown. False by default: only connections that start after the log. A connection made while
    /// no ctnetlink listener existed on the host never reports its end with the default
    /// <c>net.netfilter.nf_conntrack_events</c> = 2 (see <see cref="ConntrackClient.WatchAsync"/>):
    /// set it to 1 in the namespace for every open connection to be reported.
    /// </summary>
    public bool IncludeOpen { get; init; }

    /// <summary>
    /// Turn on conntrack accounting (<c>net.netfilter.nf_conntrack_acct</c> = 1) in the namespace
    /// before listening, so connections that start from then on carry byte and packet counts (the
    /// kernel decides when an entry is created; entries already open stay uncounted). Needs a sysctl
    /// client (<see cref="NatAccessLog(INatTable, IConntrackClient, Sysctl.ISysctlClient?)"/>). It stays on when the log ends.
    /// </summary>
    public bool EnableAccounting { get; init; }

    /// <summary>
    /// Turn on conntrack timestamps (<c>net.netfilter.nf_conntrack_timestamp</c> = 1) in the
    /// namespace, so start and end times come from the kernel. Needs a sysctl client. It stays on.
    /// </summary>
    public bool EnableTimestamps { get; init; }

    /// <summary>The event socket's receive buffer (see <see cref="ConntrackEventOptions.ReceiveBufferSize"/>); a burst larger than it is reported as <see cref="NatAccessLogItemType.Lost"/>.</summary>
    public int ReceiveBufferSize { get; init; } = ConntrackEventOptions.DefaultReceiveBufferSize;

    /// <summary>
    /// When a destination-translated connection matches none of the rules the log knows, it re-reads
    /// the table's rules (a rule may have been added since), at most once per this interval, so
    /// connections of other tables cannot make it read the ruleset for each one. 1 second by default.
    /// </summary>
    public TimeSpan RulesRefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Called each time the log has joined the kernel's event groups (see <see cref="ConntrackEventOptions.Subscribed"/>): connections that start afterwards are reported.</summary>
    public Action? Subscribed { get; init; }
}
