using System.Globalization;
using System.IO;

namespace Netfilter.Net.Tests.Fakes;

/// <summary>
/// A golden capture (Golden/netlink/*.golden, written by Golden/netlink/capture/capture_golden.py):
/// '#' lines say which command produced it with which tool and kernel; then one section per
/// datagram, "sendmsg 76" / "sendto 20" / "recvmsg 60" followed by hex lines.
/// </summary>
internal sealed class GoldenFile
{
    private GoldenFile(string path, string command, List<GoldenDatagram> datagrams)
    {
        Path = path;
        Command = command;
        Datagrams = datagrams;
    }

    public string Path { get; }

    /// <summary>The command line that produced the capture (the "# command:" line).</summary>
    public string Command { get; }

    public IReadOnlyList<GoldenDatagram> Datagrams { get; }

    /// <summary>Datagrams the tool sent to the kernel.</summary>
    public IEnumerable<byte[]> Sent => Datagrams.Where(d => d.IsSent).Select(d => d.Bytes);

    /// <summary>Datagrams the kernel sent to the tool.</summary>
    public IEnumerable<byte[]> Received => Datagrams.Where(d => !d.IsSent).Select(d => d.Bytes);

    /// <summary>Loads Golden/<paramref name="relativePath"/> from the test output directory.</summary>
    public static GoldenFile Load(string relativePath)
    {
        string path = System.IO.Path.Combine(AppContext.BaseDirectory, "Golden", relativePath);
        string command = string.Empty;
        var datagrams = new List<GoldenDatagram>();
        string? syscall = null;
        int declared = 0;
        var bytes = new List<byte>();
        void Flush()
        {
            if (syscall is null)
            {
                return;
            }
            if (bytes.Count != declared)
            {
                throw new InvalidDataException($"{path}: {syscall} section declares {declared} bytes but holds {bytes.Count}");
            }
            datagrams.Add(new GoldenDatagram(syscall, bytes.ToArray()));
            syscall = null;
            bytes.Clear();
        }
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.StartsWith("# command:", StringComparison.Ordinal))
            {
                command = line.Substring("# command:".Length).Trim();
            }
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words[0].StartsWith("send", StringComparison.Ordinal) || words[0].StartsWith("recv", StringComparison.Ordinal))
            {
                Flush();
                syscall = words[0];
                declared = int.Parse(words[1], CultureInfo.InvariantCulture);
                continue;
            }
            if (syscall is null)
            {
                throw new InvalidDataException($"{path}: hex before any sendmsg/recvmsg line: {line}");
            }
            bytes.AddRange(words.Select(w => byte.Parse(w, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
        }
        Flush();
        if (command.Length == 0)
        {
            throw new InvalidDataException($"{path}: no '# command:' line: a golden capture must say how it was made");
        }
        return new GoldenFile(path, command, datagrams);
    }
}

/// <summary>One captured datagram and the system call that carried it.</summary>
internal sealed record GoldenDatagram(string Syscall, byte[] Bytes)
{
    public bool IsSent => Syscall.StartsWith("send", StringComparison.Ordinal);
}
