using System.Net;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Samples;

/// <summary>samples/TransparentProxy: client → router (redirect) → relay in the router → the real server, and back.</summary>
public sealed class TransparentProxySampleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [NativeFact]
    public async Task The_relay_learns_where_each_client_was_going_and_the_server_answers_through_it()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        using var server = Traffic.StartTcp(topo.Server, new IPEndPoint(IPAddress.Any, 80), "web");
        Traffic.TcpRequest(topo.Client, new IPEndPoint(IPAddress.Parse("10.0.2.2"), 80)).Should().BeNull("the router does not forward, and the server has no route back");

        using (var proxy = SampleProcess.Start("TransparentProxy", "--netns", topo.Router.Name, "--port", "80", "--listen-port", "3128"))
        {
            await proxy.WaitForLineAsync(l => l.Contains("ready: redirecting tcp 80 to 3128"), Wait);
            topo.Router.Nft("list", "table", "inet", "transparent-proxy").Should().Contain("redirect tcp 80 to 3128");

            string? answer = Traffic.TcpRequest(topo.Client, new IPEndPoint(IPAddress.Parse("10.0.2.2"), 80));
            answer.Should().StartWith("web local=10.0.2.2:80 remote=10.0.2.1:", "the relay in the router connected to the server on the client's behalf");

            string log = await proxy.WaitForLineAsync(l => l.Contains(" wanted "), Wait);
            log.Should().MatchRegex(@"10\.0\.1\.2:\d+ wanted 10\.0\.2\.2:80, relaying$");
            await proxy.WaitForLineAsync(l => l.Contains("-> 10.0.2.2:80 closed:"), Wait);

            proxy.Stop().Should().Be(0, proxy.Output);
        }
        topo.Router.Nft("list", "tables").Should().NotContain("transparent-proxy", "the table belonged to the process");
        Traffic.TcpRequest(topo.Client, new IPEndPoint(IPAddress.Parse("10.0.2.2"), 80)).Should().BeNull("nothing redirects any more");
    }

    [NativeFact]
    public void Bad_arguments_are_refused_with_a_usage_line()
    {
        using var proxy = SampleProcess.Start("TransparentProxy", "--listen-port", "70000");
        proxy.WaitForExit(Wait).Should().Be(2);
        proxy.Output.Should().Contain("--listen-port must be 1-65535, not '70000'").And.Contain("usage: TransparentProxy");
    }
}
