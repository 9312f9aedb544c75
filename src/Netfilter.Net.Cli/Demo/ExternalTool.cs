using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;

namespace Netfilter.Net.Cli.Demo;

/// <summary>
/// Runs iproute2 (and nft, for display) for the demo's scaffolding. Only the demo starts
/// processes, and only to build and delete its namespaces and to show nft's view: everything
/// netfilter goes through the library.
/// </summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="file"/> and waits (at most 20 s). Exit code 127 when it is not installed.</summary>
    public static Result Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using Process process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
                return new Result(124, string.Empty, $"{file} did not finish in 20 s");
            }
            return new Result(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
        catch (Win32Exception)
        {
            return new Result(127, string.Empty, $"{file} is not installed");
        }
    }

    /// <summary>True when <paramref name="file"/> is an executable on PATH.</summary>
    public static bool IsInstalled(string file)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, file)))
            {
                return true;
            }
        }
        return false;
    }
}
