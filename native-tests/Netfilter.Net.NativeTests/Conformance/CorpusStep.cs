namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// One rule line of a corpus and every place it goes: each target is one case. The runner adds
/// the rule to all targets at once (one nft transaction, after flushing the group's tables),
/// then judges each case on its own table's part of the dumps.
/// </summary>
/// <param name="Source">The corpus file (upstream: "ip/sets.t") or group (ours: "rules.txt [nat]").</param>
/// <param name="Line">The line number in that file.</param>
/// <param name="Rule">The rule text, verbatim.</param>
/// <param name="Targets">Where the rule is added.</param>
/// <param name="Needs">For our corpus: what the kernel must have; when nft rejects the rule, the case is skipped with this reason.</param>
internal sealed record CorpusStep(string Source, int Line, string Rule, IReadOnlyList<CorpusTarget> Targets, string? Needs = null);
