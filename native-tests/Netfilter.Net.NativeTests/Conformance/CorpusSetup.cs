namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// An nft script that prepares a group's source namespace (tables, chains, sets, elements,
/// objects), run when the runner reaches it, between steps.
/// </summary>
/// <param name="Source">Where it comes from (file and line), for messages.</param>
/// <param name="Script">The script for <c>nft -f -</c>.</param>
/// <param name="MustSucceed">False for upstream lines marked <c>;fail</c>: they are run as the upstream runner runs them, and their outcome is ignored.</param>
internal sealed record CorpusSetup(string Source, string Script, bool MustSucceed);
