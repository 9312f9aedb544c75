using System.Buffers.Binary;
using Netfilter.Net.Netlink;
using Netfilter.Net.NfTables;
using Netfilter.Net.NfTables.Expressions;
using Netfilter.Net.NfTables.Internal;
using Netfilter.Net.Tests.Fakes;
using Netfilter.Net.Tests.Support;

namespace Netfilter.Net.Benchmarks.Fuzz;

/// <summary>
/// The fuzzer's starting points: every datagram the unit tests hold as captures from the
/// reference tools and the kernel (tests/Netfilter.Net.Tests/Captures, read by the tests' own
/// <see cref="CaptureFile"/>) and the expression lists of the nft expression goldens
/// (tests/Netfilter.Net.Tests/Golden), read from the repository and sorted by which decoders they feed.
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
        foreach (string file in Directory.EnumerateFiles(Path.Combine(testData, "Captures", "netlink"), "*.txt"))
        {
            foreach (byte[] datagram in CaptureFile.Read(file).Datagrams.Select(d => d.Bytes))
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
                byte? messageType = name.Contains("flowtable", StringComparison.Ordinal) ? NftMessageBuilder.NewFlowtable
                    : name.StartsWith("obj-", StringComparison.Ordinal) || name.StartsWith("delobj", StringComparison.Ordinal) ? NftMessageBuilder.NewObject
                    : null;
                foreach ((byte family, byte[] bytes, bool attributes) in GoldenSections(file))
                {
                    seeds.NfTables.Add(attributes && messageType is byte type
                        ? NftMessageBuilder.Message(type, family, bytes)
                        : NftMessageBuilder.RuleWithExpressions(family, bytes));
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
        seeds.NfTables.AddRange(CaptureFile.Read(Path.Combine(testData, "Captures", "nftables", "rich-ruleset.txt")).ReceivedMessages()
            .Where(m => m.Header.Type >> 8 == 10) // NFNL_SUBSYS_NFTABLES
            .Select(m => m.Message));
        seeds.Conntrack.AddRange(Replies(testData, "conntrack"));
        seeds.Routing.AddRange(Replies(testData, "Routing"));
        seeds.SockDiag.AddRange(Replies(testData, "Sockets"));
        seeds.Netlink.AddRange(seeds.NfTables.Concat(seeds.Conntrack).Concat(seeds.Routing).Concat(seeds.SockDiag));
        seeds.Errors.AddRange(seeds.Conntrack.Concat(seeds.Routing).Where(d => d.Length >= 6 && BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(4)) is 2 or 3));
        return seeds;
    }

    /// <summary>
    /// Golden/nftables*, read by the tests' own <see cref="SectionGoldenFile"/>: per section, the
    /// "bytes:" lines and the "family:" line; the bytes are an NFTA_RULE_EXPRESSIONS payload, or,
    /// where the section's "# bytes:" comment says so, the attributes of a whole message (after nfgenmsg).
    /// </summary>
    private static IEnumerable<(byte Family, byte[] Bytes, bool Attributes)> GoldenSections(string file)
    {
        SectionGoldenFile golden = SectionGoldenFile.Parse(File.ReadAllText(file), file);
        foreach (string name in golden.Sections)
        {
            GoldenSection section = golden.Section(name);
            byte[] bytes = Convert.FromHexString(string.Concat(section.Values("bytes").Select(hex => hex.Trim())));
            if (bytes.Length == 0)
            {
                continue;
            }
            byte family = section.Values("family").LastOrDefault()?.Trim() switch
            {
                "ip" => 2,
                "ip6" => 10,
                "arp" => 3,
                "bridge" => 7,
                "netdev" => 5,
                _ => 1, // NFPROTO_INET unless the section says otherwise
            };
            bool attributes = section.Comments.Any(c => c.StartsWith("bytes:", StringComparison.Ordinal) && c.Contains("attributes after nfgenmsg", StringComparison.Ordinal));
            yield return (family, bytes, attributes);
        }
    }

    /// <summary>Every received datagram of the captures under Captures/<paramref name="directory"/>.</summary>
    private static IEnumerable<byte[]> Replies(string testData, string directory) =>
        Directory.EnumerateFiles(Path.Combine(testData, "Captures", directory), "*.txt").SelectMany(file => CaptureFile.Read(file).Replies);
}
