using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Conntrack;

/// <summary>
/// Real TCP and UDP flows through a DNAT (client, router, server namespaces) and through a
/// REDIRECT (one namespace, loopback): the library's dump shows the translation, and every
/// field it shares with <c>conntrack -L -o extended,id</c> is equal, entry by entry.
/// </summary>
public sealed class ConntrackRealFlowTests
{
    [NativeFact]
    public async Task Dnat_and_masquerade_flows_show_their_translation_and_equal_conntrack_L()
    {
        using var topology = new Topology(serverRoutesViaRouter: false);
        topology.Router.Check("sysctl", "-qw", "net.ipv4.ip_forward=1");
        topology.Router.Check("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
        topology.Router.Check("sysctl", "-qw", "net.netfilter.nf_conntrack_acct=1");
        topology.Router.NftScript("""
            table inet nat {
              chain pre {
                type nat hook prerouting priority dstnat;
                meta nfproto ipv4 tcp dport 2222 dnat ip to 10.0.2.2:22
                meta nfproto ipv4 udp dport 5353 dnat ip to 10.0.2.2:53
                meta nfproto ipv6 tcp dport 2222 dnat ip6 to [fd02::2]:22
              }
              chain post {
                type nat hook postrouting priority srcnat;
                oifname "wan" masquerade
              }
            }
            """);
        using Socket tcpListener = Flows.Listen(topology.Server, Flows.EndPoint("0.0.0.0", 22));
        using Socket tcp6Listener = Flows.Listen(topology.Server, Flows.EndPoint("::", 22));
        using Socket udpServer = Flows.BindUdp(topology.Server, Flows.EndPoint("10.0.2.2", 53));
        var (c4, s4) = await Flows.ConnectTcpAsync(topology.Client, Flows.EndPoint("10.0.1.2", 40000), Flows.EndPoint("10.0.1.1", 2222), tcpListener);
        var (c6, s6) = await Flows.ConnectTcpAsync(topology.Client, Flows.EndPoint("fd01::2", 40001), Flows.EndPoint("fd01::1", 2222), tcp6Listener);
        await Flows.UdpExchangeAsync(topology.Client, Flows.EndPoint("10.0.1.2", 5000), Flows.EndPoint("10.0.1.1", 5353), udpServer);
        using (c4) using (s4) using (c6) using (s6)
        {
            using var conntrack = new ConntrackClient(topology.Router.Namespace);
            IReadOnlyList<ConntrackEntry> entries = await conntrack.ListAsync();
            List<ConntrackToolLine> tool = ConntrackOracle.List(topology.Router);

            ConntrackEntry tcp = entries.Single(e => e.Protocol == ProtocolType.Tcp && e.Family == NetfilterFamily.IPv4);
            tcp.Translation.Should().NotBeNull();
            tcp.Translation!.ToString().Should().Be("10.0.1.2:40000 -> 10.0.1.1:2222 was sent to 10.0.2.2:22 from 10.0.2.1:40000");
            tcp.ProtocolInfo.Should().BeOfType<TcpConntrackInfo>().Which.State.Should().Be(TcpConntrackState.Established);
            tcp.Status.Should().HaveFlag(ConntrackStatus.Assured).And.HaveFlag(ConntrackStatus.DestinationNat).And.HaveFlag(ConntrackStatus.SourceNat);
            tcp.OriginalCounters!.Value.Packets.Should().BeGreaterThan(2);

            ConntrackEntry tcp6 = entries.Single(e => e.Protocol == ProtocolType.Tcp && e.Family == NetfilterFamily.IPv6);
            tcp6.Translation!.ToString().Should().Be("[fd01::2]:40001 -> [fd01::1]:2222 was sent to [fd02::2]:22 from [fd02::1]:40001");

            ConntrackEntry udp = entries.Single(e => e.Protocol == ProtocolType.Udp);
            udp.Translation!.OriginalDestination.Should().Be(Flows.EndPoint("10.0.1.1", 5353));
            udp.Translation.TranslatedDestination.Should().Be(Flows.EndPoint("10.0.2.2", 53));
            udp.Translation.IsSourceTranslated.Should().BeTrue("masquerade on wan");
            udp.Status.Should().HaveFlag(ConntrackStatus.SeenReply);

            ConntrackOracle.AssertSame(entries, tool);

            // The streamed dump yields the same entries as the collected one.
            var streamed = new List<ConntrackEntry>();
            await foreach (ConntrackEntry e in conntrack.DumpAsync())
            {
                streamed.Add(e);
            }
            streamed.Select(e => e.Id).Should().BeEquivalentTo(entries.Select(e => e.Id));

            // Get by tuple returns the same entry.
            ConntrackEntry? got = await conntrack.GetAsync(tcp.Original);
            got.Should().NotBeNull();
            got!.Id.Should().Be(tcp.Id);
            got.Reply.Should().Be(tcp.Reply);
        }
    }

    [NativeFact]
    public async Task Redirect_on_loopback_flows_show_their_translation_and_equal_conntrack_L()
    {
        using var ns = new TestNamespace("ct");
        ns.NftScript("""
            table ip nat {
              chain out {
                type nat hook output priority -100;
                tcp dport 8080 redirect to :9090
                udp dport 8053 redirect to :9053
              }
            }
            """);
        using Socket listener = Flows.Listen(ns, Flows.EndPoint("127.0.0.1", 9090));
        using Socket udpServer = Flows.BindUdp(ns, Flows.EndPoint("127.0.0.1", 9053));
        var (client, server) = await Flows.ConnectTcpAsync(ns, Flows.EndPoint("127.0.0.1", 41000), Flows.EndPoint("127.0.0.1", 8080), listener);
        await Flows.UdpExchangeAsync(ns, Flows.EndPoint("127.0.0.1", 41001), Flows.EndPoint("127.0.0.1", 8053), udpServer);
        using (client) using (server)
        {
            using var conntrack = new ConntrackClient(ns.Namespace);
            IReadOnlyList<ConntrackEntry> entries = await conntrack.ListAsync();
            ConntrackEntry tcp = entries.Single(e => e.Protocol == ProtocolType.Tcp);
            tcp.Translation!.ToString().Should().Be("127.0.0.1:41000 -> 127.0.0.1:8080 was sent to 127.0.0.1:9090");
            tcp.Translation.IsSourceTranslated.Should().BeFalse();
            ConntrackEntry udp = entries.Single(e => e.Protocol == ProtocolType.Udp);
            udp.Translation!.ToString().Should().Be("127.0.0.1:41001 -> 127.0.0.1:8053 was sent to 127.0.0.1:9053");
            ConntrackOracle.AssertSame(entries, ConntrackOracle.List(ns));

            // Kernel-side and client-side filtering agree with conntrack's own filter.
            IReadOnlyList<ConntrackEntry> onlyUdp = await conntrack.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Udp, OriginalDestinationPort = 8053 });
            onlyUdp.Should().ContainSingle().Which.Id.Should().Be(udp.Id);
            ConntrackOracle.AssertSame(onlyUdp, ConntrackOracle.List(ns, "-p", "udp", "--dport", "8053"));
        }
    }
}
