using System.Net;
using System.Text.Json;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Cli;

/// <summary>
/// nfnet doctor prints the library's findings, exits 1 on an error and 0 when all is right, and
/// the commands its fixes name are real nfnet commands that do fix the problem (run here, then
/// checked with real traffic).
/// </summary>
public sealed class CliDoctorTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    private static string[] Codes(JsonElement doctor) =>
        doctor.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()!).ToArray();

    private static JsonElement Finding(JsonElement doctor, string code) =>
        doctor.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == code);

    /// <summary>Runs the "nfnet ..." command a fix starts with (up to the library call in parentheses).</summary>
    private static Tool.Result RunFix(string command)
    {
        command.Should().StartWith("nfnet ");
        return Nfnet.Run(command.Substring("nfnet ".Length).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [NativeFact]
    public void A_broken_forward_is_diagnosed_fixed_by_the_named_commands_and_then_reported_clean()
    {
        using var topo = new Topology(serverRoutesViaRouter: false);
        using var server = Traffic.StartTcp(topo.Server, Ep("10.0.2.2", 22), "server");
        Nfnet.In(topo.Router, "forward", "add", "--proto", "tcp", "--port", "2222", "--to", "10.0.2.2:22").ExitCode.Should().Be(0);
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().BeNull("forwarding is off and the server has no route back");

        Tool.Result report = Nfnet.In(topo.Router, "doctor", "--json");
        report.ExitCode.Should().Be(1, "an error finding makes doctor fail");
        JsonElement doctor = Nfnet.Json(report with { ExitCode = 0 });
        doctor.GetProperty("namespace").GetString().Should().Be(topo.Router.Name);
        doctor.GetProperty("table").GetString().Should().Be("nfnet");
        doctor.GetProperty("errors").GetInt32().Should().BeGreaterThanOrEqualTo(1);
        Codes(doctor).Should().Contain(new[] { "ip-forward-off", "no-return-path" });
        JsonElement off = Finding(doctor, "ip-forward-off");
        off.GetProperty("severity").GetString().Should().Be("error");
        off.GetProperty("rule").GetString().Should().Be("dnat tcp 2222 to 10.0.2.2:22");
        off.GetProperty("why").GetString().Should().NotBeNullOrEmpty();
        string fix = off.GetProperty("fix").GetString()!;
        fix.Should().StartWith($"nfnet forwarding on --netns {topo.Router.Name} (");

        Tool.Result text = Nfnet.In(topo.Router, "doctor");
        text.ExitCode.Should().Be(1);
        text.StandardOutput.Should().Contain("error ip-forward-off: IPv4 forwarding is off").And.Contain("  why:  ").And.Contain("  fix:  nfnet forwarding on");

        RunFix(fix.Substring(0, fix.IndexOf(" (", StringComparison.Ordinal))).ExitCode.Should().Be(0);
        JsonElement afterForwarding = Nfnet.Json(Nfnet.In(topo.Router, "doctor", "--json"));
        Codes(afterForwarding).Should().NotContain("ip-forward-off").And.Contain("no-return-path");
        afterForwarding.GetProperty("errors").GetInt32().Should().Be(0, "what is left is a warning: exit code 0");

        string masquerade = $"nfnet masquerade add --oif wan --netns {topo.Router.Name}";
        Finding(afterForwarding, "no-return-path").GetProperty("fix").GetString().Should().Contain(masquerade);
        RunFix(masquerade).ExitCode.Should().Be(0);
        Traffic.TcpRequest(topo.Client, Ep("10.0.1.1", 2222)).Should().StartWith("server local=10.0.2.2:22 remote=10.0.2.1:", "the fixes made the forward work");

        Tool.Result clean = Nfnet.In(topo.Router, "doctor");
        clean.ExitCode.Should().Be(0, clean.StandardOutput);
        clean.StandardOutput.Should().Be($"no problems found (table inet nfnet in namespace {topo.Router.Name})\n");
        Nfnet.Json(Nfnet.In(topo.Router, "doctor", "--json", "--port", "2222")).GetProperty("findings").GetArrayLength().Should().Be(0);
    }

    [NativeFact]
    public void A_redirect_to_a_port_where_nothing_listens_is_an_error_until_something_does()
    {
        using var ns = new TestNamespace();
        Nfnet.In(ns, "redirect", "add", "--proto", "tcp", "--port", "80", "--to-port", "8080").ExitCode.Should().Be(0);
        Nfnet.In(ns, "redirect", "add", "--proto", "tcp", "--port", "81", "--to-port", "8081").ExitCode.Should().Be(0);

        Tool.Result broken = Nfnet.In(ns, "doctor", "--port", "80", "--json");
        broken.ExitCode.Should().Be(1);
        JsonElement doctor = Nfnet.Json(broken with { ExitCode = 0 });
        doctor.GetProperty("port").GetInt32().Should().Be(80);
        Finding(doctor, "target-not-listening").GetProperty("rule").GetString().Should().Be("redirect tcp 80 to 8080", "--port 80 examines only that rule");

        using var listener = Traffic.StartTcp(ns, Ep("0.0.0.0", 8080), "service");
        Tool.Result fixedUp = Nfnet.In(ns, "doctor", "--port", "80");
        fixedUp.ExitCode.Should().Be(0, fixedUp.StandardOutput);
        Nfnet.In(ns, "doctor").ExitCode.Should().Be(1, "port 81 still redirects to a port where nothing listens");
    }

    [NativeFact]
    public void Without_CAP_NET_ADMIN_doctor_reports_it_as_an_error_finding()
    {
        using var ns = new TestNamespace();
        Tool.Result result = Nfnet.Wrapped(ns, new[] { "setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin" }, "doctor");
        result.ExitCode.Should().Be(1, result.StandardError);
        result.StandardOutput.Should().StartWith("error cap-net-admin-missing: ");
    }
}
