using System.IO;
using System.Globalization;

namespace Netfilter.Net.Tests.NfTables.Transactions;

/// <summary>
/// A golden capture under Golden/nftables/transactions (written by capture/capture_batches.py):
/// '#' lines record the nft input, setup, tool and kernel versions; then "sendmsg N" (the batch)
/// and "recvmsg N" (the kernel's refusals) sections of hex bytes. Same section format as the
/// netlink goldens, so one reader can serve both once the branches meet.
/// </summary>
internal sealed class BatchCapture
{
    private BatchCapture(string name, string command, byte[] batch, List<byte[]> replies)
    {
        Name = name;
        Command = command;
        Batch = batch;
        Replies = replies;
    }

    public string Name { get; }

    /// <summary>The '#' header: how the capture was made.</summary>
    public string Command { get; }

    /// <summary>The datagram nft sent: batch begin, messages, batch end.</summary>
    public byte[] Batch { get; }

    /// <summary>The kernel's NLMSG_ERROR datagrams, in order.</summary>
    public IReadOnlyList<byte[]> Replies { get; }

    /// <summary>The batch's messages between begin and end.</summary>
    public List<RawMessage> Messages => RawMessage.Split(Batch);

    public static BatchCapture Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Golden", "nftables", "transactions", name + ".golden");
        var header = new List<string>();
        var sections = new List<(string Syscall, int Declared, List<byte> Bytes)>();
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.StartsWith('#'))
            {
                header.Add(line);
                continue;
            }
            if (line.Length == 0)
            {
                continue;
            }
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words[0] is "sendmsg" or "recvmsg")
            {
                sections.Add((words[0], int.Parse(words[1], CultureInfo.InvariantCulture), new List<byte>()));
                continue;
            }
            if (sections.Count == 0)
            {
                throw new InvalidDataException($"{path}: hex before any sendmsg/recvmsg line");
            }
            sections[^1].Bytes.AddRange(words.Select(w => byte.Parse(w, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
        }
        foreach (var s in sections)
        {
            if (s.Bytes.Count != s.Declared)
            {
                throw new InvalidDataException($"{path}: a {s.Syscall} section declares {s.Declared} bytes but holds {s.Bytes.Count}");
            }
        }
        if (!header.Any(h => h.StartsWith("# command:", StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"{path}: no '# command:' line: a capture must say how it was made");
        }
        var sent = sections.Where(s => s.Syscall == "sendmsg").ToList();
        if (sent.Count != 1)
        {
            throw new InvalidDataException($"{path}: expected one batch (sendmsg), found {sent.Count}");
        }
        return new BatchCapture(name, string.Join('\n', header), sent[0].Bytes.ToArray(), sections.Where(s => s.Syscall == "recvmsg").Select(s => s.Bytes.ToArray()).ToList());
    }
}
