using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Conntrack.Internal;
using Netfilter.Net.Netlink;
using Netfilter.Net.Tests.Support;

namespace Netfilter.Net.Tests.Conntrack;

/// <summary>
/// Decoding what the kernel sent conntrack(8), captured with strace (Captures/conntrack/*.txt,
/// each with its command). The entries are those native-tests/capture/capture-conntrack.sh creates.
/// </summary>
public sealed class ConntrackCaptureDecodeTests
{
    internal static List<ConntrackEntry> DecodeReplies(CaptureFile capture)
    {
        var entries = new List<ConntrackEntry>();
        foreach (byte[] datagram in capture.Replies)
        {
            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryRead(out NetlinkMessage message))
            {
                if (message.Type >= NetlinkMessageType.MinType)
                {
                    entries.Add(ConntrackEntryDecoder.Decode(message));
                }
            }
        }
        return entries;
    }

    [Fact]
    public void A_captured_table_dump_decodes_into_the_entries_the_capture_created()
    {
        CaptureFile capture = CaptureFile.Load("conntrack/dump.txt");
        capture.Command.Should().Be("conntrack -L");
        List<ConntrackEntry> entries = DecodeReplies(capture);
        entries.Should().HaveCount(6, "conntrack -L reported 6 flow entries");

        ConntrackEntry forward = entries.Single(e => e.Original.DestinationPort == 2222);
        forward.Original.Should().Be(ConntrackTuple.Tcp(IPAddress.Parse("10.0.1.2"), 40000, IPAddress.Parse("10.0.1.1"), 2222));
        forward.Reply.Should().Be(ConntrackTuple.Tcp(IPAddress.Parse("10.0.2.2"), 22, IPAddress.Parse("10.0.2.1"), 40000));
        forward.ProtocolInfo.Should().BeOfType<TcpConntrackInfo>().Which.State.Should().Be(TcpConntrackState.Established);
        forward.Mark.Should().Be(7);
        forward.Status.Should().HaveFlag(ConntrackStatus.SeenReply).And.HaveFlag(ConntrackStatus.Assured).And.HaveFlag(ConntrackStatus.Confirmed);
        forward.Translation!.ToString().Should().Be("10.0.1.2:40000 -> 10.0.1.1:2222 was sent to 10.0.2.2:22 from 10.0.2.1:40000");
        forward.Synproxy.Should().Be(new ConntrackSynproxy(0, 0, 0));
        forward.OtherAttributes.Should().BeEmpty();

        ConntrackEntry udp = entries.Single(e => e.Original.DestinationPort == 53);
        udp.Protocol.Should().Be(ProtocolType.Udp);
        udp.Mark.Should().Be(0x10);
        udp.Status.Should().NotHaveFlag(ConntrackStatus.SeenReply);
        udp.Translation.Should().BeNull();

        ConntrackEntry v6 = entries.Single(e => e.Family == NetfilterFamily.IPv6);
        v6.Original.Should().Be(ConntrackTuple.Tcp(IPAddress.Parse("fd01::2"), 41000, IPAddress.Parse("fd02::2"), 80));
        v6.ProtocolInfo.Should().BeOfType<TcpConntrackInfo>().Which.State.Should().Be(TcpConntrackState.SynSent);

        ConntrackEntry icmp = entries.Single(e => e.Protocol == ProtocolType.Icmp);
        icmp.Original.Should().Be(ConntrackTuple.Icmp(IPAddress.Parse("10.0.1.2"), IPAddress.Parse("10.0.2.2"), 8, 0, 77));
        icmp.Reply.IcmpType.Should().Be(0, "the reply of an echo request is an echo reply");

        ConntrackEntry zoned = entries.Single(e => e.Zone == 7);
        zoned.Original.Should().Be(ConntrackTuple.Udp(IPAddress.Parse("10.0.3.3"), 1000, IPAddress.Parse("10.0.3.4"), 2000));

        // The redirected loopback connection: closed, with counters and a start timestamp.
        ConntrackEntry redirected = entries.Single(e => e.Original.DestinationPort == 8080);
        redirected.Translation!.ToString().Should().Be($"127.0.0.1:{redirected.Original.SourcePort} -> 127.0.0.1:8080 was sent to 127.0.0.1:9090");
        redirected.Status.Should().HaveFlag(ConntrackStatus.DestinationNat);
        redirected.OriginalCounters!.Value.Packets.Should().BeGreaterThan(0);
        redirected.ReplyCounters!.Value.Bytes.Should().BeGreaterThan(0);
        redirected.Started.Should().NotBeNull();
        redirected.Started!.Value.Year.Should().BeGreaterThan(2000);

        entries.Should().OnlyContain(e => e.Id != null && e.Use == 1 && e.Timeout != null);
    }

    [Fact]
    public void Every_captured_reply_decodes_without_loss()
    {
        foreach (string name in new[] { "dump", "dump-extended", "dump-ipv6", "dump-mark", "dump-tcp-dport", "dump-zone", "dump-status", "get", "update-mark", "delete" })
        {
            CaptureFile capture = CaptureFile.Load($"conntrack/{name}.txt");
            List<ConntrackEntry> entries = DecodeReplies(capture);
            entries.Should().NotBeEmpty(name);
            entries.Should().OnlyContain(e => e.OtherAttributes.Count == 0, $"{name}: every attribute the kernel sends is modelled");
        }
    }

    [Fact]
    public void Kernel_filtered_dumps_hold_only_matching_entries()
    {
        DecodeReplies(CaptureFile.Load("conntrack/dump-mark.txt")).Should().OnlyContain(e => e.Mark == 7).And.NotBeEmpty();
        DecodeReplies(CaptureFile.Load("conntrack/dump-status.txt")).Should().OnlyContain(e => (e.Status & ConntrackStatus.Assured) != 0).And.NotBeEmpty();
        DecodeReplies(CaptureFile.Load("conntrack/dump-ipv6.txt")).Should().OnlyContain(e => e.Family == NetfilterFamily.IPv6).And.NotBeEmpty();
    }

    [Fact]
    public void Captured_statistics_decode()
    {
        CaptureFile count = CaptureFile.Load("conntrack/count.txt");
        var reader = new NetlinkMessageReader(count.Replies.Single());
        reader.TryRead(out NetlinkMessage message).Should().BeTrue();
        ConntrackStatistics global = ConntrackStatisticsDecoder.DecodeGlobal(message);
        global.Should().Be(new ConntrackStatistics(6, 262144));

        var cpus = new List<ConntrackCpuStatistics>();
        foreach (byte[] datagram in CaptureFile.Load("conntrack/stats-cpu.txt").Replies)
        {
            var r = new NetlinkMessageReader(datagram);
            while (r.TryRead(out NetlinkMessage m))
            {
                if (m.Type >= NetlinkMessageType.MinType)
                {
                    cpus.Add(ConntrackStatisticsDecoder.DecodeCpu(m));
                }
            }
        }
        cpus.Select(c => c.Cpu).Should().Equal(0, 1);
        cpus.Sum(c => c.Insert).Should().BeGreaterThan(0);
    }

    [Fact]
    public void A_destroy_event_and_a_new_event_are_told_apart_by_type_and_flags()
    {
        // The dump's entry message, re-typed as the kernel's events are (ctnetlink_conntrack_event).
        byte[] datagram = CaptureFile.Load("conntrack/get.txt").Replies.First();
        byte[] asNew = (byte[])datagram.Clone();
        asNew[4] = CtnlMessageType.New;
        ushort createExcl = (ushort)(NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl);
        asNew[6] = (byte)createExcl;
        asNew[7] = (byte)(createExcl >> 8);
        Decode(asNew).Type.Should().Be(ConntrackEventType.New);
        byte[] asUpdate = (byte[])datagram.Clone();
        asUpdate[6] = 0;
        asUpdate[7] = 0;
        Decode(asUpdate).Type.Should().Be(ConntrackEventType.Update);
        byte[] asDestroy = (byte[])asUpdate.Clone();
        asDestroy[4] = CtnlMessageType.Delete;
        ConntrackEvent destroy = Decode(asDestroy);
        destroy.Type.Should().Be(ConntrackEventType.Destroy);
        destroy.Entry!.Original.DestinationPort.Should().Be(2222);

        static ConntrackEvent Decode(byte[] bytes)
        {
            var reader = new NetlinkMessageReader(bytes);
            reader.TryRead(out NetlinkMessage m).Should().BeTrue();
            ConntrackEventDecoder.TryDecode(m, out ConntrackEvent? e).Should().BeTrue();
            return e!;
        }
    }
}
