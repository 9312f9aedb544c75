using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NfTables;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Contract;

/// <summary>
/// What a contract test runs against: the same calls on the in-memory kernel of
/// Netfilter.Net.Testing (tests/, no privileges) or on the real kernel in a throwaway network
/// namespace (native-tests/, root). Each test makes its own, fresh: a namespace with only
/// <c>lo</c> (up), an empty ruleset and conntrack table, forwarding off.
/// </summary>
/// <remarks>
/// The contract tests use the library's public interfaces (<see cref="INatTableFactory"/>,
/// <see cref="IConntrackClient"/>, <see cref="ISysctlClient"/>, <see cref="IDoctor"/>) and this
/// fixture's few verbs for what a test must arrange on the host (an interface, a listening socket,
/// a change made by hand with nft, a writer that wins the next commits).
/// </remarks>
public abstract class ContractKernel : IDisposable
{
    /// <summary>"fake" or "kernel", for messages.</summary>
    public abstract string Name { get; }

    /// <summary>Opens NAT tables in the fixture's namespace.</summary>
    public abstract INatTableFactory Tables { get; }

    /// <summary>The namespace's conntrack table.</summary>
    public abstract IConntrackClient Conntrack { get; }

    /// <summary>The namespace's sysctls.</summary>
    public abstract ISysctlClient Sysctl { get; }

    /// <summary>The doctor; <see cref="DoctorOptions"/> points it at the fixture's namespace.</summary>
    public abstract IDoctor Doctor { get; }

    /// <summary>Options for the doctor over the fixture's namespace.</summary>
    public abstract DoctorOptions DoctorOptions(string table, int? port = null);

    /// <summary>
    /// Opens a table whose next <paramref name="lostRaces"/> commits lose their generation race:
    /// another writer changes the ruleset right before each (the kernel fixture does it from the
    /// table's commit hook; the fake arms <c>Faults.LoseNextCommitRaces</c>).
    /// </summary>
    public abstract INatTable OpenTableLosingRaces(string name, int lostRaces, NatTableOptions? options = null);

    /// <summary>Adds an interface, up, with addresses written as <c>ip addr add</c> takes them.</summary>
    public abstract void AddInterface(string name, params string[] addresses);

    /// <summary>Starts something listening on 0.0.0.0:<paramref name="port"/>; dispose to stop it.</summary>
    public abstract IDisposable Listen(ProtocolType protocol, int port);

    /// <summary>Commits a transaction by hand, as someone with nft would.</summary>
    public abstract Task CommitByHandAsync(NfTablesTransaction transaction);

    /// <summary>
    /// Rewrites what names the namespace in a message as "NS" (the kernel's "namespace nfnt-...",
    /// "/run/netns/nfnt-..."; the fake's "current network namespace"; and, on both, "this
    /// namespace"), drops "--netns nfnt-..." and writes <c>NetworkNamespace.FromName("nfnt-...")</c>
    /// as <c>null</c>, so messages about the two namespaces compare.
    /// </summary>
    public string Normalize(string text) =>
        NormalizeOwnName(text).Replace("current network namespace", "NS", StringComparison.Ordinal).Replace("this namespace", "NS", StringComparison.Ordinal);

    /// <summary>Rewrites the fixture's own namespace name (see <see cref="Normalize"/>).</summary>
    protected abstract string NormalizeOwnName(string text);

    /// <inheritdoc />
    public abstract void Dispose();
}
