using System.Globalization;
using System.IO;

namespace Netfilter.Net.Tests.Conntrack;

/// <summary>
/// A capture file written by native-tests/capture/capture-conntrack.sh: "# command: ..." header
/// lines, then strace's syscall lines, each followed by the full hex dump of the data
/// (<c>-e write=all -e read=all</c>): " | 00000  14 00 00 00 ...  ascii |".
/// </summary>
internal sealed class StraceCapture
{
    private StraceCapture(string command, List<(bool Sent, byte[] Data)> datagrams)
    {
        Command = command;
        Datagrams = datagrams;
    }

    public string Command { get; }

    /// <summary>Every datagram, in order: sendto/sendmsg (Sent) and recvmsg.</summary>
    public List<(bool Sent, byte[] Data)> Datagrams { get; }

    public IEnumerable<byte[]> Requests => Datagrams.Where(d => d.Sent).Select(d => d.Data);

    public IEnumerable<byte[]> Replies => Datagrams.Where(d => !d.Sent).Select(d => d.Data);

    public static StraceCapture Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Captures", "conntrack", name + ".txt");
        string command = "";
        var datagrams = new List<(bool, byte[])>();
        List<byte>? current = null;
        bool sent = false;
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith("# command: ", StringComparison.Ordinal))
            {
                command = line["# command: ".Length..];
            }
            else if (line.StartsWith("sendto(", StringComparison.Ordinal) || line.StartsWith("sendmsg(", StringComparison.Ordinal) || line.StartsWith("recvmsg(", StringComparison.Ordinal))
            {
                Flush();
                sent = !line.StartsWith("recvmsg(", StringComparison.Ordinal);
                current = new List<byte>();
            }
            else if (line.StartsWith(" | ", StringComparison.Ordinal) && current is not null)
            {
                // " | 00000  14 00 00 00 01 01 01 03  71 45 0b 6b 00 00 00 00  ascii |"
                string hex = line.Substring(10, 49);
                foreach (string b in hex.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    current.Add(byte.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }
        Flush();
        return new StraceCapture(command, datagrams);

        void Flush()
        {
            if (current is { Count: > 0 })
            {
                datagrams.Add((sent, current.ToArray()));
            }
            current = null;
        }
    }
}
