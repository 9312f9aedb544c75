using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Conntrack.Internal;
using Netfilter.Net.Netlink;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Conntrack;

/// <summary>
/// Kernel-side filters (what the running kernel applies) give exactly what client-side
/// filtering of the whole table gives, and what conntrack(8) lists with the same filter.
/// </summary>
public sealed class ConntrackFilterTests
{
    public static TheoryData<string> Filters => new() { "mark", "mark-mask", "status", "zone", "tcp", "tcp-dport", "orig-src", "reply-dst-udp", "ipv6", "ipv6-src", "family-ipv4" };

    private static ConntrackFilter FilterFor(string name) => name switch
    {
        "mark" => new ConntrackFilter { Mark = 7 },
        "mark-mask" => new ConntrackFilter { Mark = 0x10, MarkMask = 0xf0 },
        "status" => new ConntrackFilter { Status = ConntrackStatus.Assured },
        "zone" => new ConntrackFilter { Zone = 9 },
        "tcp" => new ConntrackFilter { Protocol = ProtocolType.Tcp },
        "tcp-dport" => new ConntrackFilter { Protocol = ProtocolType.Tcp, OriginalDestinationPort = 443 },
        "orig-src" => new ConntrackFilter { OriginalSource = IPAddress.Parse("10.0.0.3") },
        "reply-dst-udp" => new ConntrackFilter { Protocol = ProtocolType.Udp, ReplyDestination = IPAddress.Parse("10.0.0.2") },
        "ipv6" => new ConntrackFilter { Family = NetfilterFamily.IPv6 },
        "ipv6-src" => new ConntrackFilter { OriginalSource = IPAddress.Parse("fd01::2") },
        "family-ipv4" => new ConntrackFilter { Family = NetfilterFamily.IPv4 },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [NativeTheory]
    [MemberData(nameof(Filters))]
    public async Task Kernel_and_client_side_filtering_agree_with_each_other_and_with_the_whole_table(string name)
    {
        using var ns = new TestNamespace("ctf");
        using var conntrack = new ConntrackClient(ns.Namespace);
        await conntrack.CreateAsync(Mixed());
        ConntrackFilter filter = FilterFor(name);
        IReadOnlyList<ConntrackEntry> all = await conntrack.ListAsync();
        var expected = all.Where(filter.Matches).Select(e => e.Id).ToList();
        expected.Should().NotBeEmpty("each filter matches some of the mixed entries");
        expected.Count.Should().BeLessThan(all.Count, "and not all of them");

        (await conntrack.ListAsync(filter)).Select(e => e.Id).Should().BeEquivalentTo(expected, "kernel-side filter (where the kernel has it) plus client-side check");
        var streamed = new List<uint?>();
        await foreach (ConntrackEntry e in conntrack.DumpAsync(filter))
        {
            streamed.Add(e.Id);
        }
        streamed.Should().BeEquivalentTo(expected);

        // What the kernel alone returns for the planned request: when the plan says the kernel
        // applies the whole filter, its answer is already exact.
        var plan = ConntrackKernelFilter.Plan(filter, ConntrackKernelFeatures.Running, forFlush: false);
        List<ConntrackEntry> kernelOnly = await conntrack.Connection.DumpAllAsync(sequence =>
        {
            var writer = new NetlinkWriter();
            ConntrackRequests.Dump(writer, sequence, plan, zeroCounters: false);
            return writer.WrittenMemory.ToArray();
        }, "kernel-filtered dump", static (in NetlinkMessage m, out ConntrackEntry e) =>
        {
            e = ConntrackEntryDecoder.Decode(m);
            return true;
        }, 1, CancellationToken.None);
        if (plan.IsComplete)
        {
            kernelOnly.Select(e => e.Id).Should().BeEquivalentTo(expected, $"kernel {Environment.OSVersion.Version} applies the whole filter itself");
        }
        else
        {
            kernelOnly.Count.Should().BeGreaterThanOrEqualTo(expected.Count);
        }

        using var clientSideOnly = new ConntrackClient(NetlinkSocket.Open(NetlinkProtocol.Netfilter, ns.Namespace), features: ConntrackKernelFeatures.None);
        (await clientSideOnly.ListAsync(filter)).Select(e => e.Id).Should().BeEquivalentTo(expected, "a kernel without filters gets the same answer");
    }

    [NativeFact]
    public async Task The_kernel_ipv6_address_filter_is_inverted_so_the_library_keeps_it_client_side()
    {
        using var ns = new TestNamespace("ctf6");
        using var conntrack = new ConntrackClient(ns.Namespace);
        await conntrack.CreateAsync(Mixed());
        // What the kernel answers to CTA_FILTER with CTA_FILTER_F_CTA_IP_SRC and an IPv6 source:
        // ctnetlink_filter_match_tuple skips entries when !ipv6_addr_cmp(), i.e. when they are EQUAL.
        var kernelAnswer = await conntrack.Connection.DumpAllAsync(sequence =>
        {
            var writer = new NetlinkWriter();
            global::Netfilter.Net.Netfilter.NfnetlinkWriter.BeginMessage(writer, global::Netfilter.Net.Netfilter.NfnlSubsystem.Ctnetlink, CtnlMessageType.Get, NetlinkMessageFlags.Dump, sequence, NetfilterFamily.IPv6);
            using (writer.BeginNested(CtaAttribute.TupleOriginal))
            {
                TupleCodec.EncodeIp(writer, IPAddress.Parse("fd01::2"), null, includeSource: true, includeDestination: false);
            }
            using (writer.BeginNested(CtaAttribute.Filter))
            {
                writer.WriteUInt32Host(CtaFilterAttribute.OriginalFlags, CtaFilterFlags.IpSource);
                writer.WriteUInt32Host(CtaFilterAttribute.ReplyFlags, 0);
            }
            writer.EndMessage();
            return writer.WrittenMemory.ToArray();
        }, "raw ipv6 filter dump", static (in NetlinkMessage m, out ConntrackEntry e) =>
        {
            e = ConntrackEntryDecoder.Decode(m);
            return true;
        }, 1, CancellationToken.None);
        Console.WriteLine($"kernel {Environment.OSVersion.Version}: raw IPv6 source filter fd01::2 returned {string.Join(", ", kernelAnswer.Select(e => e.Original.Source))}");

        IReadOnlyList<ConntrackEntry> ours = await conntrack.ListAsync(new ConntrackFilter { OriginalSource = IPAddress.Parse("fd01::2") });
        ours.Should().NotBeEmpty().And.OnlyContain(e => e.Original.Source.Equals(IPAddress.Parse("fd01::2")));
        ours.Count.Should().Be((await conntrack.ListAsync()).Count(e => e.Original.Source.Equals(IPAddress.Parse("fd01::2"))));
    }

    /// <summary>IPv4 and IPv6, TCP and UDP, marks, zones and statuses mixed.</summary>
    internal static List<ConntrackEntry> Mixed()
    {
        var list = new List<ConntrackEntry>();
        for (int i = 1; i <= 6; i++)
        {
            var v4 = IPAddress.Parse($"10.0.0.{i}");
            list.Add(new ConntrackEntry(ConntrackTuple.Tcp(v4, (ushort)(30000 + i), IPAddress.Parse("10.0.1.1"), (ushort)(i % 2 == 0 ? 443 : 80)))
            {
                ProtocolInfo = new TcpConntrackInfo { State = TcpConntrackState.Established },
                Status = i % 3 == 0 ? ConntrackStatus.SeenReply | ConntrackStatus.Assured : ConntrackStatus.SeenReply,
                Timeout = TimeSpan.FromMinutes(10),
                Mark = i % 2 == 0 ? 7u : (uint)(0x10 + i),
                Zone = i == 5 ? (ushort)9 : (ushort)0,
            });
            list.Add(new ConntrackEntry(ConntrackTuple.Udp(v4, (ushort)(40000 + i), IPAddress.Parse("10.0.2.2"), 53), ConntrackTuple.Udp(IPAddress.Parse("10.0.2.2"), 53, i % 2 == 0 ? IPAddress.Parse("10.0.0.2") : v4, (ushort)(40000 + i)))
            {
                Timeout = TimeSpan.FromMinutes(10),
                Mark = (uint)i,
            });
            var v6 = IPAddress.Parse($"fd01::{i}");
            list.Add(new ConntrackEntry(ConntrackTuple.Tcp(v6, (ushort)(50000 + i), IPAddress.Parse("fd02::2"), 443))
            {
                ProtocolInfo = new TcpConntrackInfo { State = TcpConntrackState.SynSent },
                Timeout = TimeSpan.FromMinutes(10),
                Zone = i == 2 ? (ushort)9 : (ushort)0,
            });
        }
        return list;
    }
}
