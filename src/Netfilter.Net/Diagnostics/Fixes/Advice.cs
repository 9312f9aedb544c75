using System.Net.Sockets;
using Netfilter.Net.Nat;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// The pieces the checks write their advice with: typed fixes for the namespace and table the
/// doctor examined, and the library calls named in the words. How a tool writes a fix (nfnet's
/// command lines) is the tool's business, not the library's.
/// </summary>
internal static class Advice
{
    /// <summary>The library's namespace argument: <c>NetworkNamespace.FromName("router")</c> or <c>null</c>.</summary>
    public static string Namespace(DoctorFacts facts) => facts.NamespaceName is string name ? $"NetworkNamespace.FromName(\"{name}\")" : "null";

    /// <summary>Another table (named OTHER, for the user to choose) in the namespace examined, to use instead.</summary>
    public static NatTableScope OtherTable(DoctorFacts facts) => new("OTHER", facts.NamespaceName) { Action = NatTableAction.Open };

    /// <summary>Another table (named OTHER, for the user to choose) in the namespace examined, for the doctor to examine.</summary>
    public static NatTableScope Examine(DoctorFacts facts) => new("OTHER", facts.NamespaceName) { Action = NatTableAction.Examine };

    /// <summary>Add a typed rule (the user's choice) to the table examined.</summary>
    public static NatTableScope AddRule(DoctorFacts facts) => new(facts.Table, facts.NamespaceName) { Action = NatTableAction.AddRule };

    /// <summary>Apply the rules the user wants to the table examined.</summary>
    public static NatTableScope Apply(DoctorFacts facts) => new(facts.Table, facts.NamespaceName) { Action = NatTableAction.ApplyRules };

    /// <summary>List the typed rules of the table examined.</summary>
    public static NatTableScope List(DoctorFacts facts) => new(facts.Table, facts.NamespaceName) { Action = NatTableAction.ListRules };

    /// <summary>Set <paramref name="key"/> to <paramref name="value"/> in the namespace examined.</summary>
    public static SetSysctlFix Sysctl(DoctorFacts facts, string key, string value) => new(key, value) { NamespaceName = facts.NamespaceName };

    /// <summary>Turn forwarding on for <paramref name="family"/> in the namespace examined.</summary>
    public static EnableForwardingFix Forwarding(DoctorFacts facts, NetfilterFamily family) => new(family) { NamespaceName = facts.NamespaceName };

    /// <summary>Add <paramref name="rule"/> to the table examined.</summary>
    public static AddNatRuleFix Add(DoctorFacts facts, NatRule rule) => new(facts.Table, rule) { NamespaceName = facts.NamespaceName };

    /// <summary>Remove <paramref name="rule"/> from the table examined.</summary>
    public static RemoveNatRuleFix Remove(DoctorFacts facts, NatRule rule) => new(facts.Table, rule) { NamespaceName = facts.NamespaceName };

    /// <summary>
    /// The fix that sets a sysctl: <paramref name="usual"/>, or, where /proc/sys is read-only (a
    /// container), the container-level way, since the usual one would fail there with EROFS.
    /// </summary>
    public static DoctorFixText SysctlFix(DoctorFacts facts, string key, string value, DoctorFixText usual) => facts.SysctlsReadOnly
        ? usual.Within("/proc/sys is read-only here (a container that is not privileged), so ",
            $" would fail: set {key}={value} when the container starts (docker run --sysctl {key}={value}, or the pod's securityContext.sysctls), or on the host if this is the host's namespace.")
        : usual;

    /// <summary>The library call that removes a typed rule.</summary>
    public static string RemoveCall(NatRule rule) => $"NatTable.RemoveAsync(NatRuleParser.Parse(\"{rule}\"))";

    /// <summary>"IPv4" or "IPv6".</summary>
    public static string Family(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
}
