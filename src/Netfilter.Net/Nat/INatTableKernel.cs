using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Conntrack;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Nat;

/// <summary>
/// What a <see cref="NatTable"/> reads and changes: its table's pieces, the commit of one
/// transaction, the host facts its warnings and hairpin rules need, and conntrack for cleanup.
/// <see cref="NetlinkNatTableKernel"/> is the kernel of a namespace; Netfilter.Net.Testing's
/// in-memory kernel is the other implementation, so its tables run this very NatTable code
/// (validation, identity, conflicts, transactions, results) and cannot drift from it.
/// </summary>
/// <remarks>The method signatures are <see cref="NfTablesClient"/>'s, so NatTable's calls read the same over either.</remarks>
internal interface INatTableKernel : IDisposable
{
    /// <summary>See <see cref="NfTablesClient.GetTableSnapshotAsync"/>.</summary>
    Task<Ruleset> GetTableSnapshotAsync(NetfilterFamily family, string table, CancellationToken cancellationToken = default);

    /// <summary>See <see cref="NfTablesClient.GetLayoutSnapshotAsync"/>: no elements, the rules of <paramref name="ruleChains"/> only.</summary>
    Task<Ruleset> GetLayoutSnapshotAsync(NetfilterFamily family, string table, IReadOnlyCollection<string> ruleChains, CancellationToken cancellationToken = default);

    /// <summary>See <see cref="NfTablesClient.GetElementAsync"/>.</summary>
    Task<SetElement?> GetElementAsync(NetfilterFamily family, string table, string set, NftData key, CancellationToken cancellationToken = default);

    /// <summary>The ruleset's generation now (NFT_MSG_GETGEN): whether a reading made of several requests saw one state.</summary>
    Task<uint> GetGenerationIdAsync(CancellationToken cancellationToken = default);

    /// <summary>See <see cref="NfTablesClient.CommitAsync"/>.</summary>
    Task<NfTablesCommitResult> CommitAsync(NfTablesTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>The host's addresses, forwarding and route_localnet (warnings, local targets, hairpin networks).</summary>
    Task<NatHostInfo> ReadHostAsync(CancellationToken cancellationToken);

    /// <summary>A conntrack client of the same namespace, for dropping the flows of removed forwards; the caller disposes it.</summary>
    IConntrackClient OpenConntrack();
}

/// <summary>The kernel of one network namespace, over netlink: what <see cref="NatTable"/>'s public constructor uses.</summary>
internal sealed class NetlinkNatTableKernel : INatTableKernel
{
    private readonly NfTablesClient _client;
    private readonly NatTableOptions _options;

    public NetlinkNatTableKernel(NfTablesClient client, NatTableOptions options)
    {
        _client = client;
        _options = options;
    }

    public Task<Ruleset> GetTableSnapshotAsync(NetfilterFamily family, string table, CancellationToken cancellationToken = default) =>
        _client.GetTableSnapshotAsync(family, table, cancellationToken);

    public Task<Ruleset> GetLayoutSnapshotAsync(NetfilterFamily family, string table, IReadOnlyCollection<string> ruleChains, CancellationToken cancellationToken = default) =>
        _client.GetLayoutSnapshotAsync(family, table, ruleChains, cancellationToken);

    public Task<SetElement?> GetElementAsync(NetfilterFamily family, string table, string set, NftData key, CancellationToken cancellationToken = default) =>
        _client.GetElementAsync(family, table, set, key, cancellationToken);

    public async Task<uint> GetGenerationIdAsync(CancellationToken cancellationToken = default) =>
        (await _client.GetGenerationAsync(cancellationToken).ConfigureAwait(false)).Id;

    public Task<NfTablesCommitResult> CommitAsync(NfTablesTransaction transaction, CancellationToken cancellationToken = default) =>
        _client.CommitAsync(transaction, cancellationToken);

    public Task<NatHostInfo> ReadHostAsync(CancellationToken cancellationToken) => NatHostInfo.ReadAsync(_options.Namespace, cancellationToken);

    public IConntrackClient OpenConntrack() => _options.OpenConntrack();

    public void Dispose() => _client.Dispose();
}
