using System;
using System.Collections.Generic;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Hosting;

/// <summary>
/// One NAT table that the host keeps equal to its configuration (<c>AddNatTable(name, ...)</c>):
/// where it lives, the rules it must hold, and how the reconciler treats it. Bound from
/// configuration by hand-written, trimming-safe code; validated when the host starts and on every
/// change (each bad rule line is reported with its index; nothing is sent while any is bad).
/// </summary>
/// <example>
/// <code>
/// "Netfilter": { "Tables": { "portfwd": {
///   "Namespace": "router",
///   "Rules": [ "dnat tcp 2222 to 10.0.2.2:22 masquerade", "redirect tcp 80 to 8080 local" ],
///   "EnableForwarding": true,
///   "RemoveOnShutdown": true
/// } } }
/// </code>
/// </example>
public sealed class HostedNatTableOptions
{
    /// <summary>The nftables table (family inet): letters, digits, '_' and '-', at most 64 characters. Defaults to the name the table was registered under.</summary>
    public string Table { get; set; } = string.Empty;

    /// <summary>A network namespace by name (<c>ip netns add NAME</c>, /run/netns/NAME); null or empty for the service's own.</summary>
    public string? Namespace { get; set; }

    /// <summary>
    /// <see cref="NatTableLifetime.Persistent"/> (default): the table outlives the process unless
    /// <see cref="RemoveOnShutdown"/>. <see cref="NatTableLifetime.OwnedByProcess"/>: the kernel deletes
    /// it when the service stops or dies, crash included, whatever <see cref="RemoveOnShutdown"/> says.
    /// </summary>
    public NatTableLifetime Lifetime { get; set; } = NatTableLifetime.Persistent;

    /// <summary>
    /// The rules the table must hold, each as its canonical line (what <c>NatRule.ToString()</c> and
    /// <c>nfnet list</c> print, read with <see cref="NatRuleParser"/>), e.g.
    /// <c>dnat tcp 2222 to 192.168.1.10:22 masquerade</c> or <c>redirect tcp 80 to 8080 local</c>.
    /// Anything else in the table is removed; an empty list empties it.
    /// </summary>
    public IList<string> Rules { get; set; } = new List<string>();

    /// <summary>Delete the table (and so every rule in it) when the host stops. Default false: the forwards keep working while the service restarts.</summary>
    public bool RemoveOnShutdown { get; set; }

    /// <summary>Turn IP forwarding on in the namespace for each family a forward to another host uses, before applying. Never turns it off. Default false.</summary>
    public bool EnableForwarding { get; set; }

    /// <summary>Include the table in the netfilter health check (<c>AddNetfilterHealthChecks</c>). Default true.</summary>
    public bool HealthCheck { get; set; } = true;

    /// <summary>Apply again this often even without a change, which repairs what someone else changed in the table; null (default) applies only at start and on change.</summary>
    public TimeSpan? ReconcileInterval { get; set; }

    /// <summary>How a failed apply is retried.</summary>
    public NatTableRetryOptions Retry { get; set; } = new();

    /// <summary>What the configuration binder could not read (unknown keys, values of the wrong type); the validator reports them.</summary>
    internal List<string> BindingErrors { get; } = new();
}
