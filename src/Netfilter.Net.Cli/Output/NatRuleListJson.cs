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

    /// <summary>The typed rules that are whole in the kernel.</summary>
    public required IReadOnlyList<NatRuleJson> Rules { get; init; }

    /// <summary>Typed rules only part of which is in the kernel, each with what is missing or unexpected.</summary>
    public required IReadOnlyList<NatPartialRuleJson> Partial { get; init; }

    /// <summary>Whole hairpin forwards whose connected network changed (their canonical text).</summary>
    public required IReadOnlyList<string> Stale { get; init; }

    /// <summary>Pieces of the table that no typed rule accounts for, in nft's words.</summary>
    public required IReadOnlyList<string> Foreign { get; init; }

    /// <summary>What the table's layout lacks or has changed.</summary>
    public required IReadOnlyList<string> Layout { get; init; }
}

/// <summary>One partial rule of <c>nfnet list --json</c>.</summary>
internal sealed class NatPartialRuleJson
{
    /// <summary>The canonical text its pieces carry.</summary>
    public required string Text { get; init; }

    /// <summary>What is missing or unexpected, in nft's words.</summary>
    public required IReadOnlyList<string> Problems { get; init; }
}
