using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.NfTables.Expressions;

/// <summary>
/// Every capture in Golden/nftables, both paths: the bytes decode into typed expressions (none
/// unknown), render exactly nft's debug lines, and re-encode without losing an attribute (byte
/// for byte on the add path). The per-expression test classes add the hand-written models.
/// </summary>
public sealed class GoldenCaptureTests
{
    public static IEnumerable<object[]> Names() => NftGoldenFile.AllNames().Select(n => new object[] { n });

    [Fact]
    public void The_golden_directory_holds_the_captures()
    {
        NftGoldenFile.AllNames().Should().HaveCountGreaterThan(90, "capture-nft-expressions.py writes one file per case");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Add_path_decodes_renders_and_reencodes_byte_for_byte(string name)
    {
        NftGoldenFile golden = NftGoldenFile.Load(name);
        golden.Add.Elements.Should().NotBeEmpty();
        golden.Add.Elements.Should().HaveSameCount(golden.Add.DebugLines);
        ExpressionGolden.DecodesAndRendersExactly(name, golden.Add);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void List_path_decodes_renders_and_loses_nothing(string name)
    {
        NftGoldenFile golden = NftGoldenFile.Load(name);
        golden.List.Elements.Should().HaveSameCount(golden.List.DebugLines);
        ExpressionGolden.ListPath(name);
    }
}
