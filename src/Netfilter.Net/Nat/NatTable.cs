using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

/// <summary>
/// One <c>inet</c> nftables table that holds an owner's typed port-redirection rules
/// (<see cref="RedirectRule"/>, <see cref="DnatRule"/>, <see cref="SnatRule"/>,
/// <see cref="MasqueradeRule"/>, <see cref="TproxyRule"/>). Every change is one atomic
/// transaction; <see cref="ApplyAsync"/> is declarative, <see cref="AddAsync"/> and
/// <see cref="RemoveAsync"/> are incremental, <see cref="ListAsync"/> reads the typed rules back
/// from the kernel.
/// </summary>
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
public sealed partial class NatTable : IDisposable
{
    private readonly NfTablesClient _client;
    private readonly NatTableOptions _options;
    private readonly ILogger? _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _layoutVerified;

    /// <summary>The table named <paramref name="name"/> (created on first change).</summary>
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
        _logger = _options.Logger;
        _client = new NfTablesClient(_options.Namespace, _logger, _options.Timeout);
    }

    internal NatTable(string name, NfTablesClient client, NatTableOptions? options = null)
    {
        ValidateName(name);
        Name = name;
        _options = options ?? new NatTableOptions();
        _logger = _options.Logger;
        _client = client;
    }

    /// <summary>The table's name (family inet).</summary>
    public string Name { get; }

    /// <summary>The namespace the table lives in.</summary>
    public NetworkNamespace Namespace => _options.Namespace ?? NetworkNamespace.Current;

    /// <summary>The typed rules the kernel holds in this table, read back from the kernel.</summary>
    public async Task<IReadOnlyList<NatRule>> ListAsync(CancellationToken cancellationToken = default)
    {
        NatTableState state = await ReadStateAsync(cancellationToken).ConfigureAwait(false);
        var rules = new List<NatRule>();
        foreach (NatTableState.Pieces pieces in state.Rules())
        {
            rules.Add(pieces.Rule);
        }
        return rules;
    }

    /// <summary>Deletes the whole table and everything in it. Returns false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _layoutVerified = false;
            try
            {
                await _client.CommitAsync(new NfTablesTransaction().DeleteTable(ProtocolFamily.Inet, Name), cancellationToken).ConfigureAwait(false);
            }
            catch (NfTablesException e) when (e.Errno == Errno.ENOENT)
            {
                return false;
            }
            if (_logger is not null)
            {
                NatLog.TableDeleted(_logger, Name);
            }
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<NatTableState> ReadStateAsync(CancellationToken cancellationToken)
    {
        Ruleset snapshot = await _client.GetTableSnapshotAsync(ProtocolFamily.Inet, Name, cancellationToken).ConfigureAwait(false);
        return NatTableState.Read(snapshot, Name);
    }

    private static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 64)
        {
            throw new ArgumentException("a NAT table name is 1 to 64 characters", nameof(name));
        }
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw new ArgumentException($"a NAT table name holds letters, digits, '_' and '-' only; {InputText.Quote(name)} has {InputText.Quote(c)}", nameof(name));
            }
        }
    }

    /// <summary>Closes the netlink socket. A table with <see cref="NatTableLifetime.OwnedByProcess"/> disappears now.</summary>
    public void Dispose()
    {
        _client.Dispose();
        _gate.Dispose();
    }
}
