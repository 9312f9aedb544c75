namespace Netfilter.Net.NativeTests.Reliability;

/// <summary>
/// One invalid nfnet invocation of the bad-input suite: the arguments (run with --netns of the
/// suite's namespace unless <see cref="OwnNamespace"/>), the exit code it must end with, and
/// what its one error line must name (the option, argument or file at fault). Placeholders in
/// the arguments and in <see cref="Names"/>: <c>{file}</c> is a file holding <see cref="File"/>,
/// <c>{dir}</c> a directory, <c>{host:KEY}</c> the current value of a sysctl of the host (read,
/// never written: a case that must be refused writes back what is there).
/// </summary>
public sealed record CliCase(string Id, int Exit, string Names, string[] Args)
{
    /// <summary>The defect whose fix another branch brings ("D8"): the case is listed, and skipped with that reason until the marker is lifted.</summary>
    public string? Pending { get; init; }

    /// <summary>Standard input for the command (restore -).</summary>
    public string? Stdin { get; init; }

    /// <summary>The content of <c>{file}</c>.</summary>
    public string? File { get; init; }

    /// <summary>The arguments carry their own --netns (or none): the suite's namespace must not change either, nor the host's ruleset.</summary>
    public bool OwnNamespace { get; init; }

    /// <summary>A refused command (exit 2) with its one line naming <paramref name="names"/>.</summary>
    public static CliCase Usage(string id, string names, params string[] args) => new(id, 2, names, args);

    /// <summary>A command that ran and failed (exit 1) with its one line naming <paramref name="names"/>.</summary>
    public static CliCase Failure(string id, string names, params string[] args) => new(id, 1, names, args);

    public override string ToString() => Id;
}
