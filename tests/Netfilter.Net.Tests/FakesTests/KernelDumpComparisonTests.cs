using Netfilter.Net.Tests.Fakes;

namespace Netfilter.Net.Tests.FakesTests;

/// <summary>The comparison the list-path golden checks rely on tolerates only what it says it does.</summary>
public sealed class KernelDumpComparisonTests
{
    // fib as nft sends it: FLAGS 2, RESULT 3, DREG 1; and as the kernel dumps it: DREG, RESULT, FLAGS.
    private const string Ours = "0800030000000002" + "0800020000000003" + "0800010000000001";
    private const string Kernel = "0800010000000001" + "0800020000000003" + "0800030000000002";

    [Fact]
    public void Order_is_not_a_difference() =>
        KernelDumpComparison.Differences(Convert.FromHexString(Ours), Convert.FromHexString(Kernel)).Should().BeEmpty();

    [Fact]
    public void A_different_value_is() =>
        KernelDumpComparison.Differences(Convert.FromHexString(Ours), Convert.FromHexString(Kernel.Replace("0000000003", "0000000002", StringComparison.Ordinal)))
            .Should().HaveCount(2);

    [Fact]
    public void A_missing_attribute_is() =>
        KernelDumpComparison.Differences(Convert.FromHexString(Ours), Convert.FromHexString(Kernel + "0800040000000000"))
            .Should().ContainSingle().Which.Should().Contain("/4");

    [Fact]
    public void A_trailing_nul_is_not_but_other_lengths_are()
    {
        // objref name "cnt1" (nft) vs "cnt1\0" (kernel)
        KernelDumpComparison.Differences(Convert.FromHexString("08000200636e7431"), Convert.FromHexString("09000200636e743100000000")).Should().BeEmpty();
        KernelDumpComparison.Differences(Convert.FromHexString("08000200636e7431"), Convert.FromHexString("09000200636e743178000000")).Should().NotBeEmpty();
    }

    [Fact]
    public void Nests_compare_recursively_with_or_without_the_nested_flag()
    {
        // ours: DATA (flagged) { VALUE 01 }; the kernel: the same nest without NLA_F_NESTED.
        KernelDumpComparison.Differences(Convert.FromHexString("0c00038005000100" + "01000000"), Convert.FromHexString("0c00030005000100" + "01000000")).Should().BeEmpty();
        KernelDumpComparison.Differences(Convert.FromHexString("0c00038005000100" + "01000000"), Convert.FromHexString("0c00030005000100" + "02000000")).Should().NotBeEmpty();
    }
}
