namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>
/// The unit the runner gives one source namespace: an upstream .t file, or a [group] of our
/// corpus. <see cref="Items"/> holds <see cref="CorpusSetup"/> and <see cref="CorpusStep"/> in
/// file order (upstream files declare sets between rules).
/// </summary>
/// <param name="Name">"ip/sets.t" or "rules.txt [nat]".</param>
/// <param name="Tables">Every table the group creates, as (family, name): flushed before each step.</param>
/// <param name="Items">Setups and steps, in order.</param>
internal sealed record CorpusGroup(string Name, IReadOnlyList<(string Family, string Table)> Tables, IReadOnlyList<object> Items)
{
    /// <summary>The steps only.</summary>
    public IEnumerable<CorpusStep> Steps => Items.OfType<CorpusStep>();

    /// <summary>The number of cases (step × target).</summary>
    public int CaseCount => Steps.Sum(s => s.Targets.Count);
}
