using System.Collections.Generic;

namespace Netfilter.Net.Cli.Output;

/// <summary><c>nfnet list --json</c>: the typed rules of one table, read back from the kernel.</summary>
internal sealed class NatRuleListJson
{
    /// <summary>The --netns name, or null for the current namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>The table's family: always "inet".</summary>
    public string Family { get; init; } = "inet";

    public required string Table { get; init; }

    public required IReadOnlyList<NatRuleJson> Rules { get; init; }
}
