using System.Net;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Conntrack.Internal;
using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Support;

namespace Netfilter.Net.Tests.Conntrack;

/// <summary>
/// The requests we build against what conntrack(8) sent for the same operation (captures in
/// Captures/conntrack, command in each file). Whole messages where the tools send the same
/// thing; the tuple (and the changed attribute) where conntrack adds what we do not need.
/// </summary>
public sealed class ConntrackRequestBytesTests
{
    private static byte[] Build(Action<NetlinkWriter> write)
    {
        using var writer = new NetlinkWriter();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] FirstRequest(string capture) => CaptureFile.Load($"conntrack/{capture}.txt").Requests.First();

    private static ConntrackKernelFilter Plan(ConntrackFilter? filter) => ConntrackKernelFilter.Plan(filter, ConntrackKernelFeatures.All, forFlush: false);

    [Theory]
    [InlineData("dump", null)]
    [InlineData("dump-ipv6", "ipv6")]
    [InlineData("dump-mark", "mark7")]
    [InlineData("dump-status", "assured")]
    public void Dump_requests_equal_conntrack_L(string capture, string? filterName)
    {
        ConntrackFilter? filter = filterName switch
        {
            "ipv6" => new ConntrackFilter { Family = NetfilterFamily.IPv6 },
            "mark7" => new ConntrackFilter { Mark = 7 },
            "assured" => new ConntrackFilter { Status = ConntrackStatus.Assured },
            _ => null,
        };
        byte[] ours = Build(w => ConntrackRequests.Dump(w, 1, Plan(filter), zeroCounters: false));
        NetlinkBytes.AssertSameMessage(FirstRequest(capture), ours, CaptureFile.Load($"conntrack/{capture}.txt").Command);
    }

    [Fact]
    public void Flush_and_per_cpu_statistics_requests_equal_conntrack_F_and_S()
    {
        NetlinkBytes.AssertSameMessage(FirstRequest("flush"), Build(w => ConntrackRequests.Flush(w, 1, Plan(null))), "conntrack -F");
        NetlinkBytes.AssertSameMessage(FirstRequest("stats-cpu"), Build(w => ConntrackRequests.GetCpuStatistics(w, 1)), "conntrack -S");
        NetlinkBytes.AssertSameMessage(FirstRequest("dump-expect"), Build(w => ConntrackRequests.DumpExpectations(w, 1, NetfilterFamily.IPv4)), "conntrack -L expect");
        NetlinkBytes.AssertSameMessage(FirstRequest("flush-expect"), Build(w => ConntrackRequests.FlushExpectations(w, 1, NetfilterFamily.IPv4)), "conntrack -F expect");
    }

    [Fact]
    public void Global_statistics_request_differs_from_conntrack_C_only_by_asking_for_an_ack()
    {
        // conntrack -C sends IPCTNL_MSG_CT_GET_STATS without NLM_F_ACK; we ask for one so a
        // refusal is an error reply, never a silent wait.
        byte[] theirs = FirstRequest("count");
        byte[] ours = Build(w => ConntrackRequests.GetStatistics(w, 1));
        theirs[6] |= (byte)NetlinkMessageFlags.Ack;
        NetlinkBytes.AssertSameMessage(theirs, ours, "conntrack -C plus NLM_F_ACK");
    }

    [Fact]
    public void Create_request_equals_conntrack_I()
    {
        // conntrack -I -p tcp -s 192.0.2.1 -d 192.0.2.2 --sport 1111 --dport 2222 --state ESTABLISHED -t 100 -u SEEN_REPLY -m 5
        var entry = new ConntrackEntry(ConntrackTuple.Tcp(IPAddress.Parse("192.0.2.1"), 1111, IPAddress.Parse("192.0.2.2"), 2222))
        {
            ProtocolInfo = new TcpConntrackInfo { State = TcpConntrackState.Established },
            Status = ConntrackStatus.SeenReply,
            Timeout = TimeSpan.FromSeconds(100),
            Mark = 5,
        };
        NetlinkBytes.AssertSameMessage(FirstRequest("create"), Build(w => ConntrackRequests.Create(w, 1, entry)), "conntrack -I");
    }

