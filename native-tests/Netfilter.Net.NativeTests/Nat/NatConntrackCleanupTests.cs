using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Nat;

/// <summary>
/// Issue 15 D6: the conntrack cleanup after a change is one dump for all its removed forwards
/// and redirects (a dump walks the whole conntrack table, so one per rule made removing 10,000
/// forwards take minutes), and it still deletes exactly the flows of the removed rules.
/// </summary>
public sealed class NatConntrackCleanupTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    private static DnatRule Udp(int port, string target = "10.0.2.2") =>
        new(TransportProtocol.Udp, PortRange.Single(port), IPAddress.Parse(target), PortRange.Single(53), masquerade: true);

    [NativeFact]
    public async Task Removing_many_forwards_in_one_change_dumps_conntrack_once()
    {
        using var ns = new TestNamespace();
        var logger = new RecordingLogger();
        using var nat = new NatTable("flows", new NatTableOptions { Namespace = ns.Namespace, Logger = logger });
        await nat.ApplyAsync(Enumerable.Range(0, 200).Select(i => (NatRule)Udp(10000 + i)).ToList());
        logger.Messages.Should().NotContain(m => m.Contains("IPCTNL_MSG_CT_GET"), "adding removes no flows");

        NatApplyResult removed = await nat.ApplyAsync(Array.Empty<NatRule>());
        removed.Removed.Should().HaveCount(200);
        logger.Messages.Count(m => m.StartsWith("netlink send dump IPCTNL_MSG_CT_GET:", StringComparison.Ordinal)).Should().Be(1, "one conntrack dump for the whole change, not one per removed forward");
    }

    [NativeFact]
    public async Task The_single_dump_deletes_the_flows_of_the_removed_forwards_and_only_those()
    {
        using var topo = new Topology();
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var dns = Traffic.StartUdp(topo.Server, Ep("10.0.2.2", 53), "dns");
        using var nat = new NatTable("flows", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { Udp(5301), Udp(5302), Udp(5303) });
        foreach (int port in new[] { 5301, 5302, 5303 })
        {
            Traffic.UdpRequest(topo.Client, Ep("10.0.1.1", port)).Should().StartWith("dns ");
        }
        using var conntrack = new ConntrackClient(topo.Router.Namespace);
        async Task<List<int>> PortsAsync() => (await conntrack.ListAsync(new ConntrackFilter { Protocol = ProtocolType.Udp }))
            .Select(e => (int)e.Original.DestinationPort!.Value).OrderBy(p => p).ToList();
        (await PortsAsync()).Should().Equal(5301, 5302, 5303);

        await nat.ApplyAsync(new NatRule[] { Udp(5302) });
        (await PortsAsync()).Should().Equal(new[] { 5302 }, "the flows of the two removed forwards were deleted, the kept one's stays");
        (await nat.RemoveAsync(Udp(5302)))!.Should().Be(Udp(5302));
        (await PortsAsync()).Should().BeEmpty();
    }
}
