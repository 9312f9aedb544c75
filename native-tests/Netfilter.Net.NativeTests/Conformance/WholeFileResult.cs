namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// A group's whole-file check: its tables with everything its setup lines declared (sets,
/// elements, the catch-all included, and objects, added as nft-test.py adds them) and every rule
/// nft accepted, all at once.
/// </summary>
/// <param name="Rules">Rule placements (rule × chain) the file holds at once.</param>
/// <param name="Refused">Placements nft refused together with the others (each was accepted alone, in its own step).</param>
/// <param name="DecodeFailure">
/// (a) Null when the library's rendering of the whole ruleset, set elements included, equals
/// <c>nft --debug=netlink list ruleset</c>; otherwise the first difference.
/// </param>
/// <param name="RoundTripFailure">
/// (b) Null when the ruleset saved with <c>RulesetDocument.SaveAsync</c> and restored with
/// <c>RulesetDocument.RestoreAsync</c> into a fresh namespace lists as the source does
/// (<c>nft list ruleset</c>, expiry countdowns aside); otherwise what went wrong.
/// </param>
/// <param name="DocumentBytes">The size of the saved document.</param>
internal sealed record WholeFileResult(int Rules, int Refused, string? DecodeFailure, string? RoundTripFailure, long DocumentBytes)
{
    public bool Decodes => DecodeFailure is null;

    public bool RoundTrips => RoundTripFailure is null;
}
