using System.Net;
using Netfilter.Net.Diagnostics;
using Netfilter.Net.Nat;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.KernelSuite.Checks;

/// <summary>The typed NAT table with real traffic over veths: a forward with masquerade, a local redirect, and the doctor's verdict on both.</summary>
internal static class NatChecks
{
    public static IEnumerable<Check> All()
    {
        yield return new("nat.forward", "NatTable forward (dnat + masquerade) with traffic client -> router -> server", ForwardAsync);
        yield return new("nat.redirect", "NatTable redirect to a local port, remote and local clients", RedirectAsync);
    }

    private static async Task<string> ForwardAsync()
    {
        using var topology = new Topology(serverRoutesViaRouter: false);
        Forwarding.Enable(NetfilterFamily.IPv4, topology.Router.Namespace);
        using var server = Traffic.StartTcp(topology.Server, new IPEndPoint(IPAddress.Any, 22), "server");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topology.Router.Namespace });
        var forward = new DnatRule(TransportProtocol.Tcp, PortRange.Single(2222), IPAddress.Parse("10.0.2.2"), PortRange.Single(22), masquerade: true);
        await nat.ApplyAsync(new NatRule[] { forward });
        string? answer = Traffic.TcpRequest(topology.Client, new IPEndPoint(IPAddress.Parse("10.0.1.1"), 2222));
        Expect.That(answer?.StartsWith("server local=10.0.2.2:22 remote=10.0.2.1:", StringComparison.Ordinal) == true, $"the server answers, seeing the router's address: {answer ?? "no answer"}");
        IReadOnlyList<DoctorFinding> findings = await Doctor.RunAsync(new DoctorOptions { Namespace = topology.Router.Namespace });
        Expect.That(!findings.Any(f => f.Severity >= DoctorSeverity.Warning), "the doctor finds nothing wrong with a working forward:\n" + string.Join("\n", findings));
        Expect.That((await nat.ListAsync()).Single().ToString() == forward.ToString(), "the rule reads back");
        return answer!;
    }

    private static async Task<string> RedirectAsync()
    {
        using var topology = new Topology();
        using var server = Traffic.StartTcp(topology.Router, new IPEndPoint(IPAddress.Any, 8080), "proxy");
        using var nat = new NatTable("nfnet", new NatTableOptions { Namespace = topology.Router.Namespace });
        await nat.ApplyAsync(new NatRule[] { new RedirectRule(TransportProtocol.Tcp, PortRange.Single(80), 8080, includeLocal: true) });
        string? remote = Traffic.TcpRequest(topology.Client, new IPEndPoint(IPAddress.Parse("10.0.1.1"), 80));
        string? local = Traffic.TcpRequest(topology.Router, new IPEndPoint(IPAddress.Parse("10.0.1.1"), 80));
        Expect.That(remote?.StartsWith("proxy ", StringComparison.Ordinal) == true, $"a remote client reaches the redirect: {remote ?? "no answer"}");
        Expect.That(local?.StartsWith("proxy ", StringComparison.Ordinal) == true, $"a local client reaches the redirect: {local ?? "no answer"}");
        return $"{remote}; {local}";
    }
}
