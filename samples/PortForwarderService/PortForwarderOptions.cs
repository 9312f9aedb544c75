using System;
using System.Collections.Generic;

namespace PortForwarderService;

/// <summary>The "PortForwarder" section of appsettings.json: where to work and what to forward.</summary>
public sealed class PortForwarderOptions
{
    /// <summary>A network namespace under /run/netns; null for the service's own.</summary>
    public string? Namespace { get; set; }

    /// <summary>The nftables table (family inet) the service owns.</summary>
    public string Table { get; set; } = "portfwd";

    /// <summary>Turn IP forwarding on for the families the forwards use (DNAT to another host needs it).</summary>
    public bool EnableForwarding { get; set; } = true;

    /// <summary>Tie the table to the process, so the kernel removes every forward when the service stops or crashes.</summary>
    public bool RemoveOnExit { get; set; } = true;

    /// <summary>How often to re-apply even without a configuration change (repairs rules someone else removed).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Forwards to other hosts (DNAT).</summary>
    public List<ForwardOptions> Forwards { get; set; } = new();

    /// <summary>Redirects to local ports.</summary>
    public List<RedirectOptions> Redirects { get; set; } = new();
}

/// <summary>One forward: <c>{ "Protocol": "tcp", "Port": "2222", "To": "192.168.1.10:22", "Masquerade": true }</c>.</summary>
public sealed class ForwardOptions
{
    /// <summary>tcp, udp or both.</summary>
    public string Protocol { get; set; } = "tcp";

    /// <summary>The public port or range, "2222" or "8000-8100".</summary>
    public string Port { get; set; } = string.Empty;

    /// <summary>The target: "192.168.1.10", "192.168.1.10:22" or "[2001:db8::10]:22".</summary>
    public string To { get; set; } = string.Empty;

    /// <summary>Masquerade forwarded connections so replies come back through this host.</summary>
    public bool Masquerade { get; set; }

    /// <summary>Only clients in these prefixes.</summary>
    public List<string> Sources { get; set; } = new();
}

/// <summary>One redirect: <c>{ "Protocol": "tcp", "Port": "80", "ToPort": 8080 }</c>.</summary>
public sealed class RedirectOptions
{
    /// <summary>tcp, udp or both.</summary>
    public string Protocol { get; set; } = "tcp";

    /// <summary>The port or range clients connect to.</summary>
    public string Port { get; set; } = string.Empty;

    /// <summary>The local port that receives them.</summary>
    public int ToPort { get; set; }

    /// <summary>Also redirect connections made on this host.</summary>
    public bool Local { get; set; }
}
