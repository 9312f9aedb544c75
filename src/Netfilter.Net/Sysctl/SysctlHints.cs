using System;
using System.Linq;

namespace Netfilter.Net.Sysctl;

/// <summary>
/// The explanations <see cref="SysctlException"/> appends for the failures a user can fix: which
/// module or interface a missing key needs, why a key is read-only here, and where to set a key
/// when /proc/sys is read-only.
/// </summary>
/// <remarks>
/// What "per network namespace" means here comes from the kernel: /proc/sys/net is looked up in
/// the opener's network namespace (net/sysctl_net.c, <c>net_ctl_header_lookup</c> returns
/// <c>&amp;current-&gt;nsproxy-&gt;net_ns-&gt;sysctls</c>), while every other directory of
/// /proc/sys is one table for the whole host. Some net tables are registered for the initial
/// namespace only (<c>register_net_sysctl(&amp;init_net, ...)</c>: net.core's global table,
/// net.ipv4's global table and net.ipv4.route's static one), so other namespaces lack those
/// keys, and a few per-namespace keys backed by a global variable are read-only there
/// (net.core.rmem_max, net.netfilter.nf_conntrack_max). Checked on 6.18: a fresh namespace
/// lacks net.core.netdev_max_backlog, net.ipv4.tcp_mem and net.ipv4.route.gc_thresh, and shows
/// net.core.rmem_max with mode 0444.
/// </remarks>
internal static class SysctlHints
{
    // Keys (or directories, ending in '/') the kernel registers for the initial network
    // namespace only; absent from every other namespace.
    private static readonly string[] s_initialNamespaceOnly =
    {
        "net/core/netdev_", "net/core/bpf_", "net/core/dev_weight", "net/core/message_", "net/core/flow_limit_",
        "net/core/rps_sock_flow_entries", "net/core/busy_", "net/core/default_qdisc", "net/core/warnings",
        "net/ipv4/route/", "net/ipv4/tcp_mem", "net/ipv4/udp_mem", "net/ipv4/tcp_max_orphans", "net/ipv4/inet_peer_",
        "net/ipv4/cipso_", "net/ipv4/fib_sync_mem", "net/ipv6/mld_max_msf", "net/ipv6/mld_qrv", "net/ipv6/calipso_",
        "net/nf_conntrack_max", "net/netfilter/nf_log_all_netns",
    };

    // Key prefixes whose tables a module registers: the key is missing until it is loaded.
    private static readonly (string Prefix, string Module)[] s_modules =
    {
        ("net/netfilter/nf_conntrack", "nf_conntrack"),
        ("net/netfilter/nf_flowtable", "nf_flow_table"),
        ("net/bridge/bridge-nf-", "br_netfilter"),
        ("net/ipv4/vs/", "ip_vs"),
    };

    /// <summary>Why <paramref name="key"/> may be missing, as a clause starting with ": ", or empty.</summary>
    public static string Missing(SysctlKey key)
    {
        string? device = key.InterfaceComponent;
        if (device is not null && device is not SysctlKey.AllInterfaces and not SysctlKey.DefaultInterface)
        {
            return $": is there an interface named '{device}' in this namespace?";
        }
        foreach ((string prefix, string module) in s_modules)
        {
            if (key.Path.StartsWith(prefix, StringComparison.Ordinal))
            {
                string loads = module == "nf_conntrack" ? " (the first NAT or ct rule loads it)" : string.Empty;
                return $": these keys exist once the {module} module is loaded{loads}; modprobe {module} on the host (a container cannot load modules)";
            }
        }
        if (s_initialNamespaceOnly.Any(p => key.Path.StartsWith(p, StringComparison.Ordinal)))
        {
            return $": the kernel registers {key.Name} for the initial network namespace only (it is shared by the whole host), so other namespaces, a container's included, do not have it; set it on the host";
        }
        if (key.Path.StartsWith("net/ipv6/", StringComparison.Ordinal))
        {
            return ": is IPv6 disabled on this kernel (ipv6.disable=1)?";
        }
        return string.Empty;
    }

    /// <summary>Why a key whose mode has no write bit is read-only, as a clause starting with ": ", or empty.</summary>
    public static string ReadOnlyKey(SysctlKey key) =>
        key.Equals(SysctlKey.ConntrackMax)
            ? ": the conntrack table size can only be changed in the initial network namespace"
            : key.Path.StartsWith("net/", StringComparison.Ordinal)
                ? ": some keys are read-only everywhere (counters such as nf_conntrack_count), and outside the initial network namespace the kernel also makes the keys backed by a host-wide value read-only (net.core.rmem_max): those can only be set on the host"
                : string.Empty;

    /// <summary>
    /// What to do when /proc/sys is mounted read-only (EROFS), as it is in every container that
    /// is not privileged: set the key when the container starts, or on the host.
    /// </summary>
    public static string ReadOnlyFileSystem(SysctlKey key, string? value)
    {
        string shown = value ?? "VALUE";
        string assignment = $"{key.Name}={shown}";
        string quoted = shown.Any(char.IsWhiteSpace) ? $"'{assignment}'" : assignment;
        string host = $"sysctl -w {quoted}, or a file in /etc/sysctl.d";
        if (!key.IsPerNetworkNamespace)
        {
            return $"/proc/sys is mounted read-only here, as container engines mount it in every container that is not privileged; {key.Name} is shared by the whole host, so set it on the host ({host})";
        }
        return "/proc/sys is mounted read-only here, as container engines mount it in every container that is not privileged (CAP_NET_ADMIN does not change that): "
            + $"set the key when the container starts, with docker run --sysctl {quoted} or a pod's securityContext.sysctls (name: {key.Name}, value: \"{shown}\"; "
            + "the kubelet must allow it with --allowed-unsafe-sysctls unless Kubernetes lists it as safe); "
            + $"a container that shares the host's network (--network host, hostNetwork: true) uses the host's value: set it on the host ({host})";
    }
}
