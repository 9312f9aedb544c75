using System.Diagnostics;
using System.IO;
using System.Text;

namespace Netfilter.Net.NativeTests.Infrastructure;

/// <summary>
/// One long-lived <c>nft -j -i</c> (nft's interactive mode, JSON output) inside a namespace, for
/// tests that read a table back after every one of thousands of steps: the same oracle as
/// <c>nft -j list table</c> (libnftables, its own netlink socket and parser, its cache re-read
/// whenever the ruleset generation moved), without starting <c>ip netns exec nft</c> for every
/// read, which cost most of a model step (about 50 ms of the 80 on a loaded 2-core machine).
/// </summary>
/// <remarks>
/// nft -i answers each <c>list</c> with one line of JSON on stdout, or with an error on stderr
/// and nothing on stdout. So every read is followed by the listing of a table of the session's
/// own (created at the start, empty): the line that ends the answer, whether or not the table
/// read exists.
/// </remarks>
public sealed class NftShell : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);
    private static int s_sessions;
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly string _end;

    public NftShell(TestNamespace ns)
    {
        _end = "nftshell_end" + Interlocked.Increment(ref s_sessions).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "netns", "exec", ns.Name, "nft", "-j", "-i" })
        {
            start.ArgumentList.Add(a);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start nft -j -i");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors) _errors.Append(e.Data).Append('\n');
            }
        };
        _process.BeginErrorReadLine();
        _process.StandardInput.AutoFlush = true;
        // The end table's own listing after its creation: what proves it is there and nft answers.
        if (Answer($"add table inet {_end}\n") is not null || Errors.Length > 0)
        {
            Dispose();
            throw new InvalidOperationException($"nft -j -i could not create its end marker table inet {_end}: {Errors}");
        }
    }

    /// <summary>The table the session created to mark the end of an answer: a reader of the whole ruleset must skip it.</summary>
    public string EndTable => _end;

    /// <summary>The JSON line nft prints for <c>list WHAT</c> (for instance <c>table inet nat</c>), or null when nft printed an error instead (no such table).</summary>
    public string? List(string what) => Answer($"list {what}\n");

    /// <summary>Sends <paramref name="commands"/>, then the listing of the end table, and returns the line printed before that listing's (null when none).</summary>
    private string? Answer(string commands)
    {
        _process.StandardInput.Write($"{commands}list table inet {_end}\n");
        string? answer = null;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Task<string?> read = _process.StandardOutput.ReadLineAsync();
            if (!read.Wait(ReadTimeout - clock.Elapsed > TimeSpan.Zero ? ReadTimeout - clock.Elapsed : TimeSpan.Zero))
            {
                throw new TimeoutException($"nft -j -i did not answer '{commands.TrimEnd()}' in {ReadTimeout.TotalSeconds} s: {Errors}");
            }
            string line = read.Result ?? throw new InvalidOperationException($"nft -j -i ended while answering '{commands.TrimEnd()}': {Errors}");
            if (IsEnd(line))
            {
                return answer;
            }
            if (answer is not null)
            {
                throw new InvalidOperationException($"nft -j -i answered '{commands.TrimEnd()}' with two lines: {answer}\n{line}");
            }
            answer = line;
        }
    }

    /// <summary>What nft wrote on stderr so far (its errors, for a failure message).</summary>
    public string Errors
    {
        get
        {
            lock (_errors) return _errors.ToString();
        }
    }

    // The end table's listing: {"nftables": [{"metainfo": ...}, {"table": {"family": "inet", "name": "nftshell_endN", "handle": H}}]}
    private bool IsEnd(string line) =>
        line.Contains($"\"name\": \"{_end}\"", StringComparison.Ordinal) && !line.Contains("\"chain\"", StringComparison.Ordinal);

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Write($"delete table inet {_end}\n");
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // nft is gone already; the namespace's deletion takes its table with it.
        }
        _process.Dispose();
    }
}
