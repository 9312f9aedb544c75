using System.IO;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Cli;

/// <summary>
/// nfnet demo, the README's first command: real traffic through a forward and a redirect, the
/// rules and conntrack shown, and its namespaces always deleted, also on Ctrl-C and on SIGTERM.
/// </summary>
public sealed partial class CliDemoTests
{
    [GeneratedRegex(@"nfnet-demo-(\d+)-client")]
    private static partial Regex DemoNamespace();

    [NativeFact]
    public void The_demo_sends_real_traffic_shows_rules_and_conntrack_and_deletes_its_namespaces()
    {
        Tool.Result demo = Nfnet.Run("demo");
        demo.ExitCode.Should().Be(0, demo.StandardOutput + demo.StandardError);
        string output = demo.StandardOutput;
        foreach (string section in new[] { "== 1. the topology", "== 2. the router, through the library", "== 3. real traffic", "== 4. the rules", "== 5. conntrack", "== 6. cleanup" })
        {
            output.Should().Contain(section);
        }
        output.Should().Contain("+ dnat tcp 2222 to 10.0.2.2:22 masquerade").And.Contain("+ redirect tcp 80 to 8080");
        output.Should().Contain("client -> 10.0.1.1:2222: \"the server on 10.0.2.2:22 saw the client as 10.0.2.1:", "masquerade: the server sees the router");
        output.Should().Contain("client -> 10.0.1.1:80: \"the router's local service on 10.0.1.1:8080 saw the client as 10.0.1.2:");
        output.Should().Contain("-> 10.0.1.1:2222 was sent to 10.0.2.2:22 from 10.0.2.1:");
        output.Should().Contain("-> 10.0.1.1:80 was sent to 10.0.1.1:8080");
        output.Should().Contain("table inet demo");
        string pid = DemoNamespace().Match(output).Groups[1].Value;
        NamespacesOf(pid).Should().BeEmpty("the demo deletes its namespaces");
    }

    [NativeFact]
    public void Without_nft_installed_the_demo_shows_the_librarys_own_rendering()
    {
        // A PATH that holds ip (the demo's scaffolding) and nothing else: no nft to display with.
        string bin = Path.Combine(Path.GetTempPath(), $"nfnet-demo-path-{Environment.ProcessId}");
        Directory.CreateDirectory(bin);
        try
        {
            string ip = Tool.Check("sh", "-c", "command -v ip").Trim();
            File.CreateSymbolicLink(Path.Combine(bin, "ip"), ip);
            var start = new ProcessStartInfo(Nfnet.NativeExecutable ?? Path.Combine(Path.GetDirectoryName(Tool.Check("sh", "-c", "command -v dotnet").Trim())!, "dotnet"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (Nfnet.NativeExecutable is null)
            {
                start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nfnet.dll"));
            }
            start.ArgumentList.Add("demo");
            start.Environment["PATH"] = bin;
            using Process demo = Process.Start(start)!;
            Task<string> output = demo.StandardOutput.ReadToEndAsync();
            Task<string> error = demo.StandardError.ReadToEndAsync();
            demo.WaitForExit(60_000).Should().BeTrue();
            demo.ExitCode.Should().Be(0, output.Result + error.Result);
            output.Result.Should().Contain("as the library decodes them (nft is not installed")
                .And.Contain("table inet demo")
                .And.Contain("tcp . 2222 : 10.0.2.2 . 22  # dnat tcp 2222 to 10.0.2.2:22 masquerade")
                .And.NotContain("nft list ruleset, in the router");
            NamespacesOf(DemoNamespace().Match(output.Result).Groups[1].Value).Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    [NativeTheory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_held_demo_deletes_its_namespaces_when_interrupted(string signal)
    {
        using Process demo = Nfnet.Start("demo", "--hold");
        string? pid = null;
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            while ((line = await demo.StandardOutput.ReadLineAsync(deadline.Token)) is not null && !line.StartsWith("== holding", StringComparison.Ordinal))
            {
                Match m = DemoNamespace().Match(line);
                if (m.Success)
                {
                    pid = m.Groups[1].Value;
                }
            }
            line.Should().NotBeNull("the demo reaches its hold");
            pid.Should().NotBeNull();
            NamespacesOf(pid!).Should().HaveCount(3, "held: the namespaces exist");
        }
        finally
        {
            if (!demo.HasExited)
            {
                Nfnet.Signal(demo, signal);
            }
        }
        string[] left;
        try
        {
            await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            // Whatever the outcome, the host keeps no demo: a demo that ignored the signal is
            // killed, and namespaces it left are deleted here (after they were noted for the check).
            if (!demo.HasExited)
            {
                demo.Kill(entireProcessTree: true);
                await demo.WaitForExitAsync();
            }
            left = pid is null ? Array.Empty<string>() : NamespacesOf(pid);
            foreach (string path in left)
            {
                Tool.Run("ip", new[] { "netns", "delete", Path.GetFileName(path) });
            }
        }
        left.Should().BeEmpty($"SIG{signal} still deletes the namespaces");
        if (signal == "INT")
        {
            demo.ExitCode.Should().Be(0, "Ctrl-C is how a hold ends");
        }
    }

    private static string[] NamespacesOf(string pid) =>
        Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns", $"nfnet-demo-{pid}-*") : Array.Empty<string>();
}
