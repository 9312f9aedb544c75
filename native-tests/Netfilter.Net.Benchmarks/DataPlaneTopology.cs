using System.Net;
using Netfilter.Net.Benchmarks.LoadGenerator;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Benchmarks;

/// <summary>
/// One client/router/server topology for the data-plane benchmark: forwarding on in the router,
/// a connrate server on 10.0.2.2, and a client with eight addresses (10.0.1.2–9) and the whole
/// port range, so that a run of tens of thousands of connections never reuses a source tuple
/// (the router's conntrack keeps each closed connection for 10 s), while SO_LINGER 0 in connrate
/// leaves no TIME_WAIT behind.
/// </summary>
internal sealed class DataPlaneTopology : IDisposable
{
    public const int ServerPort = 5001;

    private readonly ConnectionServer _server;
    private readonly ConntrackClient _conntrack;
    private readonly List<string> _installed = new();
    private readonly List<IPAddress> _sources = Enumerable.Range(2, 8).Select(i => IPAddress.Parse($"10.0.1.{i}")).ToList();

    public DataPlaneTopology()
    {
        Topology = new Topology();
        try
        {
            Forwarding.Enable(NetfilterFamily.IPv4, Topology.Router.Namespace);
            foreach (IPAddress extra in _sources.Skip(1))
            {
                Topology.Client.Ip("addr", "add", extra + "/24", "dev", "eth0");
            }
            Topology.Client.Check("sysctl", "-qw", "net.ipv4.ip_local_port_range=1024 65535");
            _server = ConnectionLoad.StartServer(Topology.Server, new IPEndPoint(IPAddress.Parse("10.0.2.2"), ServerPort));
            _conntrack = new ConntrackClient(Topology.Router.Namespace);
        }
        catch
        {
            Topology.Dispose();
            throw;
        }
    }

    public Topology Topology { get; }

    /// <summary>
    /// Installs every configuration's table in the router, each dormant (nft's <c>flags dormant</c>:
    /// its chains are off the hooks, so packets never see it), so that switching from one to
    /// another later is one small transaction instead of a 10,000-rule load between runs.
    /// </summary>
    public async Task InstallAsync(IEnumerable<DataPlaneConfiguration> configurations)
    {
        Topology.Router.Nft("flush", "ruleset");
        _installed.Clear();
        foreach (DataPlaneConfiguration configuration in configurations)
        {
            if (configuration.Table is string table)
            {
                await configuration.Install(Topology);
                _installed.Add(table);
            }
        }
        Topology.Router.NftScript(SwitchScript(active: null));
    }

    /// <summary>Makes <paramref name="configuration"/>'s table the only one on the hooks (none for a configuration without a table), in one transaction, and empties conntrack.</summary>
    public async Task ActivateAsync(DataPlaneConfiguration configuration)
    {
        Topology.Router.NftScript(SwitchScript(configuration.Table));
        // Every run starts from an empty conntrack table.
        await _conntrack.FlushAsync();
    }

    /// <summary>"add table T" wakes a dormant table (nft sends flags 0); "add table T { flags dormant; }" puts one to sleep.</summary>
    private string SwitchScript(string? active) =>
        string.Concat(_installed.Select(t => t == active ? $"add table {t}\n" : $"add table {t} {{ flags dormant; }}\n"));

    /// <summary>One run of the load generator against the configured router, recorded in <paramref name="row"/> with the server's CPU time and what could have limited the run.</summary>
    public async Task<ConnectionRate> RunAsync(DataPlaneConfiguration configuration, TimeSpan duration, int concurrency, DataPlaneRow row)
    {
        ConntrackTotals before = await ConntrackTotals.ReadAsync(_conntrack);
        double serverCpu = _server.CpuSeconds;
        ConnectionRate rate = await Task.Run(() => ConnectionLoad.Run(Topology.Client, configuration.Target, duration, concurrency, _sources));
        serverCpu = _server.CpuSeconds - serverCpu;
        if (rate.Completed == 0)
        {
            throw new InvalidOperationException($"no connection to {configuration.Target} completed with '{configuration.Row.Name}' ({rate}): the configuration does not forward");
        }
        ConntrackTotals after = await ConntrackTotals.ReadAsync(_conntrack);
        int timeWait = Topology.Client.Check("ss", "-Htn", "state", "time-wait").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        row.Add(rate, serverCpu, after - before, timeWait);
        return rate;
    }

    public void Dispose()
    {
        Topology.Router.Exec("nft", "flush", "ruleset");
        _conntrack.Dispose();
        _server.Dispose();
        Topology.Dispose();
    }
}

/// <summary>
/// A configuration of the router: its row in the results, the address the client connects to, and
/// the table that holds its rules ("inet one"; null: no rules) with how to install that table.
/// </summary>
internal sealed record DataPlaneConfiguration(DataPlaneRow Row, IPEndPoint Target, string? Table, Func<Topology, Task> Install);

/// <summary>The conntrack counters that would show a table too small or a tuple clash limiting the run.</summary>
internal readonly record struct ConntrackTotals(long InsertFailed, long Drop, long EarlyDrop)
{
    public static async Task<ConntrackTotals> ReadAsync(ConntrackClient conntrack)
    {
        var cpus = await conntrack.GetCpuStatisticsAsync();
        return new ConntrackTotals(cpus.Sum(c => (long)c.InsertFailed), cpus.Sum(c => (long)c.Drop), cpus.Sum(c => (long)c.EarlyDrop));
    }

    public static ConntrackTotals operator -(ConntrackTotals a, ConntrackTotals b) => new(a.InsertFailed - b.InsertFailed, a.Drop - b.Drop, a.EarlyDrop - b.EarlyDrop);

    public static ConntrackTotals operator +(ConntrackTotals a, ConntrackTotals b) => new(a.InsertFailed + b.InsertFailed, a.Drop + b.Drop, a.EarlyDrop + b.EarlyDrop);
}
