namespace Netfilter.Net.Hosting;

/// <summary>
/// The names of the hosting package's metrics (System.Diagnostics.Metrics): the meter, its
/// instruments and their tags. Listen with <c>dotnet-counters monitor --counters Netfilter.Net</c>,
/// a <see cref="System.Diagnostics.Metrics.MeterListener"/>, or OpenTelemetry's <c>AddMeter("Netfilter.Net")</c>.
/// </summary>
/// <remarks>
/// Every NAT instrument carries <see cref="TableTag"/> and, for a table in a named namespace,
/// <see cref="NamespaceTag"/>; the conntrack instruments carry <see cref="NamespaceTag"/> for a named
/// namespace. Conntrack is sampled for the namespaces of the hosted tables only, and only while
/// someone listens.
/// </remarks>
public static class NetfilterMetrics
{
    /// <summary>The meter: <c>Netfilter.Net</c>.</summary>
    public const string MeterName = "Netfilter.Net";

    /// <summary>Observable gauge, {rule}: the rules a hosted table holds after its last successful apply.</summary>
    public const string NatRules = "netfilter.nat.rules";

    /// <summary>Counter, {apply}: successful applies (one per start, change or periodic pass), with <see cref="ChangedTag"/> saying whether anything was sent.</summary>
    public const string NatApplies = "netfilter.nat.applies";

    /// <summary>Counter, {apply}: applies that failed (each try counts), with <see cref="ErrorTypeTag"/> (the exception's type name).</summary>
    public const string NatApplyFailures = "netfilter.nat.apply_failures";

    /// <summary>Counter, {rule}: rules added by applies (a rule whose options changed counts as removed and added).</summary>
    public const string NatRulesAdded = "netfilter.nat.rules_added";

    /// <summary>Counter, {rule}: rules removed by applies.</summary>
    public const string NatRulesRemoved = "netfilter.nat.rules_removed";

    /// <summary>Observable gauge, {entry}: conntrack entries in the namespace (a sample at most <see cref="NetfilterHostingOptions.ConntrackSampleInterval"/> old).</summary>
    public const string ConntrackEntries = "netfilter.conntrack.entries";

    /// <summary>Observable gauge, {entry}: the namespace's conntrack table limit (nf_conntrack_max), from the same sample.</summary>
    public const string ConntrackMaxEntries = "netfilter.conntrack.max_entries";

    /// <summary>Counter, {event}: conntrack events seen, with <see cref="EventTag"/> (new, update, destroy). Only when <see cref="NetfilterHostingOptions.WatchConntrackEvents"/> is on.</summary>
    public const string ConntrackEvents = "netfilter.conntrack.events";

    /// <summary>Counter, {loss}: times the kernel dropped conntrack events (ENOBUFS) before the service read them. Only when <see cref="NetfilterHostingOptions.WatchConntrackEvents"/> is on.</summary>
    public const string ConntrackEventsLost = "netfilter.conntrack.events_lost";

    /// <summary>
    /// Observable counter, {packet}: what one hosted rule's counters counted since its pieces were
    /// written, with <see cref="RuleTag"/> and <see cref="RuleKindTag"/>. For redirects, forwards, snat
    /// and masquerade these are the first packets of the connections the rule translated (a nat chain
    /// sees nothing else), so: new connections; for tproxy, every packet it diverted (see
    /// <c>NatRuleStatistics</c>). Only when <see cref="NetfilterHostingOptions.RuleStatisticsInterval"/> is
    /// set; a sample at most that old. A rule without counters (a table in an earlier layout, a kernel
    /// before 5.7) reports nothing. Starts again from zero when the rule is rewritten (the instrument is
    /// cumulative: a backend sees a reset).
    /// </summary>
    public const string NatRulePackets = "netfilter.nat.rule.packets";

    /// <summary>Observable counter, By: the bytes of the packets in <see cref="NatRulePackets"/> (IP header included), from the same sample and with the same tags.</summary>
    public const string NatRuleBytes = "netfilter.nat.rule.bytes";

    /// <summary>Tag: a rule's canonical text (<c>NatRule.ToString()</c>, what <c>nfnet list</c> prints), e.g. <c>dnat tcp 2222 to 10.0.2.2:22 masquerade</c>.</summary>
    public const string RuleTag = "netfilter.rule";

    /// <summary>Tag: a rule's kind, the first word of its canonical text: redirect, dnat, snat, masquerade or tproxy.</summary>
    public const string RuleKindTag = "netfilter.rule.kind";

    /// <summary>Tag: the nftables table.</summary>
    public const string TableTag = "netfilter.table";

    /// <summary>Tag: the network namespace by name; absent for the service's own.</summary>
    public const string NamespaceTag = "netfilter.namespace";

    /// <summary>Tag: whether an apply sent a transaction (true) or found everything in place (false).</summary>
    public const string ChangedTag = "netfilter.changed";

    /// <summary>Tag: the type of the exception a failed apply threw.</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Tag: the kind of a conntrack event (new, update, destroy).</summary>
    public const string EventTag = "netfilter.event";
}
