using System.Net;
using System.Net.Sockets;
using Netfilter.Net.Conntrack;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Samples;

/// <summary>samples/ConntrackWatch: NAT'd flows printed as they come and go, in a router namespace with a forward.</summary>
public sealed class ConntrackWatchSampleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [NativeFact]
    public async Task It_prints_existing_new_and_finished_nat_flows()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topo.Router.Namespace);
        using var ssh = Traffic.StartTcp(topo.Server, new IPEndPoint(IPAddress.Any, 22), "ssh");
        using var dns = Traffic.StartUdp(topo.Server, new IPEndPoint(IPAddress.Any, 5353), "dns");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topo.Router.Namespace });
        await nat.ApplyAsync(new NatRule[]
        {
            new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true),
            new DnatRule(TransportProtocol.Udp, PortRange.Single(53), IPAddress.Parse("10.0.2.2"), PortRange.Single(5353), masquerade: true),
        });
        // A UDP flow that exists before the watch starts (its entry lives for 30 s).
        Traffic.UdpRequest(topo.Client, new IPEndPoint(IPAddress.Parse("10.0.1.1"), 53)).Should().StartWith("dns ");

        using var watch = SampleProcess.Start("ConntrackWatch", "--netns", topo.Router.Name);
        await watch.WaitForLineAsync(l => l.Contains("watching NAT'd connections in /run/netns/" + topo.Router.Name), Wait);
        watch.Lines.Should().Contain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"= udp 10\.0\.1\.2:\d+ -> 10\.0\.1\.1:53 was sent to 10\.0\.2\.2:5353 from 10\.0\.2\.1:\d+$"), watch.Output);

        Traffic.TcpRequest(topo.Client, new IPEndPoint(IPAddress.Parse("10.0.1.1"), 2222)).Should().StartWith("ssh ");
        string added = await watch.WaitForLineAsync(l => l.Contains("+ tcp "), Wait);
        added.Should().MatchRegex(@"\+ tcp 10\.0\.1\.2:\d+ -> 10\.0\.1\.1:2222 was sent to 10\.0\.2\.2:22 from 10\.0\.2\.1:\d+$");

        // End the flow now rather than after TIME_WAIT: delete its entry, which conntrack reports as destroyed.
        using (var conntrack = new ConntrackClient(topo.Router.Namespace))
        {
            (await conntrack.DeleteForwardAsync(ProtocolType.Tcp, IPAddress.Parse("10.0.1.1"), 2222)).Should().Be(1);
        }
        string removed = await watch.WaitForLineAsync(l => l.Contains("- tcp "), Wait);
        removed.Should().EndWith(added[(added.IndexOf("+ tcp ", StringComparison.Ordinal) + 2)..]);

        watch.Stop().Should().Be(0, watch.Output);
    }
}
