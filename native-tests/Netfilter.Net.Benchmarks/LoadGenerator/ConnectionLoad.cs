using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace Netfilter.Net.Benchmarks.LoadGenerator;

/// <summary>
/// Runs connrate (connrate.c beside this file), a C load generator for new TCP connections per
/// second and its accept-and-close server, inside test namespaces. The C source is compiled with
/// the machine's gcc on first use (into the temp directory, named by the source's hash), because
/// a managed client opening one connection at a time is far slower than the kernel path it
/// should measure.
/// </summary>
internal static class ConnectionLoad
{
    private static readonly Lazy<string> s_executable = new(Compile);

    /// <summary>The compiled connrate binary.</summary>
    public static string Executable => s_executable.Value;

    /// <summary>Starts the accept-and-close server in <paramref name="ns"/> on <paramref name="endpoint"/> and waits until it listens.</summary>
    public static ConnectionServer StartServer(TestNamespace ns, IPEndPoint endpoint) => new(ns, endpoint);

    /// <summary>Opens connections from <paramref name="ns"/> to <paramref name="target"/> for <paramref name="duration"/>, <paramref name="concurrency"/> at a time.</summary>
    public static ConnectionRate Run(TestNamespace ns, IPEndPoint target, TimeSpan duration, int concurrency, IReadOnlyList<IPAddress>? sources = null)
    {
        var arguments = new List<string>
        {
            "client", target.Address.ToString(), target.Port.ToString(CultureInfo.InvariantCulture),
            duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture), concurrency.ToString(CultureInfo.InvariantCulture),
        };
        if (sources is { Count: > 0 })
        {
            arguments.Add(string.Join(',', sources));
        }
        string output = ns.Check(Executable, arguments.ToArray());
        return ConnectionRate.Parse(output);
    }

    private static string Compile()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "LoadGenerator", "connrate.c");
        string hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(source)))[..12].ToLowerInvariant();
        string directory = Path.Combine(Path.GetTempPath(), "netfilter-net-bench");
        Directory.CreateDirectory(directory);
        string binary = Path.Combine(directory, "connrate-" + hash);
        if (!File.Exists(binary))
        {
            string partial = binary + "." + Environment.ProcessId;
            Tool.Result result;
            try
            {
                result = Tool.Run("gcc", new[] { "-O2", "-Wall", "-Wextra", "-Werror", "-o", partial, source });
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("the data-plane benchmark compiles its load generator with gcc, which is not installed (apt-get install gcc)", e);
            }
            result.EnsureSuccess($"gcc {source}");
            File.Move(partial, binary, overwrite: true);
        }
        return binary;
    }
}

/// <summary>What one connrate client run reported.</summary>
/// <remarks><see cref="CpuSeconds"/> is the client's CPU time, which includes the packet path the kernel runs in its context.</remarks>
internal sealed record ConnectionRate(long Completed, long Failed, long Refused, long AddressNotAvailable, long TimedOut, double Seconds, double PerSecond, double CpuSeconds)
{
    /// <summary>Every connection that did not complete, for whatever reason.</summary>
    public long Unsuccessful => Failed + Refused + AddressNotAvailable + TimedOut;

    public static ConnectionRate Parse(string line)
    {
        var fields = line.Trim().Split(' ').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        long L(string key) => long.Parse(fields[key], CultureInfo.InvariantCulture);
        double D(string key) => double.Parse(fields[key], CultureInfo.InvariantCulture);
        return new ConnectionRate(L("completed"), L("failed"), L("refused"), L("addrnotavail"), L("timedout"), D("seconds"), D("rate"), D("cpu"));
    }
}

/// <summary>A running connrate server; Dispose stops it (SIGTERM) and reads how many connections it accepted.</summary>
internal sealed class ConnectionServer : IDisposable
{
    private readonly Process _process;

    public ConnectionServer(TestNamespace ns, IPEndPoint endpoint)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "netns", "exec", ns.Name, ConnectionLoad.Executable, "server", endpoint.Address.ToString(), endpoint.Port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start connrate server");
        Task<string?> ready = _process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(10)) || ready.Result != "ready")
        {
            Stop();
            throw new InvalidOperationException($"connrate server in {ns.Name} did not start: {_process.StandardError.ReadToEnd()}");
        }
    }

    /// <summary>
    /// The CPU time the server has used so far, in seconds: the scheduler's sum_exec_runtime, the
    /// first field of /proc/PID/schedstat (connrate is single-threaded), precise to the last tick.
    /// </summary>
    public double CpuSeconds
    {
        get
        {
            string text = File.ReadAllText($"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/schedstat");
            return long.Parse(text.AsSpan(0, text.IndexOf(' ')), CultureInfo.InvariantCulture) / 1e9;
        }
    }

    /// <summary>Connections accepted, known after Dispose.</summary>
    public long Accepted { get; private set; } = -1;

    public void Dispose() => Stop();

    private void Stop()
    {
        if (_process.HasExited)
        {
            _process.Dispose();
            return;
        }
        // ip netns exec execs the command, so this pid is connrate's own.
        Tool.Run("kill", new[] { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) });
        if (!_process.WaitForExit(5000))
        {
            _process.Kill();
            _process.WaitForExit();
        }
        string rest = _process.StandardOutput.ReadToEnd();
        foreach (string line in rest.Split('\n'))
        {
            if (line.StartsWith("accepted=", StringComparison.Ordinal))
            {
                Accepted = long.Parse(line.AsSpan(9), CultureInfo.InvariantCulture);
            }
        }
        _process.Dispose();
    }
}
