using System.IO;
using System.Diagnostics;
using System.Text.Json;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Cli;

/// <summary>
/// Runs the nfnet command-line tool as a process, the way a user or a script does. By default
/// the managed build copied beside these tests (<c>dotnet nfnet.dll</c>); with the environment
/// variable NFNET_EXE set to a NativeAOT-published binary, that binary instead (test.sh runs the
/// CLI tests both ways).
/// </summary>
public static class Nfnet
{
    /// <summary>The native binary under test, when NFNET_EXE names one.</summary>
    public static string? NativeExecutable { get; } = Environment.GetEnvironmentVariable("NFNET_EXE") is { Length: > 0 } path
        ? (File.Exists(path) ? Path.GetFullPath(path) : throw new InvalidOperationException($"NFNET_EXE={path} does not exist"))
        : null;

    private static string ManagedDll { get; } = Path.Combine(AppContext.BaseDirectory, "nfnet.dll");

    /// <summary>Runs nfnet with <paramref name="arguments"/> and waits for it.</summary>
    public static Tool.Result Run(params string[] arguments) => Tool.Run(FileName, Arguments(arguments), timeout: TimeSpan.FromMinutes(1));

    /// <summary>Runs nfnet with <paramref name="arguments"/> plus --netns for <paramref name="ns"/>.</summary>
    public static Tool.Result In(TestNamespace ns, params string[] arguments) => Run(arguments.Concat(new[] { "--netns", ns.Name }).ToArray());

    /// <summary>Runs nfnet, reading <paramref name="standardInput"/>.</summary>
    public static Tool.Result WithInput(string standardInput, params string[] arguments) => Tool.Run(FileName, Arguments(arguments), standardInput);

    /// <summary>Runs nfnet inside <paramref name="ns"/> through a wrapper (setpriv, ip netns exec ...) given as <paramref name="prefix"/>.</summary>
    public static Tool.Result Wrapped(TestNamespace ns, string[] prefix, params string[] arguments) =>
        ns.Exec(prefix[0], prefix.Skip(1).Append(FileName).Concat(Arguments(arguments)).ToArray());

    /// <summary>Runs nfnet in the current namespace through a wrapper given as <paramref name="prefix"/> (unshare -m ..., setpriv ...).</summary>
    public static Tool.Result Under(string[] prefix, params string[] arguments) =>
        Tool.Run(prefix[0], prefix.Skip(1).Append(FileName).Concat(Arguments(arguments)), timeout: TimeSpan.FromMinutes(1));

    /// <summary>Starts nfnet without waiting (watch, demo --hold); the caller reads its output and stops it.</summary>
    public static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in Arguments(arguments))
        {
            start.ArgumentList.Add(a);
        }
        return SignalledChild.Start(start);
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM) to a process, as Ctrl-C or a service manager would.</summary>
    public static void Signal(Process process, string signal) => Tool.Check("kill", "-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Sends <paramref name="signal"/> unless the process has already ended: false when it ended
    /// between the caller's check and the signal (kill then finds no such process), which is a race
    /// of the test's timing, not a failure.
    /// </summary>
    public static bool TrySignal(Process process, string signal)
    {
        Tool.Result result = Tool.Run("kill", new[] { "-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (result.ExitCode == 0)
        {
            return true;
        }
        if (process.WaitForExit(TimeSpan.FromSeconds(10)) || result.StandardError.Contains("No such process", StringComparison.Ordinal))
        {
            return false;
        }
        throw new InvalidOperationException($"kill -{signal} {process.Id} exited {result.ExitCode}: {result.StandardError}");
    }

    /// <summary>Parses stdout as JSON, failing with the output when it is not.</summary>
    public static JsonElement Json(Tool.Result result)
    {
        result.ExitCode.Should().Be(0, result.StandardError);
        try
        {
            using JsonDocument document = JsonDocument.Parse(result.StandardOutput);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"not JSON ({e.Message}):\n{result.StandardOutput}");
        }
    }

    /// <summary>Asserts the error contract: exit code, and stderr is exactly the given number of "nfnet: " lines, no stack trace.</summary>
    public static string[] ShouldFail(this Tool.Result result, int exitCode, int lines = 1)
    {
        result.ExitCode.Should().Be(exitCode, "stdout: " + result.StandardOutput + "\nstderr: " + result.StandardError);
        string[] errors = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        errors.Should().HaveCount(lines, result.StandardError);
        errors.Should().OnlyContain(l => l.StartsWith("nfnet: ", StringComparison.Ordinal), "every error line names nfnet");
        result.StandardError.Should().NotContain("   at ", "no stack trace without --verbose");
        return errors;
    }

    private static string FileName => NativeExecutable ?? "dotnet";

    /// <summary>The whole command line that runs nfnet with <paramref name="arguments"/>, program first (to run it under a wrapper such as /usr/bin/time).</summary>
    public static IEnumerable<string> CommandLine(params string[] arguments) =>
        new[] { FileName }.Concat(Arguments(arguments));

    private static IEnumerable<string> Arguments(string[] arguments) =>
        NativeExecutable is null ? new[] { ManagedDll }.Concat(arguments) : arguments;
}
