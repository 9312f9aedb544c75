namespace Netfilter.Net.Diagnostics;

/// <summary>
/// One thing the <see cref="Doctor"/> found: how much it matters, what is wrong, why that breaks
/// the forward or redirect, and what fixes it.
/// </summary>
/// <param name="Severity">How much it matters.</param>
/// <param name="Code">A stable, machine-readable name of the check (see <see cref="DoctorCodes"/>).</param>
/// <param name="Problem">What is wrong, in one sentence that names the rule, port, key or interface.</param>
/// <param name="Why">Why that stops connections (what the kernel does).</param>
/// <param name="Fix">What fixes it, in words, with the library calls that do it (<see cref="FixText"/> as text).</param>
public sealed record DoctorFinding(DoctorSeverity Severity, string Code, string Problem, string Why, string Fix)
{
    /// <summary>A finding whose advice names typed changes: <see cref="Fix"/> is <paramref name="fix"/> as text.</summary>
    /// <param name="severity">How much it matters.</param>
    /// <param name="code">A stable, machine-readable name of the check (see <see cref="DoctorCodes"/>).</param>
    /// <param name="problem">What is wrong, in one sentence.</param>
    /// <param name="why">Why that stops connections.</param>
    /// <param name="fix">The advice, with the changes it names as data.</param>
    public DoctorFinding(DoctorSeverity severity, string code, string problem, string why, DoctorFixText fix)
        : this(severity, code, problem, why, (fix ?? throw new System.ArgumentNullException(nameof(fix))).ToString())
    {
        FixText = fix;
    }

    /// <summary>
    /// The advice with the changes it names as data (<see cref="DoctorFixText.Fixes"/>), for a tool
    /// to show in its own syntax; null when the advice names no change the library can make.
    /// </summary>
    public DoctorFixText? FixText { get; init; }

    /// <summary>The changes the advice names (empty when it names none): each says what to change and where, and which library call does it.</summary>
    public System.Collections.Generic.IReadOnlyList<DoctorFix> Fixes => FixText?.Fixes ?? System.Array.Empty<DoctorFix>();

    /// <summary>The canonical text of the typed rule the finding is about (as <c>nfnet list</c> shows it), or null when it is about the namespace.</summary>
    public string? Rule { get; init; }

    /// <summary>"error ip-forward-off: PROBLEM" followed by the why and the fix on their own lines.</summary>
    public override string ToString() =>
        $"{Severity.ToString().ToLowerInvariant()} {Code}: {Problem}\n  why: {Why}\n  fix: {Fix}";
}
