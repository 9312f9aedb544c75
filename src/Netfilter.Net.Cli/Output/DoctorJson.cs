using System.Collections.Generic;
using Netfilter.Net.Diagnostics;

namespace Netfilter.Net.Cli.Output;

/// <summary><c>nfnet doctor --json</c>: the findings, errors first.</summary>
internal sealed class DoctorJson
{
    public string? Namespace { get; init; }

    public required string Table { get; init; }

    /// <summary>The --port examined, or null for every rule of the table.</summary>
    public int? Port { get; init; }

    public int Errors { get; init; }

    public int Warnings { get; init; }

    public required List<DoctorFindingJson> Findings { get; init; }
}

/// <summary>One finding.</summary>
internal sealed class DoctorFindingJson
{
    /// <summary>"error", "warning" or "info".</summary>
    public required string Severity { get; init; }

    /// <summary>A stable name of the check, e.g. "ip-forward-off", "target-not-listening".</summary>
    public required string Code { get; init; }

    public required string Problem { get; init; }

    public required string Why { get; init; }

    /// <summary>The nfnet command (or library call) that fixes it.</summary>
    public required string Fix { get; init; }

    /// <summary>The typed rule concerned (its canonical text), when the finding is about one.</summary>
    public string? Rule { get; init; }

    public static DoctorFindingJson From(DoctorFinding finding) => new()
    {
        Severity = DoctorText.Severity(finding.Severity),
        Code = finding.Code,
        Problem = finding.Problem,
        Why = finding.Why,
        Fix = FixCommands.Render(finding),
        Rule = finding.Rule,
    };
}

/// <summary>Names of severities in nfnet's output.</summary>
internal static class DoctorText
{
    public static string Severity(DoctorSeverity severity) => severity switch
    {
        DoctorSeverity.Error => "error",
        DoctorSeverity.Warning => "warning",
        _ => "info",
    };
}
