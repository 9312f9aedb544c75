using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Contract;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Sysctl;
using Netfilter.Net.Testing;

namespace Netfilter.Net.Tests.Contract;

/// <summary>The contract suite's fixture over Netfilter.Net.Testing: a new <see cref="FakeNetfilter"/> per test, its root namespace.</summary>
internal sealed class FakeContractKernel : ContractKernel
{
    private readonly FakeNetfilter _kernel = new();

    public override string Name => "fake";

    public override INatTableFactory Tables => _kernel.Tables;

    public override IConntrackClient Conntrack => _kernel.Conntrack;

    public override ISysctlClient Sysctl => _kernel.Sysctl;

    public override IDoctor Doctor => _kernel.Doctor;

    public override DoctorOptions DoctorOptions(string table, int? port = null) => new() { Table = table, Port = port };

    public override INatTable OpenTableLosingRaces(string name, int lostRaces, NatTableOptions? options = null)
    {
        INatTable table = _kernel.Tables.Open(name, options);
        _kernel.Faults.LoseNextCommitRaces(lostRaces);
        return table;
    }

    public override void AddInterface(string name, params string[] addresses) => _kernel.Host.AddInterface(name, addresses);

    public override IDisposable Listen(ProtocolType protocol, int port)
    {
        var endPoint = new IPEndPoint(IPAddress.Any, port);
        _kernel.Host.Listen(protocol, endPoint);
        return new Stop(() => _kernel.Host.StopListening(protocol, endPoint));
    }

    public override Task CommitByHandAsync(NfTablesTransaction transaction) => _kernel.NfTables.CommitAsync(transaction);

    protected override string NormalizeOwnName(string text) => text;

    public override void Dispose()
    {
    }

    private sealed class Stop(Action stop) : IDisposable
    {
        public void Dispose() => stop();
    }
}
