using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Netfilter.Net.Nat;

/// <summary>How long a NAT table lives.</summary>
public enum NatTableLifetime
{
    /// <summary>The table stays until it is deleted (survives the process).</summary>
    Persistent,

    /// <summary>
    /// The table belongs to this process (NFT_TABLE_F_OWNER): the kernel deletes it when the
    /// <see cref="NatTable"/> is disposed or the process dies, so a crashed forwarder never leaves
    /// stale forwards behind. Only this <see cref="NatTable"/> instance can change it.
    /// </summary>
    OwnedByProcess,
}

/// <summary>Options of a <see cref="NatTable"/>.</summary>
public sealed class NatTableOptions
{
    /// <summary>The network namespace to work in; the caller's when null.</summary>
    public NetworkNamespace? Namespace { get; init; }

    /// <summary>Receives what changes (Information), warnings (e.g. forwarding is off) and netlink traffic (Trace), all under this one logger's category. Not used when <see cref="LoggerFactory"/> is set.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// Logs each component under its own category (<see cref="NetfilterLogCategories"/>): the table's
    /// changes and warnings under <c>Netfilter.Net.Nat</c>, commits under <c>Netfilter.Net.NfTables</c>,
    /// netlink traffic under <c>Netfilter.Net.Netlink</c>, the conntrack cleanup of removed forwards under
    /// <c>Netfilter.Net.Conntrack</c>. Takes precedence over <see cref="Logger"/>. A host passes its own
    /// factory (Netfilter.Net.Hosting does).
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Persistent (default) or owned by this process.</summary>
    public NatTableLifetime Lifetime { get; init; } = NatTableLifetime.Persistent;

    /// <summary>The longest wait for the kernel; 30 s when null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// How many times a change (<see cref="NatTable.ApplyAsync"/>, <see cref="NatTable.AddAsync"/>,
    /// <see cref="NatTable.RemoveAsync"/>) reads the kernel and commits with a generation check
    /// before giving up, when another writer changed the ruleset between its read and its commit.
    /// Default 5. Each retry is logged (Information).
    /// </summary>
    public int ApplyAttempts { get; init; } = 5;

    /// <summary>
    /// Test hook: called after a change has read the kernel and computed its transaction, right
    /// before each commit attempt (not when there is nothing to send). A test changes the ruleset
    /// here to see the generation check refuse the commit and the change re-read and retry.
    /// </summary>
    internal Func<CancellationToken, Task>? BeforeCommit { get; init; }

    /// <summary>
    /// Called after a commit for every redirect or forward that was removed (or replaced): the place
    /// to drop its conntrack entries, because existing flows (UDP above all) otherwise keep the old
    /// target. When null, the table deletes them itself through conntrack (see <see cref="FlushConntrackOnChange"/>).
    /// </summary>
    public Func<NatRule, CancellationToken, Task>? OnForwardRemoved { get; init; }

    /// <summary>Delete the conntrack entries of removed forwards and redirects (default true).</summary>
    public bool FlushConntrackOnChange { get; init; } = true;

    /// <summary>The table's own logger: <see cref="NetfilterLogCategories.Nat"/> from the factory, else <see cref="Logger"/>.</summary>
    internal ILogger? NatLogger => NetfilterLogCategories.For(LoggerFactory, Logger, NetfilterLogCategories.Nat);

    /// <summary>The nftables client of a table, logging as these options say.</summary>
    internal NfTables.NfTablesClient OpenNfTables() => LoggerFactory is { } factory
        ? new NfTables.NfTablesClient(Namespace, factory, Timeout)
        : new NfTables.NfTablesClient(Namespace, Logger, Timeout);

    /// <summary>A conntrack client for the cleanup of removed forwards, logging as these options say.</summary>
    internal Conntrack.ConntrackClient OpenConntrack() => LoggerFactory is { } factory
        ? new Conntrack.ConntrackClient(Namespace, factory, Timeout)
        : new Conntrack.ConntrackClient(Namespace, Logger, Timeout);
}
