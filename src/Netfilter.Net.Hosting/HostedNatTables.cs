using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Hosting;

/// <summary>The name a table was registered under (<c>AddNatTable</c>); one singleton per table, so the registry knows them all.</summary>
internal sealed record HostedNatTableRegistration(string Name);

/// <summary>The configuration a table's options are bound from (<c>AddNatTable(name, configuration)</c>): its reload token says when to read them again.</summary>
internal sealed record HostedNatTableChangeSource(string Name, Microsoft.Extensions.Configuration.IConfiguration Configuration);

/// <summary>Where a hosted table stands.</summary>
internal enum HostedNatTablePhase
{
    /// <summary>Not applied yet.</summary>
    Starting,

    /// <summary>The last apply succeeded: the kernel holds the configured rules.</summary>
    Applied,

    /// <summary>The last apply failed (retrying with backoff, or waiting for a change).</summary>
    Failed,

    /// <summary>The configuration is invalid; the rules last applied stay.</summary>
    Rejected,
}

/// <summary>One hosted table's state as the reconciler last left it: what the health check and the metrics read.</summary>
/// <param name="Phase">Where it stands.</param>
/// <param name="Table">The kernel table (the registration name until the options are first read).</param>
/// <param name="Namespace">The namespace by name; null for the service's own.</param>
/// <param name="HealthCheck">Whether the health check covers it.</param>
/// <param name="Rules">How many rules the kernel holds after the last successful apply; null before one.</param>
/// <param name="LastResult">The last successful apply's result.</param>
/// <param name="Problem">Why the last try failed or the configuration was refused; null when applied.</param>
/// <param name="Configured">Whether valid options were ever read (before that, <paramref name="Table"/> and <paramref name="Namespace"/> are placeholders).</param>
internal sealed record HostedNatTableStatus(HostedNatTablePhase Phase, string Table, string? Namespace, bool HealthCheck,
    int? Rules, NatApplyResult? LastResult, string? Problem, bool Configured);

/// <summary>A hosted table's live state, written by its reconciler, read by anyone.</summary>
internal sealed class HostedNatTableState
{
    private HostedNatTableStatus _status;

    public HostedNatTableState(string name)
    {
        Name = name;
        _status = new HostedNatTableStatus(HostedNatTablePhase.Starting, name, null, HealthCheck: true, null, null, null, Configured: false);
    }

    /// <summary>The registration name.</summary>
    public string Name { get; }

    public HostedNatTableStatus Status => Volatile.Read(ref _status);

    /// <summary>The per-rule counters last read from the table the reconciler holds (only when <see cref="NetfilterHostingOptions.RuleStatisticsInterval"/> is set).</summary>
    public HostedNatRuleStatistics RuleStatistics { get; } = new();

    public void Set(HostedNatTableStatus status) => Volatile.Write(ref _status, status);
}

/// <summary>Every hosted table's state, in registration order.</summary>
internal sealed class HostedNatTables
{
    private readonly Dictionary<string, HostedNatTableState> _byName;

    public HostedNatTables(IEnumerable<HostedNatTableRegistration> registrations)
    {
        All = registrations.Select(r => new HostedNatTableState(r.Name)).ToList();
        _byName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<HostedNatTableState> All { get; }

    private readonly Dictionary<(string? Namespace, string Table), string> _owners = new();

    /// <summary>
    /// Makes <paramref name="name"/> the one registration that manages <paramref name="table"/> in
    /// <paramref name="ns"/>: two reconcilers of one kernel table would undo each other's rules. The
    /// first to claim it keeps it until it lets it go.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another registration manages it.</exception>
    public void Claim(string name, string table, string? ns)
    {
        lock (_owners)
        {
            if (_owners.TryGetValue((ns, table), out string? owner) && owner != name)
            {
                throw new InvalidOperationException($"table {table} in {NetfilterNamespaces.Describe(ns)} is already hosted as '{owner}'; two reconcilers would undo each other's rules: give each registration its own Table");
            }
            _owners[(ns, table)] = name;
        }
    }

    /// <summary>Lets <paramref name="table"/> go, when <paramref name="name"/> holds it.</summary>
    public void Release(string name, string table, string? ns)
    {
        lock (_owners)
        {
            if (_owners.TryGetValue((ns, table), out string? owner) && owner == name)
            {
                _owners.Remove((ns, table));
            }
        }
    }

    public HostedNatTableState this[string name] => _byName[name];

    /// <summary>The distinct namespaces (null: the service's own) of the tables whose options have been read, in registration order.</summary>
    public IEnumerable<string?> Namespaces() => All
        .Select(s => s.Status)
        .Where(s => s.Configured)
        .Select(s => s.Namespace)
        .Distinct();
}
