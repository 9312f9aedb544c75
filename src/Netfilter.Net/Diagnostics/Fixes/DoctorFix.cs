namespace Netfilter.Net.Diagnostics;

/// <summary>
/// One change that fixes what a <see cref="DoctorFinding"/> found, as data: what to change and
/// where, so a program can make the call itself (the subclasses name the library call) and a tool
/// can show it in its own syntax (nfnet renders each as a command line).
/// </summary>
/// <remarks>
/// The kinds are the ones the doctor's checks give today: <see cref="SetSysctlFix"/>,
/// <see cref="EnableForwardingFix"/>, <see cref="AddNatRuleFix"/> and <see cref="RemoveNatRuleFix"/>.
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
}
