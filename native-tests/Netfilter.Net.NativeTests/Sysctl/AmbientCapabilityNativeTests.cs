using System.IO;
using Netfilter.Net.NativeTests.Cli;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Sysctl;

/// <summary>
/// The shape of the systemd recipe (docs/deployment.md): a service user that is not root, with
/// CAP_NET_ADMIN as an ambient capability (systemd's AmbientCapabilities=, here setpriv's
/// --ambient-caps, the same prctl), and nothing else. nfnet manages rules and switches
/// forwarding in its namespace; without the capability it says what it needs.
/// </summary>
public sealed class AmbientCapabilityNativeTests
{
    [NativeFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_service_user_with_only_ambient_CAP_NET_ADMIN_manages_rules_and_forwarding()
    {
        using var ns = new TestNamespace("svc");
        string copy = SysctlNativeTests.WorldReadableCopyOfTestOutput();
        try
        {
            string nfnet = Path.Combine(copy, "nfnet.dll");
            string[] asService = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all,+net_admin", "--ambient-caps=-all,+net_admin", "--bounding-set=-all,+net_admin",
                "env", "DOTNET_CLI_HOME=/tmp", "HOME=/tmp", "dotnet", nfnet };
            string[] asNobody = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                "env", "DOTNET_CLI_HOME=/tmp", "HOME=/tmp", "dotnet", nfnet };
            Tool.Result Run(string[] who, params string[] args) => ns.Exec(who[0], who.Skip(1).Concat(args).ToArray());

            Tool.Result add = Run(asService, "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22", "--masquerade");
            add.ExitCode.Should().Be(0, add.StandardError);
            ns.Nft("list", "table", "inet", "nfnet").Should().Contain("dnat tcp 2222 to 10.0.2.2:22 masquerade");
            Run(asService, "list").StandardOutput.Should().Be("dnat tcp 2222 to 10.0.2.2:22 masquerade\n");

            Tool.Result on = Run(asService, "forwarding", "on");
            on.ExitCode.Should().Be(0, on.StandardError);
            ns.Check("sysctl", "-n", "net.ipv4.ip_forward").Trim().Should().Be("1", "CAP_NET_ADMIN over the namespace may write its net.* sysctls");

            Tool.Result refused = Run(asNobody, "list");
            refused.ShouldFail(1)[0].Should().StartWith("nfnet: needs CAP_NET_ADMIN");
            Run(asNobody, "forwarding", "off").ShouldFail(1)[0].Should().Contain("needs root, or CAP_NET_ADMIN");
            ns.Check("sysctl", "-n", "net.ipv4.ip_forward").Trim().Should().Be("1");
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
