using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Conntrack.Internal;
using Netfilter.Net.Netlink;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Conntrack;

/// <summary>Create, get, update, delete one, delete by filter and flush, checked with conntrack(8) before and after.</summary>
public sealed class ConntrackEditTests
{
    [NativeFact]
    public async Task Create_get_update_and_delete_one_entry_as_conntrack_sees_it()
    {
        using var ns = new TestNamespace("ctedit");
        // Entries get label storage only once something in the namespace sets labels.
        ns.NftScript("table ip t {\n  chain out {\n    type filter hook output priority 0; policy accept;\n    ct label set 127\n  }\n}\n");
        using var conntrack = new ConntrackClient(ns.Namespace);
        var entry = new ConntrackEntry(ConntrackTuple.Tcp(IPAddress.Parse("192.0.2.1"), 1111, IPAddress.Parse("192.0.2.2"), 2222))
        {
            ProtocolInfo = new TcpConntrackInfo { State = TcpConntrackState.Established },
            Status = ConntrackStatus.SeenReply,
            Timeout = TimeSpan.FromSeconds(100),
            Mark = 5,
            Labels = ConntrackLabels.FromBits(3),
        };
        await conntrack.CreateAsync(entry);
        Func<Task> again = () => conntrack.CreateAsync(entry);
        (await again.Should().ThrowAsync<NetlinkException>()).Which.Errno.Should().Be(Errno.EEXIST);

        ConntrackEntry? got = await conntrack.GetAsync(entry.Original);
        got.Should().NotBeNull();
        got!.Mark.Should().Be(5);
        got.ProtocolInfo.Should().BeOfType<TcpConntrackInfo>().Which.State.Should().Be(TcpConntrackState.Established);
        got.Status.Should().HaveFlag(ConntrackStatus.SeenReply).And.HaveFlag(ConntrackStatus.Confirmed);
        got.Labels.Bits.Should().Equal(3);
        // A get holds a reference while it answers (use is one higher than in a dump): compare a dump.
        ConntrackOracle.AssertSame(await conntrack.ListAsync(), ConntrackOracle.List(ns));

        (await conntrack.UpdateAsync(entry.Original, new ConntrackUpdate
        {
            Mark = 9,
            Timeout = TimeSpan.FromSeconds(500),
            Status = got.Status | ConntrackStatus.Assured,
            Labels = ConntrackLabels.FromBits(1, 70),
            LabelsMask = ConntrackLabels.FromBits(1, 3, 70),
        })).Should().BeTrue();
        ConntrackEntry updated = (await conntrack.GetAsync(entry.Original))!;
        updated.Mark.Should().Be(9);
        updated.Timeout!.Value.TotalSeconds.Should().BeInRange(495, 500);
        updated.Status.Should().HaveFlag(ConntrackStatus.Assured);
        updated.Labels.Bits.Should().Equal(1, 70);
        ConntrackOracle.AssertSame(await conntrack.ListAsync(), ConntrackOracle.List(ns));
        (await conntrack.UpdateAsync(entry.Original, new ConntrackUpdate { Mark = 0x30, MarkMask = 0xf0 })).Should().BeTrue();
        (await conntrack.GetAsync(entry.Original))!.Mark.Should().Be(0x39, "only the masked bits changed");

        var missing = ConntrackTuple.Udp(IPAddress.Parse("192.0.2.9"), 1, IPAddress.Parse("192.0.2.2"), 2);
        (await conntrack.GetAsync(missing)).Should().BeNull();
        (await conntrack.UpdateAsync(missing, new ConntrackUpdate { Mark = 1 })).Should().BeFalse();
        (await conntrack.DeleteAsync(missing)).Should().BeFalse();

        (await conntrack.DeleteAsync(updated with { Id = updated.Id + 1 })).Should().BeFalse("the id names another entry");
        (await conntrack.DeleteAsync(updated)).Should().BeTrue();
        ConntrackOracle.List(ns).Should().BeEmpty();
    }

