using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;

namespace Netfilter.Net.Testing.Internal;

/// <summary>
/// What one <see cref="NatTable"/> of a fake namespace reads and changes: the namespace's
/// in-memory ruleset (through its own "socket", which owns the tables it creates with
/// <see cref="NatTableLifetime.OwnedByProcess"/>), host facts from <see cref="FakeHost"/> and
/// <see cref="FakeSysctl"/>, and the namespace's conntrack table for cleanup.
/// </summary>
internal sealed class FakeNatTableKernel : INatTableKernel
{
    private readonly FakeNamespace _namespace;
    private readonly uint _port;
    private uint _sequence;

    public FakeNatTableKernel(FakeNamespace ns, uint port)
    {
        _namespace = ns;
        _port = port;
    }

    public Task<Ruleset> GetTableSnapshotAsync(NetfilterFamily family, string table, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Deny("get NFT_MSG_GETGEN");
        return Task.FromResult(_namespace.Ruleset.Snapshot(family, table, withElements: true, ruleChains: null));
    }

    public Task<Ruleset> GetLayoutSnapshotAsync(NetfilterFamily family, string table, IReadOnlyCollection<string> ruleChains, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Deny("get NFT_MSG_GETGEN");
        return Task.FromResult(_namespace.Ruleset.Snapshot(family, table, withElements: false, ruleChains));
    }

    public Task<SetElement?> GetElementAsync(NetfilterFamily family, string table, string set, NftData key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Deny("get NFT_MSG_GETSETELEM");
        return Task.FromResult(_namespace.Ruleset.GetElement(family, table, set, key));
    }

    public Task<uint> GetGenerationIdAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Deny("get NFT_MSG_GETGEN");
        return Task.FromResult(_namespace.Ruleset.Generation);
    }

    public Task<NfTablesCommitResult> CommitAsync(NfTablesTransaction transaction, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_namespace.Ruleset.Commit(transaction, _port));
    }

    public Task<NatHostInfo> ReadHostAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_namespace.HostInfo());
    }

    public IConntrackClient OpenConntrack() => _namespace.Conntrack;

    /// <summary>The "socket" closes: tables it owns go, as the kernel deletes an owner's tables.</summary>
    public void Dispose() => _namespace.Ruleset.Release(_port);

    private void Deny(string operation)
    {
        if (_namespace.FaultState.NetAdminDenied)
        {
            throw FakeErrors.Denied(operation, ++_sequence);
        }
    }
}
