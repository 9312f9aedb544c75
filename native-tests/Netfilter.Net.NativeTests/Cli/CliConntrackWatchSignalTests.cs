using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Netfilter.Net.Conntrack;
using Netfilter.Net.NativeTests.Conntrack;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Cli;

/// <summary>
/// Issue 15 D4: <c>nfnet conntrack watch</c> died with "poll(netlink) failed: EAGAIN" after a
/// stop and continue (Ctrl-Z/fg, a debugger): 13 of 50 idle watches. The cause was errno read
/// after poll() from a P/Invoke declared without SetLastError (Tmds.LibC 0.5.0's poll): the
/// EINTR of the interrupted poll read as the EAGAIN of the recvmsg before it.
/// </summary>
public sealed class CliConntrackWatchSignalTests
{
    private const int Cycles = 20;

    [NativeFact]
    public async Task A_watch_survives_repeated_stop_and_continue_and_keeps_delivering_events()
    {
        using var ns = new TestNamespace("ctstop");
        using var creator = new ConntrackClient(ns.Namespace);
        using Process watch = Nfnet.Start("conntrack", "watch", "--json", "--netns", ns.Name);
        string pid = watch.Id.ToString(CultureInfo.InvariantCulture);
        try
        {
            string? first = await watch.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            first.Should().NotBeNull(watch.HasExited ? watch.StandardError.ReadToEnd() : "no output");
            JsonDocument.Parse(first!).RootElement.GetProperty("type").GetString().Should().Be("snapshot");
            for (int cycle = 1; cycle <= Cycles; cycle++)
            {
                // Idle in its wait for the kernel, as in the report: stopped, then continued.
                await Task.Delay(200);
                Tool.Check("kill", "-STOP", pid);
                await Task.Delay(300);
                Tool.Check("kill", "-CONT", pid);
                await Task.Delay(100);
                watch.HasExited.Should().BeFalse($"cycle {cycle}: the watch died after SIGSTOP/SIGCONT: {(watch.HasExited ? watch.StandardError.ReadToEnd() : string.Empty)}");

                // ... and it still reports what happens.
                ConntrackEntry entry = Entries.Udp(cycle);
                await creator.CreateAsync(entry);
                string source = Entries.Client(cycle).ToString();
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                while (true)
                {
                    string? line = await watch.StandardOutput.ReadLineAsync(deadline.Token);
                    line.Should().NotBeNull($"cycle {cycle}: the watch ended: {(watch.HasExited ? watch.StandardError.ReadToEnd() : string.Empty)}");
                    JsonElement e = JsonDocument.Parse(line!).RootElement;
                    if (e.GetProperty("type").GetString() == "new"
                        && e.GetProperty("entry").GetProperty("original").GetProperty("source").GetString() == source)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            if (!watch.HasExited)
            {
                Nfnet.Signal(watch, "INT");
            }
        }
        await watch.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        watch.ExitCode.Should().Be(0, "Ctrl-C is how a watch ends: " + watch.StandardError.ReadToEnd());
    }
}
