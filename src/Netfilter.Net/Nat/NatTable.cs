using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

/// <summary>
/// One <c>inet</c> nftables table that holds an owner's typed port-redirection rules
/// (<see cref="RedirectRule"/>, <see cref="DnatRule"/>, <see cref="SnatRule"/>,
/// <see cref="MasqueradeRule"/>, <see cref="TproxyRule"/>). <see cref="ApplyAsync"/> is
/// declarative, <see cref="AddAsync"/> and <see cref="RemoveAsync"/> are incremental,
/// <see cref="ListAsync"/> and <see cref="InspectAsync"/> read the table back from the kernel.
/// </summary>
/// <remarks>
/// <para><b>Every rule owns its pieces.</b> A typed rule compiles to map elements and rules that
/// carry its canonical text as comment and match only its own packets, so adding, removing or
/// replacing one rule never changes another's packet path (the layout is drawn on
/// <c>NatTableLayout</c>). Two rules that would claim the same packets are refused
/// (<see cref="NatRuleConflictException"/>, or an <see cref="ArgumentException"/> for two
/// desired rules). A rule's identity (<see cref="NatRule.Identity"/>: its kind and match, not its
/// options) is what <see cref="RemoveAsync"/> matches.</para>
/// <para><b>Every change is one transaction with a generation check</b>, including creating the
/// table and its layout: it reads the kernel, computes the change, and commits it only if nobody
/// changed the ruleset in between, re-reading and retrying otherwise
/// (<see cref="NatTableOptions.ApplyAttempts"/>). Nothing is ever half-applied.</para>
/// <para><b>The kernel is the truth.</b> A table deleted or edited by hand is repaired by the next
/// change (missing layout recreated; <see cref="ApplyAsync"/> also removes foreign pieces and
/// makes partial rules whole). A table with the same name that a NatTable did not make is never
/// adopted (<see cref="NatTableNotOwnedException"/>); one written in an earlier layout (1, or 2
/// before rules counted what they translate) is migrated by the next change, in one transaction.</para>
/// <para><b>Every rule counts what it translates</b>: <see cref="InspectAsync"/> and
/// <see cref="ListStatisticsAsync"/> read each rule back with its counters (new connections for
/// redirects, forwards, snat and masquerade; see <see cref="NatRuleStatistics"/>).</para>
/// </remarks>
/// <example>
/// <code>
/// using var nat = new NatTable("portfwd");
/// await nat.ApplyAsync(new NatRule[]
/// {
///     new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("192.168.1.10"), PortRange.Single(22), masquerade: true),
///     new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, includeLocal: true),
/// });
/// </code>
/// </example>
public sealed partial class NatTable : INatTable
{
    private readonly INatTableKernel _client;
    private readonly NatTableOptions _options;
    private readonly ILogger? _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The table named <paramref name="name"/> (created by the first change).</summary>
    /// <param name="name">The owner's name, used as the table name: letters, digits, '_' and '-', at most 64 characters.</param>
    /// <param name="options">Namespace, lifetime, logger.</param>
    /// <exception cref="ArgumentException">The name is not usable.</exception>
    public NatTable(string name, NatTableOptions? options = null)
    {
        ValidateName(name);
        Name = name;
        _options = options ?? new NatTableOptions();
        if (_options.ApplyAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.ApplyAttempts, "ApplyAttempts is at least 1");
        }
        _logger = _options.NatLogger;
        _client = new NetlinkNatTableKernel(_options.OpenNfTables(), _options);
    }

    internal NatTable(string name, NfTablesClient client, NatTableOptions? options = null)
        : this(name, new NetlinkNatTableKernel(client, options ?? new NatTableOptions()), options)
    {
    }

    /// <summary>A table over another kernel: Netfilter.Net.Testing's in-memory one.</summary>
    internal NatTable(string name, INatTableKernel kernel, NatTableOptions? options = null)
    {
        ValidateName(name);
        Name = name;
        _options = options ?? new NatTableOptions();
        if (_options.ApplyAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.ApplyAttempts, "ApplyAttempts is at least 1");
        }
        _logger = _options.NatLogger;
        _client = kernel;
    }

    /// <summary>The table's name (family inet).</summary>
    public string Name { get; }

    /// <summary>The namespace the table lives in.</summary>
    public NetworkNamespace Namespace => _options.Namespace ?? NetworkNamespace.Current;

    /// <summary>
    /// The typed rules that are whole in the kernel, in the order they were found. Partial rules
    /// and foreign pieces are left out (<see cref="InspectAsync"/> shows them). For a table in
    /// an earlier layout, the rules its comments name. <see cref="ListStatisticsAsync"/> returns
    /// them with their counters.
    /// </summary>
    /// <exception cref="NatTableNotOwnedException">A table with this name exists but is not a NatTable's.</exception>
    public async Task<IReadOnlyList<NatRule>> ListAsync(CancellationToken cancellationToken = default)
    {
        NatTableReport report = await InspectAsync(cancellationToken).ConfigureAwait(false);
        if (report.Ownership == NatTableOwnership.Foreign)
        {
            throw new NatTableNotOwnedException(Name, report.NotOwnedReason!);
        }
        return report.Rules;
    }

    /// <summary>
    /// The typed rules that are whole in the kernel, as <see cref="ListAsync"/> returns them, each
    /// with what its counters say it translated: new connections for redirects, forwards, snat and
    /// masquerade (a nat chain sees only a connection's first packet), every packet for tproxy.
    /// One read of the table, like <see cref="ListAsync"/>; see <see cref="NatRuleStatistics"/> for
    /// exactly what is counted.
    /// </summary>
    /// <exception cref="NatTableNotOwnedException">A table with this name exists but is not a NatTable's.</exception>
    public async Task<IReadOnlyList<NatRuleStatistics>> ListStatisticsAsync(CancellationToken cancellationToken = default)
    {
        NatTableReport report = await InspectAsync(cancellationToken).ConfigureAwait(false);
        if (report.Ownership == NatTableOwnership.Foreign)
        {
            throw new NatTableNotOwnedException(Name, report.NotOwnedReason!);
        }
        return report.Statistics;
    }

    /// <summary>
    /// Exactly what the kernel holds for this table: whole, partial and stale typed rules, foreign
    /// pieces, layout problems and whose table it is. Reads the whole table (and the host's
    /// addresses only when a hairpin rule is there); never changes anything and never throws for
    /// a foreign table (the report says so).
    /// </summary>
    public async Task<NatTableReport> InspectAsync(CancellationToken cancellationToken = default)
    {
        Ruleset snapshot = await _client.GetTableSnapshotAsync(NetfilterFamily.Inet, Name, cancellationToken).ConfigureAwait(false);
        NatTableContents contents = NatTableReader.Read(Name, snapshot);
        if (contents.Whole.Any(r => r.Rule is DnatRule { Hairpin: true }))
        {
            NatHostInfo host = await _client.ReadHostAsync(cancellationToken).ConfigureAwait(false);
            contents = NatTableReader.Read(Name, snapshot, host.ConnectedNetwork);
        }
        return NatTableReport.From(contents);
    }

    /// <summary>Deletes the whole table and everything in it. Returns false when it did not exist.</summary>
    /// <exception cref="NatTableNotOwnedException">A table with this name exists but is not a NatTable's: it is left alone.</exception>
    public async Task<bool> DeleteAsync(CancellationToken cancellationToken = default)
    {
        (bool deleted, _, _) = await TransactAsync("delete", async ct =>
        {
            Ruleset layout = await _client.GetLayoutSnapshotAsync(NetfilterFamily.Inet, Name, Array.Empty<string>(), ct).ConfigureAwait(false);
            NatTableContents contents = NatTableReader.Read(Name, layout);
            RefuseForeign(contents);
            var tx = new NfTablesTransaction { ExpectedGeneration = layout.Generation };
            if (contents.Exists)
            {
                tx.DeleteTable(NetfilterFamily.Inet, Name);
            }
            return new Plan<bool>(tx, contents.Exists, _ =>
            {
                if (_logger is not null)
                {
                    NatLog.TableDeleted(_logger, Name);
                }
                return Task.CompletedTask;
            });
        }, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    private static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (NatTableName.Problem(name) is string problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }
    }

    private void Log(IEnumerable<NatRule> added, IEnumerable<NatRule> removed, IEnumerable<NatRule> repaired, IEnumerable<string> foreign, IEnumerable<string> layout)
    {
        if (_logger is null)
        {
            return;
        }
        foreach (string what in layout)
        {
            NatLog.Layout(_logger, Name, what);
        }
        foreach (string piece in foreign)
        {
            NatLog.ForeignRemoved(_logger, Name, piece);
        }
        foreach (NatRule rule in removed)
        {
            NatLog.Removed(_logger, Name, rule.ToString());
        }
        foreach (NatRule rule in repaired)
        {
            NatLog.Repaired(_logger, Name, rule.ToString());
        }
        foreach (NatRule rule in added)
        {
            NatLog.Added(_logger, Name, rule.ToString());
        }
    }

    private void LogWarnings(IEnumerable<NatWarning> warnings)
    {
        if (_logger is null)
        {
            return;
        }
        foreach (NatWarning warning in warnings)
        {
            NatLog.Warning(_logger, Name, warning.Message);
        }
    }

    /// <summary>
    /// Drops the flows of removed forwards and redirects: through the owner's callback when given,
    /// otherwise through conntrack (when <see cref="NatTableOptions.FlushConntrackOnChange"/>), with
    /// one conntrack dump for the whole change.
    /// </summary>
    private async Task AfterRemovalAsync(IReadOnlyList<NatRule> removed, CancellationToken cancellationToken)
    {
        List<NatRule> translated = removed.Where(r => r is DnatRule or RedirectRule).ToList();
        if (translated.Count == 0)
        {
            return;
        }
        if (_options.OnForwardRemoved is { } callback)
        {
            foreach (NatRule rule in translated)
            {
                await callback(rule, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        if (_options.FlushConntrackOnChange)
        {
            using Conntrack.IConntrackClient conntrack = _client.OpenConntrack();
            await NatConntrackCleanup.DeleteFlowsAsync(conntrack, translated, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the netlink socket. A table with <see cref="NatTableLifetime.OwnedByProcess"/> disappears now.</summary>
    public void Dispose()
    {
        _client.Dispose();
        _gate.Dispose();
    }
}
