using CsCheck;
using Netfilter.Net.Diagnostics;

namespace Netfilter.Net.Tests.Diagnostics;

public sealed class PortRangesTests
{
    [Fact]
    public void Union_merges_overlapping_and_adjacent_ranges_in_any_order()
    {
        PortRanges.Union(new[] { (80, 80), (1000, 2000), (81, 81), (1500, 3000), (22, 22) }).ToString().Should().Be("{ 22, 80-81, 1000-3000 }");
    }

    [Fact]
    public void Except_and_intersect_follow_the_port_conditions_nft_writes()
    {
        PortRanges all = PortRanges.All;
        all.Except(PortRanges.Of(80, 80)).ToString().Should().Be("{ 0-79, 81-65535 }", "tcp dport != 80");
        all.Intersect(PortRanges.Of(1000, 65535)).Intersect(PortRanges.Of(0, 2000)).ToString().Should().Be("1000-2000", "cmp gte 1000, cmp lte 2000");
        PortRanges.Of(80, 80).Intersect(PortRanges.Of(81, 81)).IsEmpty.Should().BeTrue();
        PortRanges.Of(1000, 2000).Covers(1500, 1600).Should().BeTrue();
        PortRanges.Of(1000, 2000).Covers(1500, 2600).Should().BeFalse();
        PortRanges.Of(1000, 2000).Overlaps(1500, 2600).Should().BeTrue();
        PortRanges.Of(1000, 2000).Overlaps(2001, 2600).Should().BeFalse();
    }

    [Fact]
    public void A_set_and_its_complement_partition_every_port()
    {
        Gen<(int, int)> range = Gen.Select(Gen.Int[0, 65535], Gen.Int[0, 300], (f, n) => (f, System.Math.Min(65535, f + n)));
        range.Array[0, 6].Sample(ranges =>
        {
            PortRanges set = PortRanges.Union(ranges);
            PortRanges rest = PortRanges.All.Except(set);
            set.Intersect(rest).IsEmpty.Should().BeTrue();
            PortRanges.Union(set.Ranges.Concat(rest.Ranges)).IsAll.Should().BeTrue();
            foreach ((int f, int l) in ranges)
            {
                set.Covers(f, l).Should().BeTrue();
                rest.Overlaps(f, l).Should().BeFalse();
            }
        }, iter: 500);
    }
}
