using System;
using System.Collections.Generic;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.Testing.Internal;

namespace Netfilter.Net.Testing;

/// <summary>
/// An in-memory Linux kernel for tests of code built on Netfilter.Net: NAT tables, conntrack,
/// sysctls and the doctor behind the library's interfaces, with no root, no namespaces and
/// nothing touched on the machine. Proven equal to the real kernel, for what it models, by the
/// contract suite that runs unchanged against both.
/// </summary>
/// <remarks>
/// <para><b>Faithful by construction.</b> <see cref="Tables"/> opens the library's own
/// <see cref="NatTable"/> over an in-memory nftables ruleset, so validation, identity, conflicts,
/// transactions, retries, repairs and <see cref="NatApplyResult"/>s are the library's; the
/// <see cref="Doctor"/> runs the library's own checks over facts read from the fake.</para>
/// <para><b>Namespaces.</b> The kernel holds any number of network namespaces. <see cref="Root"/>
/// stands for the caller's own (a null or <see cref="NetworkNamespace.Current"/> namespace in
/// options); another <see cref="NetworkNamespace"/> in <see cref="NatTableOptions.Namespace"/> or
/// <see cref="DoctorOptions.Namespace"/> selects the fake namespace of that
/// <see cref="NetworkNamespace.Description"/> (see <see cref="Namespace(NetworkNamespace?)"/>). The
/// shortcuts (<see cref="Conntrack"/>, <see cref="Sysctl"/>, <see cref="Host"/>, ...) are <see cref="Root"/>'s.</para>
/// <para><b>Time.</b> Conntrack entries expire only when a test moves the kernel's clock with <see cref="AdvanceTime"/>.</para>
/// <para>What it does not model is listed in the package README ("What the fake does not model").</para>
/// </remarks>
/// <example>
/// <code>
/// var kernel = new FakeNetfilter();
/// INatTableFactory tables = kernel.Tables;      // what the service under test takes
/// IConntrackClient conntrack = kernel.Conntrack;
/// ISysctlClient sysctl = kernel.Sysctl;
/// IDoctor doctor = kernel.Doctor;
///
/// using INatTable table = tables.Open("portfwd");
/// NatApplyResult result = await table.ApplyAsync(new NatRule[] { new DnatRule(TransportProtocol.Tcp, 2222, IPAddress.Parse("10.0.2.2"), 22) });
/// // result.Warnings: "... IPv4 forwarding is off in this namespace ..."
/// sysctl.EnableForwarding(NetfilterFamily.IPv4);
/// </code>
/// </example>
public sealed class FakeNetfilter
{
    private readonly object _lock = new();
    private readonly Dictionary<string, FakeNamespace> _namespaces = new(StringComparer.Ordinal);

    /// <summary>A kernel with one namespace, <see cref="Root"/>: only <c>lo</c>, an empty ruleset and conntrack table, forwarding off.</summary>
    public FakeNetfilter()
    {
        Root = new FakeNamespace(this, NetworkNamespace.Current.Description);
        Tables = new FakeNatTableFactory(this, null);
        Doctor = new FakeDoctor(this, null);
    }

    /// <summary>The namespace that a null or <see cref="NetworkNamespace.Current"/> namespace means.</summary>
    public FakeNamespace Root { get; }

    /// <summary>Opens NAT tables in the namespace their <see cref="NatTableOptions.Namespace"/> selects (<see cref="Root"/> when null).</summary>
    public INatTableFactory Tables { get; }

    /// <summary>The doctor, over the namespace <see cref="DoctorOptions.Namespace"/> selects (<see cref="Root"/> when null).</summary>
    public IDoctor Doctor { get; }

    /// <summary><see cref="Root"/>'s conntrack table.</summary>
    public FakeConntrack Conntrack => Root.Conntrack;

    /// <summary><see cref="Root"/>'s sysctls.</summary>
    public FakeSysctl Sysctl => Root.Sysctl;

    /// <summary><see cref="Root"/>'s interfaces, routes and listening sockets.</summary>
    public FakeHost Host => Root.Host;

    /// <summary><see cref="Root"/>'s nftables ruleset.</summary>
    public FakeNfTables NfTables => Root.NfTables;

    /// <summary><see cref="Root"/>'s failure injection.</summary>
    public FakeFaults Faults => Root.Faults;

    /// <summary>How far the kernel's clock has moved (see <see cref="AdvanceTime"/>).</summary>
    public TimeSpan Elapsed => Clock.Now;

    internal FakeClock Clock { get; } = new();

    /// <summary>
    /// The fake namespace that <paramref name="networkNamespace"/> stands for: <see cref="Root"/> for
    /// null or <see cref="NetworkNamespace.Current"/>, otherwise one per
    /// <see cref="NetworkNamespace.Description"/>, made on first use (empty, like a new namespace).
    /// </summary>
    public FakeNamespace Namespace(NetworkNamespace? networkNamespace)
    {
        if (networkNamespace is null || networkNamespace.IsCurrent)
        {
            return Root;
        }
        lock (_lock)
        {
            if (!_namespaces.TryGetValue(networkNamespace.Description, out FakeNamespace? ns))
            {
                _namespaces[networkNamespace.Description] = ns = new FakeNamespace(this, networkNamespace.Description);
            }
            return ns;
        }
    }

    /// <summary>Moves the kernel's clock: conntrack entries whose time runs out are removed (Destroy events).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is negative.</exception>
    public void AdvanceTime(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "time only moves forward");
        }
        Clock.Advance(by);
        List<FakeNamespace> all;
        lock (_lock)
        {
            all = new List<FakeNamespace>(_namespaces.Values) { Root };
        }
        foreach (FakeNamespace ns in all)
        {
            ns.Conntrack.Expire();
        }
    }
}
