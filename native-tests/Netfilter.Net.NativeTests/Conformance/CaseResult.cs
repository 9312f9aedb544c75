namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>How one case ended.</summary>
internal enum CaseOutcome
{
    /// <summary>Both checks held: (a) rendering equals nft's, (b) the recreated ruleset lists identically.</summary>
    Passed,

    /// <summary>A check failed, or nft rejected a rule that must be accepted.</summary>
    Failed,

    /// <summary>Our corpus: nft rejected a rule marked "needs:" (the kernel lacks the feature).</summary>
    Skipped,

    /// <summary>Upstream: the case failed and upstream-exclusions.txt gives the reason.</summary>
    Excluded,
}

/// <summary>The verdict on one case (one rule in one chain of one table).</summary>
/// <param name="Step">The rule line.</param>
/// <param name="Target">Where the rule went.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Stage">Where it failed: "nft add", "decode", "(a) rendering", "(b) recreate", "(b) listing".</param>
/// <param name="Detail">The failure (with the first differing line of both texts), or the skip/exclusion reason.</param>
/// <param name="Expressions">The kernel names of the expressions of the case's rule, as the library decoded them.</param>
/// <param name="Unmodelled">Those the library kept as UnknownExpression (not modelled yet).</param>
internal sealed record CaseResult(
    CorpusStep Step,
    CorpusTarget Target,
    CaseOutcome Outcome,
    string? Stage = null,
    string? Detail = null,
    IReadOnlyList<string>? Expressions = null,
    IReadOnlyList<string>? Unmodelled = null)
{
    /// <summary>"ip/sets.t:30 ip test-ip4 input: ip saddr @set1 drop".</summary>
    public string Title => $"{Step.Source}:{Step.Line} {Target}: {Step.Rule}";
}
