using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.NfTables.Objects;
using Netfilter.Net.Tests.Fakes;
using static Netfilter.Net.Tests.NfTables.Expressions.SectionExpressionGolden;

namespace Netfilter.Net.Tests.NfTables.Objects;

/// <summary>What the delete operations write equals what nft sends (Golden/nftables-sections/del*.golden).</summary>
public sealed class DeleteEncodingTests
{
    [Theory]
    [InlineData("delobj-counter-name", "cnt1", 0UL)]
    [InlineData("delobj-counter-handle", null, 5UL)]
    public void Object_delete_matches_nft(string golden, string? name, ulong handle)
    {
        // nft: TABLE, NAME or HANDLE, TYPE, and an empty NFTA_OBJ_DATA nest.
        using var writer = new NetlinkWriter(64);
        ObjectCodec.WriteReference(writer, "t", NftObjectType.Counter, name, handle);
        Hex(writer.WrittenSpan).Should().Be(Hex(SectionGoldenFile.Load($"nftables-sections/{golden}.golden").Section("add").Bytes()));
    }

    [Theory]
    [InlineData("delflowtable-name", "ft", 0UL)]
    [InlineData("delflowtable-handle", null, 7UL)]
    public void Flowtable_delete_matches_nft(string golden, string? name, ulong handle)
    {
        using var writer = new NetlinkWriter(64);
        FlowtableCodec.WriteReference(writer, "t", name, handle);
        Hex(writer.WrittenSpan).Should().Be(Hex(SectionGoldenFile.Load($"nftables-sections/{golden}.golden").Section("add").Bytes()));
    }

    [Fact]
    public void Operations_are_described_as_nft_would_write_them()
    {
        var tx = new NfTablesTransaction()
            .AddObject(new CtHelperObject(NetfilterFamily.Inet, "t", "h1", "ftp", 2, 6))
            .DeleteObject(NetfilterFamily.Inet, "t", NftObjectType.Counter, 5)
            .DestroyObject(NetfilterFamily.IPv4, "t", NftObjectType.CtExpectation, "e1")
            .AddFlowtable(new Flowtable(NetfilterFamily.Inet, "t", "ft"))
            .DeleteFlowtable(NetfilterFamily.Inet, "t", "ft");
        tx.Descriptions.Should().Equal(
            "add ct helper inet t h1",
            "delete counter inet t handle 5",
            "destroy ct expectation ip t e1",
            "add flowtable inet t ft",
            "delete flowtable inet t ft");
    }

    [Fact]
    public void A_reference_without_name_or_handle_is_refused()
    {
        FluentActions.Invoking(() => new NfTablesTransaction().DeleteObject(NetfilterFamily.Inet, "t", NftObjectType.Counter, 0UL))
            .Should().Throw<ArgumentException>().WithParameterName("handle");
        FluentActions.Invoking(() => new NfTablesTransaction().DeleteFlowtable(NetfilterFamily.Inet, "t", ""))
            .Should().Throw<ArgumentException>().WithParameterName("name");
    }
}
