using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal;

namespace Netfilter.Net.Benchmarks.Fuzz;

/// <summary>
/// The fuzzer's starting points: every datagram the unit tests hold as captures from the
/// reference tools and the kernel (tests/Netfilter.Net.Tests/Golden and Captures), read from the
/// repository in their formats, and sorted by which decoders they feed.
/// </summary>
public sealed class FuzzSeeds
{
    /// <summary>Datagrams of every protocol (for the netlink framing and attribute readers).</summary>
    public List<byte[]> Netlink { get; } = new();

    /// <summary>NLMSG_ERROR and NLMSG_DONE datagrams, with and without extended acks.</summary>
    public List<byte[]> Errors { get; } = new();

    /// <summary>nf_tables messages: the kernel's dump of a rich ruleset, and every golden expression list wrapped in an NFT_MSG_NEWRULE.</summary>
    public List<byte[]> NfTables { get; } = new();

    /// <summary>ctnetlink replies: entries, statistics, expectations.</summary>
    public List<byte[]> Conntrack { get; } = new();

    /// <summary>rtnetlink replies: routes, route lookups, rules, addresses, links.</summary>
    public List<byte[]> Routing { get; } = new();

    /// <summary>sock_diag replies (listening sockets).</summary>
    public List<byte[]> SockDiag { get; } = new();

