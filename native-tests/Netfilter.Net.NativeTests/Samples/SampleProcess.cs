using System.Diagnostics;
using System.IO;
using Netfilter.Net.NativeTests.Infrastructure;

namespace Netfilter.Net.NativeTests.Samples;

/// <summary>
/// A sample program from samples/, started as its own process (<c>dotnet NAME.dll ARGS</c>, built
/// in the same configuration as the tests), with its output collected line by line so a test can
/// wait, boundedly, for what it prints. Dispose stops it with SIGTERM, then SIGKILL.
/// </summary>
public sealed class SampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly SemaphoreSlim _changed = new(0);

    private SampleProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data is null ? null : "stderr: " + e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static SampleProcess Start(string name, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path(name));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return new SampleProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start sample {name}"));
    }

    /// <summary>samples/NAME/bin/CONFIGURATION/net10.0/NAME.dll, next to this test assembly's configuration.</summary>
    public static string Path(string name)
    {
        string here = AppContext.BaseDirectory;
        var directory = new DirectoryInfo(here);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Netfilter.Net.sln")))
        {
            directory = directory.Parent;
        }
        if (directory is null)
        {
            throw new InvalidOperationException($"no Netfilter.Net.sln above {here}");
        }
        // .../bin/Release/net10.0/: the configuration is the directory above the framework's.
        string configuration = new DirectoryInfo(here.TrimEnd('/')).Parent!.Name;
        string dll = System.IO.Path.Combine(directory.FullName, "samples", name, "bin", configuration, "net10.0", name + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution (dotnet build Netfilter.Net.sln -c {configuration}) first");
        }
        return dll;
    }

    public int Id => _process.Id;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines) return _lines.ToList();
        }
    }

    public string Output => string.Join("\n", Lines);

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines) _lines.Add(line);
        _changed.Release();
    }

    /// <summary>The first line matching <paramref name="predicate"/>, waiting at most <paramref name="timeout"/>; throws with the output so far when none comes.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            string? found = Lines.FirstOrDefault(predicate);
            if (found is not null)
            {
                return found;
            }
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the sample exited with {_process.ExitCode} before printing the expected line:\n{Output}");
            }
            try
            {
                await _changed.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the sample did not print the expected line in {timeout.TotalSeconds} s:\n{Output}");
            }
        }
    }

    /// <summary>Waits for the program to end by itself; its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException($"the sample did not exit in {timeout.TotalSeconds} s:\n{Output}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as systemd or Ctrl-C would stop it; the exit code, or null when it had to be killed.</summary>
    public int? Stop(TimeSpan? grace = null)
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }
        Tool.Run("kill", new[] { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (_process.WaitForExit(grace ?? TimeSpan.FromSeconds(10)))
        {
            _process.WaitForExit();
            return _process.ExitCode;
        }
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        return null;
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(5));
        _process.Dispose();
        _changed.Dispose();
    }
}
