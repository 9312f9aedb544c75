using Netfilter.Net.Conntrack;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.Hosting;

/// <summary>
/// Opens what the hosting layer needs per network namespace: the namespace itself by name, and its
/// conntrack and sysctl clients. <c>AddNetfilter</c> registers <see cref="NetfilterClientFactory"/>,
/// which opens the real ones; a test registers its own (or <c>Netfilter.Net.Testing</c>'s in-memory
/// kernel) to run the reconciler, the health check and the metrics without root. NAT tables and the
/// doctor take the namespace in their options, so <see cref="Nat.INatTableFactory"/> and
/// <see cref="Diagnostics.IDoctor"/> are registered on their own.
/// </summary>
public interface INetfilterClientFactory
{
    /// <summary>The namespace named <paramref name="name"/> (/run/netns/NAME). The caller disposes it.</summary>
    /// <exception cref="System.ArgumentException">No such namespace.</exception>
    NetworkNamespace OpenNamespace(string name);

    /// <summary>A conntrack client in <paramref name="networkNamespace"/>. The caller disposes it (and keeps the namespace open meanwhile).</summary>
    IConntrackClient OpenConntrack(NetworkNamespace networkNamespace);

    /// <summary>The sysctls of <paramref name="networkNamespace"/>.</summary>
    ISysctlClient OpenSysctl(NetworkNamespace networkNamespace);
}