    /// <summary>Where the captures are: tests/Netfilter.Net.Tests under the repository that holds this program.</summary>
    public static string FindTestData()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "tests", "Netfilter.Net.Tests");
            if (File.Exists(Path.Combine(d.FullName, "Netfilter.Net.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/Netfilter.Net.Tests not found above " + AppContext.BaseDirectory + ": run the fuzzer from the repository");
    }

    public static FuzzSeeds Load(string testData)
    {
        var seeds = new FuzzSeeds();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(testData, "Golden", "netlink"), "*.golden"))
        {
            foreach (byte[] datagram in SectionDatagrams(file))
            {
                seeds.Netlink.Add(datagram);
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(datagram.AsSpan(4));
                if (type is 2 or 3)
                {
                    seeds.Errors.Add(datagram);
                }
            }
        }
        foreach (string dir in new[] { "nftables", "nftables-sections" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(testData, "Golden", dir), "*.golden"))
            {
                // Most sections hold a rule's expressions; the object and flowtable captures hold a whole message's attributes.
                string name = Path.GetFileName(file);
                byte? messageType = name.Contains("flowtable", StringComparison.Ordinal) ? (byte)22 // NFT_MSG_NEWFLOWTABLE
                    : name.StartsWith("obj-", StringComparison.Ordinal) || name.StartsWith("delobj", StringComparison.Ordinal) ? (byte)18 // NFT_MSG_NEWOBJ
                    : null;
                foreach ((byte family, byte[] bytes, bool attributes) in GoldenSections(file))
                {
                    seeds.NfTables.Add(attributes && messageType is byte type ? Message(type, family, bytes) : NewRule(family, bytes));
                }
            }
        }
        // "last" has no capture in tests/: one rule built by the library's own encoder, so every expression decoder is reached.
        using (var writer = new NetlinkWriter(256))
        {
            writer.BeginMessage((10 << 8) | NfTablesMessageType.NewRule, NetlinkMessageFlags.None, 1);
            writer.WriteRaw(new byte[] { 1, 0, 0, 0 }); // nfgenmsg: NFPROTO_INET, version 0, res_id 0
            RuleCodec.Write(writer, new Rule(NetfilterFamily.Inet, "t", "c", new NftExpression[] { new LastExpression(1, 1234), new LastExpression() }));
            writer.EndMessage();
            seeds.NfTables.Add(writer.WrittenSpan.ToArray());
        }
        foreach (string line in File.ReadLines(Path.Combine(testData, "Captures", "nftables", "rich-ruleset.dump.hex")))
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                seeds.NfTables.Add(Convert.FromHexString(line));
            }
        }
        foreach (string file in Directory.EnumerateFiles(Path.Combine(testData, "Captures", "conntrack"), "*.txt"))
        {
            seeds.Conntrack.AddRange(ArrowReplies(file));
        }
        foreach (string file in Directory.EnumerateFiles(Path.Combine(testData, "Captures", "Routing"), "*.txt"))
        {
            seeds.Routing.AddRange(ArrowReplies(file));
        }
        foreach (string file in Directory.EnumerateFiles(Path.Combine(testData, "Captures", "Sockets"), "*.txt"))
        {
            seeds.SockDiag.AddRange(ArrowReplies(file));
        }
        seeds.Netlink.AddRange(seeds.NfTables.Concat(seeds.Conntrack).Concat(seeds.Routing).Concat(seeds.SockDiag));
        seeds.Errors.AddRange(seeds.Conntrack.Concat(seeds.Routing).Where(d => d.Length >= 6 && BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(4)) is 2 or 3));
        return seeds;
    }

    /// <summary>Golden/netlink: "sendmsg 76" / "recvmsg 60" headers, then bytes as hex words.</summary>
    private static IEnumerable<byte[]> SectionDatagrams(string file)
    {
        var bytes = new List<byte>();
        bool inSection = false;
        foreach (string raw in File.ReadLines(file))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words[0].StartsWith("send", StringComparison.Ordinal) || words[0].StartsWith("recv", StringComparison.Ordinal))
            {
                if (inSection && bytes.Count > 0)
                {
                    yield return bytes.ToArray();
                }
                bytes.Clear();
                inSection = true;
                continue;
            }
            bytes.AddRange(words.Select(w => byte.Parse(w, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
        }
        if (inSection && bytes.Count > 0)
        {
            yield return bytes.ToArray();
        }
    }

    /// <summary>
    /// Golden/nftables*: per section, the "bytes:" lines and the "family:" line; the bytes are an
    /// NFTA_RULE_EXPRESSIONS payload, or, where the "# bytes:" comment says so, the attributes of a
    /// whole message (after nfgenmsg).
    /// </summary>
    private static IEnumerable<(byte Family, byte[] Bytes, bool Attributes)> GoldenSections(string file)
    {
        var bytes = new StringBuilder();
        byte family = 1; // NFPROTO_INET unless the section says otherwise
        bool attributes = false;
        foreach (string raw in File.ReadLines(file).Append("[end]"))
        {
            string line = raw.Trim();
            if (line.StartsWith('['))
            {
                if (bytes.Length > 0)
                {
                    yield return (family, Convert.FromHexString(bytes.ToString()), attributes);
                }
                bytes.Clear();
                family = 1;
                attributes = false;
            }
            else if (line.StartsWith("# bytes:", StringComparison.Ordinal))
            {
                attributes = line.Contains("attributes after nfgenmsg", StringComparison.Ordinal);
            }
            else if (line.StartsWith("bytes:", StringComparison.Ordinal))
            {
                bytes.Append(line.AsSpan(6).Trim());
            }
            else if (line.StartsWith("family:", StringComparison.Ordinal))
            {
                family = line.AsSpan(7).Trim() switch
                {
                    "ip" => 2,
                    "ip6" => 10,
                    "arp" => 3,
                    "bridge" => 7,
                    "netdev" => 5,
                    _ => 1,
                };
            }
        }
    }

    /// <summary>An NFT_MSG_NEWRULE of table "t", chain "c", with <paramref name="expressions"/> as NFTA_RULE_EXPRESSIONS.</summary>
    public static byte[] NewRule(byte family, byte[] expressions) => Message(6, family, new[]
    {
        Attribute(1, Encoding.ASCII.GetBytes("t\0")),                 // NFTA_RULE_TABLE
        Attribute(2, Encoding.ASCII.GetBytes("c\0")),                 // NFTA_RULE_CHAIN
        Attribute(3, new byte[] { 0, 0, 0, 0, 0, 0, 0, 7 }),          // NFTA_RULE_HANDLE
        Attribute(4 | 0x8000, expressions),                           // NFTA_RULE_EXPRESSIONS
    }.SelectMany(a => a).ToArray());

    /// <summary>An nf_tables message of type <paramref name="type"/> (NFT_MSG_*) holding <paramref name="attributes"/> after its nfgenmsg.</summary>
    public static byte[] Message(byte type, byte family, byte[] attributes)
    {
        var m = new byte[16 + 4 + attributes.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)m.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), (ushort)((10 << 8) | type)); // NFNL_SUBSYS_NFTABLES << 8 | type
        m[16] = family;
        attributes.CopyTo(m, 20);
        return m;
    }

    private static byte[] Attribute(ushort type, byte[] payload)
    {
        int length = 4 + payload.Length;
        var a = new byte[(length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)Math.Min(length, ushort.MaxValue));
        BinaryPrimitives.WriteUInt16LittleEndian(a.AsSpan(2), type);
        payload.CopyTo(a, 4);
        return a;
    }

    /// <summary>Captures/Routing, Sockets and conntrack: "&gt; sendto" / "&lt; recvmsg" lines, then hex bytes; the replies.</summary>
    private static IEnumerable<byte[]> ArrowReplies(string file)
    {
        List<byte>? current = null;
        foreach (string line in File.ReadLines(file).Append("> end"))
        {
            if (line.StartsWith("> ", StringComparison.Ordinal) || line.StartsWith("< ", StringComparison.Ordinal))
            {
                if (current is { Count: > 0 })
                {
                    yield return current.ToArray();
                }
                current = line.StartsWith("< ", StringComparison.Ordinal) ? new List<byte>() : null;
            }
            else if (current is not null && line.Length > 0 && !line.StartsWith('#'))
            {
                current.AddRange(line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(b => byte.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }
        }
    }
}
