using System.Diagnostics;
using Netfilter.Net.NativeTests.Cli;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Reliability;

/// <summary>
/// <c>nfnet conntrack watch</c> under the signals a terminal sends: stopped and continued many
/// times (Ctrl-Z and fg, a debugger), it keeps watching and still reports a new connection; Ctrl-C
/// then ends it with exit 0 (issue 15, D4: 13 of 50 idle watches died with "poll(netlink) failed:
/// EAGAIN" after a stop and resume).
/// </summary>
public sealed class WatchUnderSignalsTests
{
    [NativeFact]
    public void A_watch_survives_being_stopped_and_continued_and_still_reports_events()
    {
        using var ns = new TestNamespace("watch");
        var random = new Random(4);
        for (int watch = 0; watch < 10; watch++)
        {
            using Process process = Nfnet.Start("conntrack", "watch", "--netns", ns.Name);
            var lines = new System.Collections.Concurrent.BlockingCollection<string>();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Add(e.Data); };
            var error = new System.Text.StringBuilder();
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                lines.TryTake(out string? first, TimeSpan.FromSeconds(30)).Should().BeTrue("the watch starts");
                first.Should().StartWith("watching");
                for (int i = 0; i < 10; i++)
                {
                    Nfnet.Signal(process, "STOP");
                    Thread.Sleep(random.Next(50, 300));
                    Nfnet.Signal(process, "CONT");
                    Thread.Sleep(random.Next(0, 100));
                }
                ushort port = (ushort)(40000 + watch);
                ns.Check("conntrack", "-I", "-p", "tcp", "-s", "10.9.0.1", "-d", "10.9.0.2", "--sport", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dport", "80", "--state", "ESTABLISHED", "-t", "60", "-u", "SEEN_REPLY");
                string? seen = null;
                var deadline = Stopwatch.StartNew();
                while (deadline.Elapsed < TimeSpan.FromSeconds(20) && lines.TryTake(out string? line, TimeSpan.FromSeconds(1)))
                {
                    if (line.StartsWith("[new]", StringComparison.Ordinal) && line.Contains($":{port} ", StringComparison.Ordinal))
                    {
                        seen = line;
                        break;
                    }
                }
                process.HasExited.Should().BeFalse($"the watch is alive after 10 stops and continues (stderr: {error})");
                seen.Should().NotBeNull("the watch reports the connection created after the stops");
                Nfnet.Signal(process, "INT");
                process.WaitForExit(TimeSpan.FromSeconds(30)).Should().BeTrue();
                process.ExitCode.Should().Be(0, error.ToString());
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
        }
    }
}
