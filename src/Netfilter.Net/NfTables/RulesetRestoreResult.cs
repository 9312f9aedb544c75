namespace Netfilter.Net.NfTables;

/// <summary>What <see cref="RulesetDocument.RestoreAsync"/> applied, in one transaction.</summary>
/// <param name="Restored">What the document held, and so what the kernel now holds of it; its generation is the one the document was saved at.</param>
/// <param name="ReplacedTables">How many of the document's tables existed and were deleted before they were recreated.</param>
/// <param name="Operations">How many operations the transaction had (0 when the document held no table, and nothing was sent).</param>
public sealed record RulesetRestoreResult(RulesetSummary Restored, int ReplacedTables, int Operations);
