namespace Netfilter.Net.Diagnostics;

/// <summary>
/// One thing the <see cref="Doctor"/> found: how much it matters, what is wrong, why that breaks
/// the forward or redirect, and what fixes it.
/// </summary>
/// <param name="Severity">How much it matters.</param>
/// <param name="Code">A stable, machine-readable name of the check (see <see cref="DoctorCodes"/>).</param>
/// <param name="Problem">What is wrong, in one sentence that names the rule, port, key or interface.</param>
/// <param name="Why">Why that stops connections (what the kernel does).</param>
/// <param name="Fix">The command (<c>nfnet ...</c>) or library call that fixes it.</param>
public sealed record DoctorFinding(DoctorSeverity Severity, string Code, string Problem, string Why, string Fix)
{
    /// <summary>The canonical text of the typed rule the finding is about (as <c>nfnet list</c> shows it), or null when it is about the namespace.</summary>
    public string? Rule { get; init; }

    /// <summary>"error ip-forward-off: PROBLEM" followed by the why and the fix on their own lines.</summary>
    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()} {Code}: {Problem}\n  why: {Why}\n  fix: {Fix}";
}
