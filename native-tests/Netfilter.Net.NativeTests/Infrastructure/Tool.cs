using System.Diagnostics;
using System.Text;

namespace Netfilter.Net.NativeTests.Infrastructure;

/// <summary>Runs the reference tools (nft, ip, conntrack, iptables) as oracles. Tests only: the library never does this.</summary>
public static class Tool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public Result EnsureSuccess(string what)
        {
            if (ExitCode != 0)
            {
                throw new InvalidOperationException($"{what} exited {ExitCode}: {StandardError}{StandardOutput}");
            }
            return this;
        }
    }

    public static Result Run(string file, IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Append(e.Data).Append('\n'); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish");
        }
        process.WaitForExit();
        lock (stdout) lock (stderr)
        {
            return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
        }
    }

    public static string Check(string file, params string[] arguments) =>
        Run(file, arguments).EnsureSuccess($"{file} {string.Join(' ', arguments)}").StandardOutput;
}
