namespace Netfilter.Net.Diagnostics;

/// <summary>The codes of <see cref="DoctorFinding"/>: stable names, one per check, for scripts and tests.</summary>
public static class DoctorCodes
{
    /// <summary>Error: nftables cannot be used in this kernel (nfnetlink or nf_tables is missing).</summary>
    public const string NfTablesUnavailable = "nftables-unavailable";

    /// <summary>Error: the process lacks CAP_NET_ADMIN over the namespace, so nothing can be read or changed.</summary>
    public const string CapNetAdminMissing = "cap-net-admin-missing";

    /// <summary>Info: the NAT table does not exist, so there is nothing to examine.</summary>
    public const string TableMissing = "table-missing";

    /// <summary>Info: the table holds no forward or redirect of the port asked about.</summary>
    public const string NoRuleForPort = "no-rule-for-port";

    /// <summary>Warning: chains, maps or fixed rules of the table were removed by hand, so some forwards are not consulted.</summary>
    public const string TableLayoutIncomplete = "table-layout-incomplete";

    /// <summary>Error: a table with the NAT table's name exists but NatTable did not make it (no "nfnet NAT table NAME layout N" comment): nfnet and NatTable refuse to change it.</summary>
    public const string TableNotOwned = "table-not-owned";

    /// <summary>Warning: the table drifted from its typed rules: a rule only partly in the kernel, pieces no typed rule accounts for (added by hand), or hairpin rules for a network the host left; Info: a layout-1 table the next change migrates.</summary>
    public const string TableDrift = "table-drift";

    /// <summary>Error: IP forwarding is off while a forward sends connections to another host.</summary>
    public const string ForwardingOff = "ip-forward-off";

    /// <summary>Error: the namespace has no route to a forward's target.</summary>
    public const string TargetUnreachable = "target-unreachable";

    /// <summary>Warning: a forward has no masquerade or SNAT, so replies return only if the server routes through this host.</summary>
    public const string NoReturnPath = "no-return-path";

    /// <summary>Error: a forward to 127.0.0.0/8 needs route_localnet on the interface clients arrive on.</summary>
    public const string RouteLocalnetOff = "route-localnet-off";

    /// <summary>Warning: route_localnet is on for every interface, exposing services bound to 127.0.0.1 (CVE-2020-8558).</summary>
    public const string RouteLocalnetExposed = "route-localnet-exposed";

    /// <summary>Error: a forward to ::1 cannot work: IPv6 never routes packets from outside to loopback.</summary>
    public const string ForwardToIPv6Loopback = "dnat-to-ipv6-loopback";

    /// <summary>Error: nothing listens on the port a redirect, local forward or tproxy rule delivers to.</summary>
    public const string TargetNotListening = "target-not-listening";

    /// <summary>Warning: the redirect's target listens on a loopback address only, which redirected connections from other hosts do not reach.</summary>
    public const string TargetListensOnLoopbackOnly = "target-loopback-only";

    /// <summary>Warning: a local process listens on a port that a forward or redirect takes over.</summary>
    public const string PublicPortInUse = "public-port-in-use";

    /// <summary>Error (certain) or Warning (possible): an earlier rule or chain drops, rejects or translates the port before our rule sees it.</summary>
    public const string RuleShadowed = "rule-shadowed";

    /// <summary>Error (certain) or Warning (possible): after translation, a filter chain on input or forward drops the connection.</summary>
    public const string BlockedAfterTranslation = "blocked-after-translation";

    /// <summary>Info: something could not be read (a sysctl, a route), so a check was skipped.</summary>
    public const string CheckSkipped = "check-skipped";
}
