using System.IO;
using System.Net;
using Netfilter.Net.NativeTests.Infrastructure;
using Netfilter.Net.Sysctl;

namespace Netfilter.Net.NativeTests.Samples;

/// <summary>samples/PortForwarderService: a hosted service that keeps the router's forwards equal to appsettings.json.</summary>
public sealed class PortForwarderServiceSampleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string Config(string ns, string forwards) => $$"""
        {
          "Logging": { "LogLevel": { "Default": "Information", "Microsoft": "Warning" } },
          "PortForwarder": {
            "Namespace": "{{ns}}",
            "Table": "portfwd",
            "EnableForwarding": true,
            "RemoveOnExit": true,
            "ReconcileInterval": "00:10:00",
            "Forwards": [ {{forwards}} ]
          }
        }
        """;

    [NativeFact]
    public async Task It_applies_the_configured_forward_reconciles_when_the_file_changes_and_cleans_up_on_stop()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        using var ssh = Traffic.StartTcp(topo.Server, new IPEndPoint(IPAddress.Any, 22), "ssh");
        using var telnet = Traffic.StartTcp(topo.Server, new IPEndPoint(IPAddress.Any, 23), "telnet");
        var publicEndpoint = new IPEndPoint(IPAddress.Parse("10.0.1.1"), 2222);
        string directory = Directory.CreateTempSubdirectory("portfwd-").FullName;
        try
        {
            string file = Path.Combine(directory, "appsettings.json");
            File.WriteAllText(file, Config(topo.Router.Name, """{ "Protocol": "tcp", "Port": "2222", "To": "10.0.2.2:22", "Masquerade": true }"""));
            using var service = SampleProcess.Start("PortForwarderService", "--contentRoot", directory);

            await service.WaitForLineAsync(l => l.Contains("applied: 1 added, 0 removed"), Wait);
            service.Output.Should().Contain("turned IPv4 forwarding on");
            Forwarding.GetStatus(topo.Router.Namespace).IPv4.Should().BeTrue();
            Traffic.TcpRequest(topo.Client, publicEndpoint).Should().StartWith("ssh local=10.0.2.2:22 remote=10.0.2.1:");
            service.Output.Should().NotContain("doctor", "the doctor finds nothing wrong with a masqueraded forward");

            // Edit the file in place: the forward moves to port 23, and a broken entry is logged and skipped.
            File.WriteAllText(file, Config(topo.Router.Name, """
                { "Protocol": "tcp", "Port": "2222", "To": "10.0.2.2:23", "Masquerade": true },
                { "Protocol": "tcp", "Port": "99999", "To": "10.0.2.2:24" }
                """));
            await service.WaitForLineAsync(l => l.Contains("applied: 1 added, 1 removed"), Wait);
            service.Output.Should().Contain("PortForwarder:Forwards:1 is not a valid rule and is skipped");
            Traffic.TcpRequest(topo.Client, publicEndpoint).Should().StartWith("telnet local=10.0.2.2:23");

            // A forward without masquerade to a server that does not route back: the doctor's warning reaches the log.
            File.WriteAllText(file, Config(topo.Router.Name, """{ "Protocol": "tcp", "Port": "2222", "To": "10.0.2.2:22" }"""));
            await service.WaitForLineAsync(l => l.Contains("doctor Warning no-return-path"), Wait);

            service.Stop().Should().Be(0, service.Output);
            topo.Router.Nft("list", "tables").Should().NotContain("portfwd", "the table belonged to the service process");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
