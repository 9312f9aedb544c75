using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace Netfilter.Net.NativeTests.Infrastructure;

/// <summary>
/// Starts a child process that a test will signal (Ctrl-C as SIGINT, a service manager's SIGTERM)
/// so that it receives the signal as a user's process does, and never outlives the test run.
/// </summary>
/// <remarks>
/// <para>A command started in the background of a non-interactive shell (<c>./test.sh &amp;</c>, a
/// script's <c>dotnet test ... &amp;</c>) inherits SIGINT ignored; exec keeps an ignored signal
/// ignored, and .NET leaves it so. A child of such a test run would shrug off the test's SIGINT
/// and the test would time out for a reason that is not the code's. When this process has
/// SIGINT ignored, the child is started through <c>env --default-signal=INT</c> (coreutils 8.31
/// and later), which puts the default action back before it execs the child.</para>
/// <para>A child still running when the test host exits (its test failed before it stopped the
/// child) is killed then, so it cannot hold a namespace or a netlink socket after the run.</para>
/// </remarks>
public static class SignalledChild
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static SignalledChild()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (Process p in Running.Values)
            {
                try
                {
                    if (!p.HasExited)
                    {
                        p.Kill(entireProcessTree: true);
                    }
                }
                catch (InvalidOperationException)
                {
                    // Disposed or never started: nothing to stop.
                }
            }
        };
    }

    /// <summary>True when this process has SIGINT ignored (read from /proc/self/status), so that children would inherit it.</summary>
    public static bool InterruptIgnored { get; } = ReadInterruptIgnored();

    /// <summary>Starts <paramref name="start"/>, with SIGINT back at its default action when this process ignores it.</summary>
    public static Process Start(ProcessStartInfo start)
    {
        if (InterruptIgnored)
        {
            start.ArgumentList.Insert(0, start.FileName);
            start.ArgumentList.Insert(0, "--default-signal=INT");
            start.FileName = "env";
        }
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        Running[process.Id] = process;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Running.TryRemove(process.Id, out _);
        return process;
    }

    private static bool ReadInterruptIgnored()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
            {
                ulong mask = ulong.Parse(line.AsSpan("SigIgn:".Length).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                const int SigInt = 2;
                return (mask & (1UL << (SigInt - 1))) != 0;
            }
        }
        return false;
    }
}
