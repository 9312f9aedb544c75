namespace Netfilter.Net.NativeTests.Conformance;

/// <summary>Where one case puts its rule: a chain of a table of a family.</summary>
/// <param name="Family">nft's family keyword: ip, ip6, inet, netdev, bridge, arp.</param>
/// <param name="Table">The table's name.</param>
/// <param name="Chain">The chain's name.</param>
internal sealed record CorpusTarget(string Family, string Table, string Chain)
{
    /// <summary>"ip test-ip4 input": the words nft's debug headers start with.</summary>
    public override string ToString() => $"{Family} {Table} {Chain}";
}
