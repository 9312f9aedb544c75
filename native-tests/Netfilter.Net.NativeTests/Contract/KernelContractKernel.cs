using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Contract;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.NfTables;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Contract;

/// <summary>
/// The contract suite's fixture over the real kernel: a new namespace per test (only <c>lo</c>,
/// up), the library's own clients pointed at it, deleted with everything in it on dispose.
/// </summary>
internal sealed partial class KernelContractKernel : ContractKernel
{
    private readonly TestNamespace _ns = new("contract");
    private readonly ConntrackClient _conntrack;
    private readonly SysctlClient _sysctl;
    private readonly NfTablesClient _nftables;
    private TestNamespace? _peers;
    private int _peerCount;

    public KernelContractKernel()
    {
        _conntrack = new ConntrackClient(_ns.Namespace);
        _sysctl = new SysctlClient(_ns.Namespace);
        _nftables = new NfTablesClient(_ns.Namespace);
        Tables = new NamespaceTables(this);
    }

    public override string Name => "kernel";

    public override INatTableFactory Tables { get; }

    public override IConntrackClient Conntrack => _conntrack;

    public override ISysctlClient Sysctl => _sysctl;

    public override IDoctor Doctor { get; } = new Doctor();

    public override DoctorOptions DoctorOptions(string table, int? port = null) => new() { Namespace = _ns.Namespace, Table = table, Port = port };

    public override INatTable OpenTableLosingRaces(string name, int lostRaces, NatTableOptions? options = null)
    {
        int left = lostRaces;
        int intruders = 0;
        // Another writer, between the table's read and its commit: a table of its own, so the
        // ruleset's generation moves and the commit is refused (ERESTART) as in a real race.
        return new NatTable(name, InNamespace(options, async ct =>
        {
            if (Interlocked.Decrement(ref left) >= 0)
            {
                int n = Interlocked.Increment(ref intruders);
                await _nftables.CommitAsync(new NfTablesTransaction().AddTable(new Table(NetfilterFamily.IPv4, $"intruder{n}")), ct);
            }
        }));
    }

    public override void AddInterface(string name, params string[] addresses)
    {
        // A veth pair (this kernel has no dummy driver) whose peer lives in a namespace of its own,
        // so this namespace holds NAME alone, as the fake does; the peer only keeps the link up.
        _peers ??= new TestNamespace("contract-peer");
        string peer = "p" + (++_peerCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _ns.Ip("link", "add", name, "type", "veth", "peer", "name", peer, "netns", _peers.Name);
        foreach (string address in addresses)
        {
            _ns.Ip("addr", "add", address, "dev", name);
        }
        _peers.Ip("link", "set", peer, "up");
        _ns.Ip("link", "set", name, "up");
    }

    public override IDisposable Listen(ProtocolType protocol, int port) => _ns.Namespace.Run(() =>
    {
        var socket = protocol == ProtocolType.Tcp
            ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, port));
        if (protocol == ProtocolType.Tcp)
        {
            socket.Listen(16);
        }
        return (IDisposable)socket;
    });

    public override Task CommitByHandAsync(NfTablesTransaction transaction) => _nftables.CommitAsync(transaction);

    protected override string NormalizeOwnName(string text)
    {
        string name = Regex.Escape(_ns.Name);
        text = Regex.Replace(text, $" --netns {name}", string.Empty);
        // A fix names the namespace it is for ("... in namespace NAME"), as nfnet's --netns did: the fake's has no name.
        text = Regex.Replace(text, $"(?m)(?<=^  fix: .*) in namespace {name}", string.Empty);
        text = Regex.Replace(text, $"NetworkNamespace\\.FromName\\(\"{name}\"\\)", "null");
        text = Regex.Replace(text, $"(namespace )?/run/netns/{name}", "NS");
        return Regex.Replace(text, $"namespace {name}", "NS");
    }

    public override void Dispose()
    {
        _nftables.Dispose();
        _conntrack.Dispose();
        _ns.Dispose();
        _peers?.Dispose();
    }

    /// <summary><paramref name="options"/> with the fixture's namespace (and, for a racing table, the hook that makes the race).</summary>
    private NatTableOptions InNamespace(NatTableOptions? options, Func<CancellationToken, Task>? beforeCommit = null)
    {
        options ??= new NatTableOptions();
        return new NatTableOptions
        {
            Namespace = _ns.Namespace,
            Logger = options.Logger,
            LoggerFactory = options.LoggerFactory,
            Lifetime = options.Lifetime,
            Timeout = options.Timeout,
            ApplyAttempts = options.ApplyAttempts,
            BeforeCommit = beforeCommit ?? options.BeforeCommit,
            OnForwardRemoved = options.OnForwardRemoved,
            FlushConntrackOnChange = options.FlushConntrackOnChange,
        };
    }

    private sealed class NamespaceTables(KernelContractKernel kernel) : INatTableFactory
    {
        public INatTable Open(string name, NatTableOptions? options = null) => new NatTable(name, kernel.InNamespace(options));
    }
}
