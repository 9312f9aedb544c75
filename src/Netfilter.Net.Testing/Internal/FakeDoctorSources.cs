using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Routing;
using Netfilter.Net.Sockets;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Testing.Internal;

/// <summary>What the doctor reads, from a fake namespace: the facts it gathers from them go through the library's own checks.</summary>
internal sealed class FakeDoctorSources : IDoctorSources
{
    private readonly FakeNamespace _namespace;

    public FakeDoctorSources(FakeNamespace ns) => _namespace = ns;

    public ISysctlClient Sysctl => _namespace.Sysctl;

    public bool SysctlsReadOnly => _namespace.FaultState.ProcSysReadOnly;

    public Task<(Ruleset? Ruleset, DoctorFinding? Problem)> ReadRulesetAsync(string where, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_namespace.FaultState.NetAdminDenied)
        {
            return Task.FromResult<(Ruleset?, DoctorFinding?)>((null, DoctorFactsReader.AccessProblem(FakeErrors.Denied("get NFT_MSG_GETGEN", 1), where)));
        }
        return Task.FromResult<(Ruleset?, DoctorFinding?)>((_namespace.Ruleset.Snapshot(NetfilterFamily.Unspecified, null, withElements: true, ruleChains: null), null));
    }

    public Task<NatHostInfo> ReadHostAsync(CancellationToken cancellationToken) => Task.FromResult(_namespace.HostInfo());

    public Task<RouteLookup?> LookupRouteAsync(IPAddress destination, CancellationToken cancellationToken) => Task.FromResult(_namespace.Host.Lookup(destination));

    public Task<IReadOnlyList<string>> ListInterfaceNamesAsync(CancellationToken cancellationToken) => Task.FromResult(_namespace.Host.Interfaces);

    public IConntrackClient OpenConntrack() => _namespace.Conntrack;

    public Task<IReadOnlyList<ListeningSocket>> ListListeningAsync(CancellationToken cancellationToken) => Task.FromResult(_namespace.Host.Listening);

    public IReadOnlyDictionary<ulong, string> FindSocketOwners(IReadOnlyCollection<ulong> inodes) => _namespace.Host.Owners(inodes);

    public void Dispose()
    {
    }
}
