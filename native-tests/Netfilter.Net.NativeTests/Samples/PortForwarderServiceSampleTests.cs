using System.IO;
using System.Net;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Samples;

/// <summary>samples/PortForwarderService: Netfilter.Net.Hosting keeps the router's forwards equal to appsettings.json.</summary>
public sealed class PortForwarderServiceSampleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string Config(string ns, string rules) => $$"""
        {
          "Logging": { "LogLevel": { "Default": "Information", "Microsoft": "Warning" } },
          "Netfilter": { "Tables": { "portfwd": {
            "Namespace": "{{ns}}",
            "EnableForwarding": true,
            "RemoveOnShutdown": true,
            "Rules": [ {{rules}} ]
          } } }
        }
        """;

    [NativeFact]
    public async Task It_applies_the_configured_forward_follows_the_file_refuses_a_bad_change_and_removes_the_table_on_stop()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        using var ssh = Traffic.StartTcp(topo.Server, new IPEndPoint(IPAddress.Any, 22), "ssh");
        using var telnet = Traffic.StartTcp(topo.Server, new IPEndPoint(IPAddress.Any, 23), "telnet");
        var publicEndpoint = new IPEndPoint(IPAddress.Parse("10.0.1.1"), 2222);
        string directory = Directory.CreateTempSubdirectory("portfwd-").FullName;
        try
        {
            string file = Path.Combine(directory, "appsettings.json");
            File.WriteAllText(file, Config(topo.Router.Name, "\"dnat tcp 2222 to 10.0.2.2:22 masquerade\""));
            using var service = SampleProcess.Start("PortForwarderService", "--contentRoot", directory);

            await service.WaitForLineAsync(l => l.Contains($"NAT table portfwd in namespace {topo.Router.Name}: added 1, removed 0"), Wait);
            service.Output.Should().Contain($"turned IPv4 forwarding on in namespace {topo.Router.Name}");
            Forwarding.GetStatus(topo.Router.Namespace).IPv4.Should().BeTrue();
            Traffic.TcpRequest(topo.Client, publicEndpoint).Should().StartWith("ssh local=10.0.2.2:22 remote=10.0.2.1:");
            await service.WaitForLineAsync(l => l.Contains("health netfilter: Healthy"), Wait);

            // A change with a bad line is refused whole, the line named by index; the forward stays as it was.
            File.WriteAllText(file, Config(topo.Router.Name, "\"dnat tcp 2222 to 10.0.2.2:23 masquerade\", \"dnat tcp 99999 to 10.0.2.2:24\""));
            await service.WaitForLineAsync(l => l.Contains("configuration rejected") && l.Contains("Rules[1] 'dnat tcp 99999 to 10.0.2.2:24' is not a NAT rule"), Wait);
            Traffic.TcpRequest(topo.Client, publicEndpoint).Should().StartWith("ssh local=10.0.2.2:22");

            // The file fixed: the forward moves to port 23 in one transaction.
            File.WriteAllText(file, Config(topo.Router.Name, "\"dnat tcp 2222 to 10.0.2.2:23 masquerade\""));
            await service.WaitForLineAsync(l => l.Contains("added 1, removed 1"), Wait);
            Traffic.TcpRequest(topo.Client, publicEndpoint).Should().StartWith("telnet local=10.0.2.2:23");

            // A forward without masquerade to a server that does not route back: the doctor's warning reaches the health log.
            File.WriteAllText(file, Config(topo.Router.Name, "\"dnat tcp 2222 to 10.0.2.2:22\""));
            await service.WaitForLineAsync(l => l.Contains("health netfilter: Degraded") && l.Contains("no-return-path"), Wait);

            service.Stop().Should().Be(0, service.Output);
            service.Output.Should().Contain("portfwd in namespace " + topo.Router.Name + ": deleted on shutdown");
            topo.Router.Nft("list", "tables").Should().NotContain("portfwd", "RemoveOnShutdown deletes the table when the host stops");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
