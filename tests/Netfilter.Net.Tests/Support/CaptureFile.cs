using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using Netfilter.Net.Netlink;

namespace Netfilter.Net.Tests.Support;

/// <summary>
/// A capture under Captures/ (netlink, nftables, conntrack, Routing, Sockets), written by the one
/// capture tool native-tests/capture/netlink-capture.sh (native-tests/capture/README.md): '#'
/// lines (the command, how and where it was captured, and "# output:" lines with what the tool
/// printed), then datagrams, each a "> sendmsg" / "> sendto" / "< recvmsg" / "< recvfrom" line
/// followed by hex bytes. Also linked into the fuzzer (native-tests/Netfilter.Net.Benchmarks), which
/// seeds from the same files.
/// </summary>
internal sealed class CaptureFile
{
    public sealed record Datagram(bool Sent, string Syscall, byte[] Bytes)
    {
        /// <summary>
        /// The first netlink message only: ip's dump requests go out with send() of a padded
        /// struct, so the datagram carries zeros after nlmsg_len, which the kernel ignores.
        /// </summary>
        public byte[] FirstMessage => Bytes.AsSpan(0, (int)HostOrder.ReadUInt32(Bytes)).ToArray();
    }

    private CaptureFile(string path, string command, IReadOnlyList<string> output, IReadOnlyList<Datagram> datagrams)
    {
        Path = path;
        Command = command;
        Output = output;
        Datagrams = datagrams;
    }

    /// <summary>Where the capture was read from, for messages.</summary>
    public string Path { get; }

    /// <summary>The command that was captured.</summary>
    public string Command { get; }

    /// <summary>What the command printed, line by line.</summary>
    public IReadOnlyList<string> Output { get; }

    public IReadOnlyList<Datagram> Datagrams { get; }

    /// <summary>The bytes of every sent datagram, in order.</summary>
    public IEnumerable<byte[]> Requests => Datagrams.Where(d => d.Sent).Select(d => d.Bytes);

    /// <summary>The bytes of every received datagram, in order.</summary>
    public IEnumerable<byte[]> Replies => Datagrams.Where(d => !d.Sent).Select(d => d.Bytes);

    /// <summary>The netlink messages of every received datagram, in order.</summary>
    public IEnumerable<(NetlinkMessageHeader Header, byte[] Message)> ReceivedMessages()
    {
        foreach (Datagram d in Datagrams.Where(d => !d.Sent))
        {
            int offset = 0;
            while (offset + NetlinkAlignment.MessageHeaderLength <= d.Bytes.Length)
            {
                NetlinkMessageHeader header = NetlinkMessageHeader.Read(d.Bytes.AsSpan(offset));
                yield return (header, d.Bytes.AsSpan(offset, (int)header.Length).ToArray());
                offset += NetlinkAlignment.Align((int)header.Length);
            }
        }
    }

    /// <summary>The first sent datagram whose first message has type <paramref name="type"/>.</summary>
    public byte[] SentMessage(ushort type) =>
        Datagrams.First(d => d.Sent && HostOrder.ReadUInt16(d.Bytes.AsSpan(4)) == type).FirstMessage;

    /// <summary>
    /// SHA-256 over <paramref name="datagrams"/> in order (each: '&gt;' or '&lt;', its length as a
    /// little-endian int, its bytes), lower-case hex: what the conversion tests pin to the digest of
    /// the old files' datagrams.
    /// </summary>
    public static string Digest(IEnumerable<Datagram> datagrams)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (Datagram d in datagrams)
        {
            hash.AppendData(d.Sent ? ">"u8 : "<"u8);
            hash.AppendData(BitConverter.GetBytes(d.Bytes.Length));
            hash.AppendData(d.Bytes);
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>Loads Captures/<paramref name="relativePath"/> from the test output directory.</summary>
    public static CaptureFile Load(string relativePath) =>
        Read(System.IO.Path.Combine(AppContext.BaseDirectory, "Captures", relativePath));

    /// <summary>Reads the capture at <paramref name="path"/>.</summary>
    public static CaptureFile Read(string path)
    {
        string? command = null;
        var output = new List<string>();
        var datagrams = new List<Datagram>();
        (bool Sent, string Syscall)? current = null;
        var bytes = new List<byte>();
        void Flush()
        {
            if (current is { } c)
            {
                datagrams.Add(new Datagram(c.Sent, c.Syscall, bytes.ToArray()));
            }
            bytes.Clear();
        }
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith("# command: ", StringComparison.Ordinal))
            {
                command = line["# command: ".Length..];
            }
            else if (line.StartsWith("# output: ", StringComparison.Ordinal))
            {
                output.Add(line["# output: ".Length..]);
            }
            else if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }
            else if (line.StartsWith("> ", StringComparison.Ordinal) || line.StartsWith("< ", StringComparison.Ordinal))
            {
                Flush();
                current = (line[0] == '>', line[2..]);
            }
            else
            {
                foreach (string hex in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    bytes.Add(byte.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }
        Flush();
        return new CaptureFile(path, command ?? throw new InvalidDataException($"{path}: no '# command:' line"), output, datagrams);
    }
}