    [Fact]
    public void Get_update_and_delete_name_the_entry_with_the_tuple_conntrack_sends()
    {
        var tuple = ConntrackTuple.Tcp(IPAddress.Parse("10.0.1.2"), 40000, IPAddress.Parse("10.0.1.1"), 2222);
        byte[] get = Build(w => ConntrackRequests.Get(w, 1, tuple, 0));
        NetlinkMessageHeader.Read(get).Flags.Should().Be(NetlinkMessageHeader.Read(FirstRequest("get")).Flags);
        NetlinkBytes.AssertSameAttribute(NetlinkBytes.Attributes(FirstRequest("get"))[CtaAttribute.TupleOriginal], NetlinkBytes.Attributes(get)[CtaAttribute.TupleOriginal], "conntrack -G tuple");

        var created = ConntrackTuple.Tcp(IPAddress.Parse("192.0.2.1"), 1111, IPAddress.Parse("192.0.2.2"), 2222);
        // conntrack -U and -D dump first, then send one request per entry: the second request.
        byte[] theirUpdate = CaptureFile.Load("conntrack/update-mark.txt").Requests.ElementAt(1);
        byte[] ourUpdate = Build(w => ConntrackRequests.Update(w, 1, created, 0, new ConntrackUpdate { Mark = 9 }));
        NetlinkMessageHeader.Read(ourUpdate).Type.Should().Be(NetlinkMessageHeader.Read(theirUpdate).Type);
        NetlinkMessageHeader.Read(ourUpdate).Flags.Should().Be(NetlinkMessageHeader.Read(theirUpdate).Flags);
        NetlinkBytes.AssertSameAttribute(NetlinkBytes.Attributes(theirUpdate)[CtaAttribute.TupleOriginal], NetlinkBytes.Attributes(ourUpdate)[CtaAttribute.TupleOriginal], "conntrack -U tuple");
        NetlinkBytes.AssertSameAttribute(NetlinkBytes.Attributes(theirUpdate)[CtaAttribute.Mark], NetlinkBytes.Attributes(ourUpdate)[CtaAttribute.Mark], "conntrack -U -m 9");

        byte[] theirDelete = CaptureFile.Load("conntrack/delete.txt").Requests.ElementAt(1);
        byte[] ourDelete = Build(w => ConntrackRequests.Delete(w, 1, created, 0, null));
        NetlinkMessageHeader.Read(ourDelete).Type.Should().Be(NetlinkMessageHeader.Read(theirDelete).Type);
        NetlinkMessageHeader.Read(ourDelete).Flags.Should().Be(NetlinkMessageHeader.Read(theirDelete).Flags);
        NetlinkBytes.AssertSameAttribute(NetlinkBytes.Attributes(theirDelete)[CtaAttribute.TupleOriginal], NetlinkBytes.Attributes(ourDelete)[CtaAttribute.TupleOriginal], "conntrack -D tuple");
    }

    [Fact]
    public void A_tuple_filter_is_a_CTA_FILTER_with_host_order_flags_and_only_the_compared_fields()
    {
        var filter = new ConntrackFilter { Protocol = System.Net.Sockets.ProtocolType.Tcp, OriginalDestination = IPAddress.Parse("10.0.1.1"), OriginalDestinationPort = 2222 };
        byte[] ours = Build(w => ConntrackRequests.Dump(w, 1, Plan(filter), zeroCounters: false));
        // nlmsghdr, nfgenmsg AF_INET, CTA_TUPLE_ORIG { CTA_TUPLE_IP { V4_DST }, CTA_TUPLE_PROTO { NUM 6, DST_PORT 2222 } },
        // CTA_FILTER { ORIG_FLAGS = IP_DST|PROTO_NUM|DST_PORT (0x2a, host order), REPLY_FLAGS = 0 }.
        Convert.ToHexString(ours.AsSpan(16)).Should().Be(
            "02000000" +
            "24000180" + "0C000180" + "08000200" + "0A000101" + "14000280" + "05000100" + "06000000" + "06000300" + "08AE0000" +
            "14001980" + "08000100" + "2A000000" + "08000200" + "00000000");
        Plan(filter).IsComplete.Should().BeTrue();
        ConntrackKernelFilter.Plan(filter, ConntrackKernelFeatures.All, forFlush: true).IsComplete.Should().BeTrue("Linux 6.12 flushes by CTA_FILTER");
        ConntrackKernelFilter.Plan(filter, new ConntrackKernelFeatures(new Version(6, 11)), forFlush: true).IsComplete.Should().BeFalse("before 6.12 a flush with CTA_FILTER is refused");
        ConntrackKernelFilter.Plan(filter, ConntrackKernelFeatures.None, forFlush: false).SendsFilter.Should().BeFalse();
    }

    [Fact]
    public void A_flush_never_sends_a_filter_the_kernel_would_ignore()
    {
        var zone = new ConntrackFilter { Zone = 3 };
        ConntrackKernelFilter.Plan(zone, new ConntrackKernelFeatures(new Version(6, 7)), forFlush: true).IsComplete.Should().BeFalse("CTA_ZONE flush filters came in 6.8");
        ConntrackKernelFilter.Plan(zone, new ConntrackKernelFeatures(new Version(6, 8)), forFlush: true).IsComplete.Should().BeTrue();
        var status = new ConntrackFilter { Status = ConntrackStatus.Assured };
        ConntrackKernelFilter.Plan(status, new ConntrackKernelFeatures(new Version(5, 14)), forFlush: true).IsComplete.Should().BeFalse();
        var v6 = new ConntrackFilter { OriginalSource = IPAddress.Parse("fd01::2") };
        ConntrackKernelFilter.Plan(v6, ConntrackKernelFeatures.All, forFlush: true).IsComplete.Should().BeFalse("the kernel's IPv6 address comparison is inverted");
        ConntrackKernelFilter.Plan(new ConntrackFilter { Zone = 0 }, ConntrackKernelFeatures.All, forFlush: true).IsComplete.Should().BeFalse("zone 0 means 'no zone filter' to the kernel");

        // A family flush needs nfgenmsg version 1 (ctnetlink_del_conntrack).
        byte[] flush4 = Build(w => ConntrackRequests.Flush(w, 1, ConntrackKernelFilter.Plan(new ConntrackFilter { Family = NetfilterFamily.IPv4 }, ConntrackKernelFeatures.All, forFlush: true)));
        flush4[16].Should().Be((byte)NetfilterFamily.IPv4);
        flush4[17].Should().Be(1);
    }
}
