using Netfilter.Net.Nat;

namespace Netfilter.Net.Diagnostics;

/// <summary>
/// One change that fixes what a <see cref="DoctorFinding"/> found, as data: what to change and
/// where, so a program can make the call itself (the subclasses name the library call) and a tool
/// can show it in its own syntax (nfnet renders each as a command line).
/// </summary>
/// <remarks>
/// The kinds are the ones the doctor's checks give today: <see cref="SetSysctlFix"/>,
/// <see cref="EnableForwardingFix"/>, <see cref="AddNatRuleFix"/> and <see cref="RemoveNatRuleFix"/>;
/// <see cref="For"/> gives the same kinds for the warnings of <see cref="NatTable.ApplyAsync"/>.
/// </remarks>
public abstract record DoctorFix
{
    /// <summary>
    /// The name of the network namespace the change is for (<c>NetworkNamespace.FromName(name)</c>),
    /// or null for the namespace the doctor examined as the current one.
    /// </summary>
    public string? NamespaceName { get; init; }

    /// <summary>What the change does, in words (for example "set net.ipv4.ip_forward to 1 in namespace router").</summary>
    public abstract string Description { get; }

    /// <summary>" in namespace NAME" when the fix names a namespace, else empty.</summary>
    private protected string InNamespace => NamespaceName is string name ? " in namespace " + name : string.Empty;

    /// <summary>The <see cref="Description"/>.</summary>
    public override string ToString() => Description;

    /// <summary>
    /// The fix for a warning of <see cref="NatTable.ApplyAsync"/>: <see cref="EnableForwardingFix"/>
    /// for <see cref="NatWarningKind.ForwardingOff"/>; null for <see cref="NatWarningKind.LoopbackTarget"/>,
    /// whose fix is a choice (route_localnet on the ingress interface only, with its CVE, or a
    /// redirect instead) that the warning's words and the doctor's route-localnet finding spell out.
    /// </summary>
    /// <param name="warning">A warning from <see cref="NatApplyResult.Warnings"/>.</param>
    /// <param name="namespaceName">The namespace the table is in, by name (<see cref="NamespaceName"/>), or null for the current one.</param>
    public static DoctorFix? For(NatWarning warning, string? namespaceName = null)
    {
        System.ArgumentNullException.ThrowIfNull(warning);
        return warning.Kind == NatWarningKind.ForwardingOff ? new EnableForwardingFix(warning.Family) { NamespaceName = namespaceName } : null;
    }
}