    [NativeFact]
    public async Task Bad_input_is_refused_before_anything_is_sent()
    {
        using var ns = new TestNamespace("ctbad");
        using var conntrack = new ConntrackClient(ns.Namespace);
        var noPorts = new ConntrackTuple(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), ProtocolType.Tcp);
        (await FluentActions.Awaiting(() => conntrack.GetAsync(noPorts)).Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("original");
        (await FluentActions.Awaiting(() => conntrack.CreateAsync(new ConntrackEntry(ConntrackTuple.Udp(IPAddress.Parse("10.0.0.1"), 1, IPAddress.Parse("10.0.0.2"), 2))))
            .Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("Timeout");
        (await FluentActions.Awaiting(() => conntrack.DeleteAsync(new ConntrackFilter())).Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("filter");
        FluentActions.Invoking(() => conntrack.DumpAsync(new ConntrackFilter { Mark = 0x11, MarkMask = 0x0f })).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("filter");
        (await FluentActions.Awaiting(() => conntrack.DeleteForwardAsync(ProtocolType.Icmp, null, 1)).Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("protocol");
        ConntrackOracle.List(ns).Should().BeEmpty();
    }

    public static TheoryData<string, bool> DeleteCases => new()
    {
        { "mark", true }, { "mark", false }, { "tcp-dport", true }, { "tcp-dport", false }, { "zone", true }, { "ipv6-src", true }, { "status", true },
    };

    /// <summary>
    /// Delete by filter (counted, dump + delete) and flush by filter (kernel-side where the kernel
    /// can, else dump + delete): exactly the matching entries go, every other stays.
    /// </summary>
    [NativeTheory]
    [MemberData(nameof(DeleteCases))]
    public async Task Deleting_by_filter_removes_exactly_the_matching_entries(string name, bool kernelFeatures)
    {
        ConntrackFilter filter = name switch
        {
            "mark" => new ConntrackFilter { Mark = 7 },
            "tcp-dport" => new ConntrackFilter { Protocol = ProtocolType.Tcp, OriginalDestinationPort = 443, Family = NetfilterFamily.IPv4 },
            "zone" => new ConntrackFilter { Zone = 9 },
            "ipv6-src" => new ConntrackFilter { OriginalSource = IPAddress.Parse("fd01::2") },
            "status" => new ConntrackFilter { Status = ConntrackStatus.Assured },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        foreach (bool flush in new[] { false, true })
        {
            using var ns = new TestNamespace("ctdel");
            using var conntrack = new ConntrackClient(NetlinkSocket.Open(NetlinkProtocol.Netfilter, ns.Namespace), features: kernelFeatures ? ConntrackKernelFeatures.Running : ConntrackKernelFeatures.None);
            await conntrack.CreateAsync(ConntrackFilterTests.Mixed());
            List<ConntrackToolLine> before = ConntrackOracle.List(ns);
            IReadOnlyList<ConntrackEntry> entries = await conntrack.ListAsync();
            var matching = entries.Where(filter.Matches).Select(e => e.Id).ToHashSet();
            matching.Should().NotBeEmpty();

            if (flush)
            {
                await conntrack.FlushAsync(filter);
            }
            else
            {
                (await conntrack.DeleteAsync(filter)).Should().Be(matching.Count);
            }

            List<ConntrackToolLine> after = ConntrackOracle.List(ns);
            after.Select(l => l.Id).Should().BeEquivalentTo(before.Select(l => l.Id).Where(id => !matching.Contains(id)), $"{(flush ? "flush" : "delete")} by {name} removes exactly the matches");
        }
    }

    [NativeFact]
    public async Task DeleteForward_removes_the_udp_flows_of_one_forward_so_a_new_target_takes_effect()
    {
        using var ns = new TestNamespace("ctfwd");
        using var conntrack = new ConntrackClient(ns.Namespace);
        var publicAddress = IPAddress.Parse("203.0.113.1");
        var entries = new List<ConntrackEntry>();
        for (int i = 0; i < 50; i++)
        {
            // 203.0.113.1:53 -> 10.0.2.2:53 (the forward), plus other ports and addresses.
            entries.Add(new ConntrackEntry(ConntrackTuple.Udp(Entries.Client(i), (ushort)(2000 + i), publicAddress, 53), ConntrackTuple.Udp(IPAddress.Parse("10.0.2.2"), 53, Entries.Client(i), (ushort)(2000 + i))) { Timeout = TimeSpan.FromMinutes(5) });
            entries.Add(new ConntrackEntry(ConntrackTuple.Udp(Entries.Client(i), (ushort)(2000 + i), publicAddress, 54)) { Timeout = TimeSpan.FromMinutes(5) });
            entries.Add(new ConntrackEntry(ConntrackTuple.Udp(Entries.Client(i), (ushort)(2000 + i), IPAddress.Parse("203.0.113.2"), 53)) { Timeout = TimeSpan.FromMinutes(5) });
            entries.Add(Entries.Tcp(i, dport: 53));
        }
        await conntrack.CreateAsync(entries);
        (await conntrack.DeleteForwardAsync(ProtocolType.Udp, publicAddress, 53)).Should().Be(50);
        List<ConntrackToolLine> left = ConntrackOracle.List(ns);
        left.Should().HaveCount(150);
        left.Should().NotContain(l => l.Protocol == 17 && l.Original["dst"] == "203.0.113.1" && l.Original["dport"] == "53");
        (await conntrack.DeleteForwardAsync(ProtocolType.Udp, null, 53)).Should().Be(50, "any address: the 203.0.113.2 flows");
        (await conntrack.DeleteForwardAsync(ProtocolType.Udp, null, 53)).Should().Be(0);
    }

    [NativeFact]
    public async Task Flush_empties_the_table_and_zeroing_dump_resets_counters()
    {
        using var ns = new TestNamespace("ctflush");
        ns.Check("sysctl", "-qw", "net.netfilter.nf_conntrack_acct=1");
        // A rule that uses conntrack makes the namespace track (an empty nat chain does not).
        ns.NftScript("table ip t {\n  chain out {\n    type filter hook output priority 0; policy accept;\n    ct state new counter\n  }\n}\n");
        using Socket udp = Flows.BindUdp(ns, Flows.EndPoint("127.0.0.1", 7000));
        await Flows.UdpExchangeAsync(ns, Flows.EndPoint("127.0.0.1", 7001), Flows.EndPoint("127.0.0.1", 7000), udp);
        using var conntrack = new ConntrackClient(ns.Namespace);
        var counted = new List<ConntrackEntry>();
        await foreach (ConntrackEntry e in conntrack.DumpAndZeroCountersAsync())
        {
            counted.Add(e);
        }
        counted.Should().ContainSingle().Which.OriginalCounters!.Value.Packets.Should().Be(1);
        (await conntrack.ListAsync()).Single().OriginalCounters!.Value.Packets.Should().Be(0, "the previous dump zeroed them");

        await conntrack.CreateAsync(ConntrackFilterTests.Mixed());
        ConntrackOracle.List(ns).Should().NotBeEmpty();
        await conntrack.FlushAsync();
        ConntrackOracle.List(ns).Should().BeEmpty();
        (await conntrack.GetStatisticsAsync()).Entries.Should().Be(0);
    }
}
